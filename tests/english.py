"""English left on a page: the tests that crawl the admin, the API's reference and
CKEditor's dialogs for text nobody translated (tests/portal, tests/api, tests/browser)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import ckeditor
import django

DJANGO_LOCALE = Path(django.__file__).parent
# The English catalogues of what the admin shows: a msgid seen on a page is a
# string nobody translated.
ENGLISH_CATALOGUES = [
    DJANGO_LOCALE / "conf/locale/en/LC_MESSAGES/django.po",
    DJANGO_LOCALE / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    DJANGO_LOCALE / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po",
    DJANGO_LOCALE / "contrib/auth/locale/en/LC_MESSAGES/django.po",
]
PORTAL_CATALOGUE = Path(__file__).parents[1] / "locale/vi/LC_MESSAGES/django.po"
CKEDITOR_CATALOGUE = Path(ckeditor.__file__).parent / "static/ckeditor/ckeditor/lang/en.js"
# Words that read the same in Vietnamese without marks, and names of things.
NOT_ENGLISH = {
    "admin", "anh", "ban", "bang", "can", "chi", "con", "csv", "email", "facebook", "html",
    "http", "https", "json", "mail", "minh", "nam", "pdf", "png", "jpeg", "gif", "webp", "rss",
    "sapo", "tin", "url", "zalo", "youtube", "ckeditor", "hang", "long", "ngan", "son", "thi",
    "nay", "web", "control", "command", "mac", "google", "tiktok", "openstreetmap", "doan",
    "apple", "outlook", "openapi", "icalendar", "api", "atom", "excel", "xls", "xlsx",
    "yyyy",  # the date format readers type: dd/mm/yyyy
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
CKEDITOR_PLACEHOLDER = re.compile(r"%\d|%[a-z]+|\$?\{\w+\}")
MSGID = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)', re.M)


def english_phrases():
    """Return the English interface phrases (two words or more) the admin may show."""
    phrases = set()
    for catalogue in [*ENGLISH_CATALOGUES, PORTAL_CATALOGUE]:
        for first, rest in MSGID.findall(catalogue.read_text(encoding="utf-8")):
            text = first + "".join(re.findall(r'"(.*)"', rest))
            for fragment in PLACEHOLDER.split(text.replace('\\"', '"')):
                fragment = " ".join(fragment.split()).strip(" .,:;…-–()“”\"'")
                english = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", fragment)} - NOT_ENGLISH
                if len(fragment.split()) >= 2 and re.search(r"[a-z]{3}", fragment) and english:
                    phrases.add(fragment)
    return phrases


def english_words(phrases):
    words = {word.lower() for phrase in phrases for word in re.findall(r"[A-Za-z]{3,}", phrase)}
    return words - NOT_ENGLISH


class VisibleText(HTMLParser):
    """Collect the text a person sees or hears: content, labels, titles, button values."""

    # Code (an address, a parameter's name) is no language.
    SKIPPED = {"script", "style", "svg", "template", "textarea", "code"}
    SPOKEN = ["title", "alt", "placeholder", "aria-label"]

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIPPED:
            self.skipping.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_on(html, phrases, words, data_words):
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    # A plain substring search first: the word-boundary pattern only for what it finds.
    found = [
        phrase
        for phrase in phrases
        if phrase in text and re.search(rf"\b{re.escape(phrase)}\b", text)
    ]
    for word in re.findall(r"(?<![\w/.#-])[A-Za-z]{3,}(?![\w/.-])", text):
        if word.lower() in words and word.lower() not in data_words:
            found.append(word)
    return sorted(set(found)), parser.links


def ckeditor_english():
    """Return CKEditor's English texts that hold a word (its catalogue, tags taken out)."""
    source = CKEDITOR_CATALOGUE.read_text(encoding="utf-8-sig")
    texts, groups = set(), [json.loads(source[source.index("{") : source.rindex("}") + 1])]
    while groups:
        for key, value in groups.pop().items():
            if key == "keyboard":  # the names of keys (Ctrl, Enter) read the same
                continue
            if isinstance(value, dict):
                groups.append(value)
            else:
                parts = CKEDITOR_PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", value))
                texts |= {part.strip(" .,:()") for part in parts if re.search("[a-z]{3}", part)}
    return texts


def english_in(html, texts):
    """Return the texts seen or heard on this HTML."""
    parser = VisibleText()
    parser.feed(html)
    seen = " ".join(" ".join(parser.parts).split())
    return sorted(text for text in texts if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", seen))
