"""Vietnamese search over the published articles, the same on SQLite and PostgreSQL.

Article.save() stores the folded words of the title, the lead and the plain-text
body (`index_fields()`), so both databases index exactly the same words and give
the same results: "ĐOÀN CƠ SỞ", "đoàn cơ sở" and "doan co so" are one query.
SQLite indexes them with an FTS5 table kept in step by triggers, PostgreSQL with
GIN indexes over `to_tsvector('simple', …)`; migration 0007 creates both.

A query matches the articles holding all its words (whole words) anywhere in the
title, lead or body. Those holding all of them in the title come first, then in
the lead, then the rest; newest first within each. Readers are shown at most
RESULT_LIMIT results, enough for any reader, and what makes a common word cheap:
each tier is read newest first and stops when the limit is reached.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import connection, connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.text import fold

# A query keeps its first MAX_TERMS words; longer words are not words anyone searches.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Results shown for a query, at most: the first pages of any query, exactly ordered.
RESULT_LIMIT = 1000

_WORD = re.compile(r"[^\W_]+")


def words(text):
    """Return the folded words of text: "Đoàn cơ sở, Ba Bể!" gives doan, co, so, ba, be."""
    return _WORD.findall(fold(text))


def searchable(text):
    """Return the folded words of text joined by spaces, as stored and indexed."""
    return " ".join(words(text))


class _TextExtractor(HTMLParser):
    BREAKS = {"p", "br", "li", "td", "th", "h2", "h3", "h4", "h5", "h6", "figcaption", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """Return the text of an HTML fragment, its blocks separated by spaces."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def index_fields(title, lead, body):
    """Return the stored search columns of an article with this title, lead and HTML body."""
    return {
        "search_title": searchable(title),
        "search_lead": searchable(lead),
        "search_body": searchable(plain_text(body)),
    }


def query_terms(query):
    """Return the distinct words of what a reader typed, in order, at most MAX_TERMS."""
    terms = []
    for word in words(query or ""):
        if len(word) <= MAX_TERM_LENGTH and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


# --- matching, in each database's own index --------------------------------------------

# The document PostgreSQL indexes: the same expression in the migration's index and here.
PG_DOCUMENT = "to_tsvector('simple', search_title || ' ' || search_lead || ' ' || search_body)"
PG_FIELDS = {
    "title": "to_tsvector('simple', search_title)",
    "lead": "to_tsvector('simple', search_lead)",
    "document": PG_DOCUMENT,
}
FTS_TABLE = "news_article_search"
FTS_COLUMNS = {"title": "{search_title} : ", "lead": "{search_lead} : ", "document": ""}


def matches(terms, field="document"):
    """Return a condition: the article holds every term in field (title, lead or document)."""
    if connection.vendor == "postgresql":
        return RawSQL(
            f"{PG_FIELDS[field]} @@ plainto_tsquery('simple', %s)",
            [" ".join(terms)],
            output_field=BooleanField(),
        )
    # FTS5: quoted terms are plain words; a column filter keeps the match to one column.
    fts_query = FTS_COLUMNS[field] + "(" + " AND ".join(f'"{term}"' for term in terms) + ")"
    return RawSQL(
        f"news_article.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
        [fts_query],
        output_field=BooleanField(),
    )


@dataclass
class Results:
    """The articles found, best first (at most RESULT_LIMIT), as a list the paginator slices."""

    ids: list
    limited: bool

    def __len__(self):
        return len(self.ids)


def find(articles, terms):
    """Return the ids of the articles holding all terms, best first, at most RESULT_LIMIT.

    articles is the queryset to search, Article.objects.published() with any filters.
    """
    found, seen = [], set()
    tiers = [
        articles.filter(matches(terms, "title")),
        articles.filter(matches(terms, "lead")),
        articles.filter(matches(terms)),
    ]
    for tier in tiers:
        wanted = RESULT_LIMIT + 1 - len(found)
        if wanted <= 0:
            break
        # Read ahead by what higher tiers already found, which this one finds again.
        for pk in tier.order_by("-published_at", "-pk").values_list("pk", flat=True)[
            : wanted + len(seen)
        ]:
            if pk not in seen:
                seen.add(pk)
                found.append(pk)
    return Results(ids=found[:RESULT_LIMIT], limited=len(found) > RESULT_LIMIT)


# --- keeping SQLite's index in step -----------------------------------------------------

# The FTS5 table reads its text from news_article (external content); the triggers keep
# it in step on every write, bulk and raw SQL included. Migration 0007 made them first.
SQLITE_INDEX = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_title, search_lead, search_body,
        content='news_article', content_rowid='id', detail='column',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON news_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_lead, search_body)
        VALUES (new.id, new.search_title, new.search_lead, new.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON news_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_lead, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_lead, old.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF search_title, search_lead, search_body ON news_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title, search_lead, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_lead, old.search_body);
        INSERT INTO {FTS_TABLE}(rowid, search_title, search_lead, search_body)
        VALUES (new.id, new.search_title, new.search_lead, new.search_body);
    END""",
]
SQLITE_TRIGGERS = {f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"}


def sqlite_index_is_complete(using="default"):
    """Return True unless this is SQLite and the FTS5 table or one of its triggers is missing.

    Django remakes a SQLite table to alter it, which drops its triggers.
    """
    db = connections[using]
    if db.vendor != "sqlite":
        return True
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR name IN (%s, %s, %s)",
            [FTS_TABLE, *sorted(SQLITE_TRIGGERS)],
        )
        return {row[0] for row in cursor.fetchall()} == {FTS_TABLE, *SQLITE_TRIGGERS}


def rebuild_sqlite_index(using="default"):
    """Create what is missing of SQLite's FTS5 index and fill it again from the articles."""
    db = connections[using]
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        for statement in SQLITE_INDEX:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def repair_after_migrate(using="default", **kwargs):
    """After migrations (post_migrate): put back SQLite triggers a table remake dropped."""
    db = connections[using]
    if db.vendor != "sqlite" or "news_article" not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        columns = {c.name for c in db.introspection.get_table_description(cursor, "news_article")}
    if "search_title" in columns and not sqlite_index_is_complete(using):
        rebuild_sqlite_index(using)


# --- showing what matched ----------------------------------------------------------------


def _folded_with_positions(text):
    """Return text folded character by character, and where each folded character came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in fold(char) or (" " if char.isspace() else ""):
            folded.append(folded_char)
            origin.append(index)
    return "".join(folded), origin


def _spans(text, terms):
    """Return the (start, end) spans of text where a term stands as a whole word."""
    if not terms:
        return []
    folded, origin = _folded_with_positions(text)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(term) for term in terms) + r")(?![^\W_])"
    )
    spans = []
    for match in pattern.finditer(folded):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if spans and not text[spans[-1][1] : start].strip():
            # Words next to each other make one mark: "<mark>Ba Bể</mark>".
            start = spans.pop()[0]
        spans.append((start, end))
    return spans


def highlight(text, terms):
    """Return text escaped, with each whole-word match of terms in <mark>."""
    parts, last = [], 0
    for start, end in _spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(article, terms, length=40):
    """Return a short excerpt that shows the terms: the lead, or the body around the first match.

    Escaped, with the matched words in <mark>.
    """
    lead = article.lead
    if _spans(lead, terms) or not terms:
        return highlight(_shorten(lead, length), terms)
    body = plain_text(article.body)
    spans = _spans(body, terms)
    if not spans:
        return highlight(_shorten(lead, length), terms)
    before = body[: spans[0][0]].split()
    start = max(len(before) - length // 4, 0)
    excerpt = _shorten(" ".join(body.split()[start:]), length)
    return highlight(("… " if start else "") + excerpt, terms)


def _shorten(text, length):
    text_words = text.split()
    if len(text_words) <= length:
        return text
    return " ".join(text_words[:length]) + " …"
