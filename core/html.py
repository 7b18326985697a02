"""The HTML staff write: what it may hold, how it is cleaned, how it splits into blocks,
how it reads as plain text.

Pure functions, free of Django's models, so that settings can read the allow-list.
"""

import html as html_module
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # data-image: the library image shown (photos.embedded).
    "img": {"src", "alt", "width", "height", "data-image"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Classes a tag may carry, and no other: CKEditor's image2 marks a captioned image
# <figure class="image">.
ALLOWED_CLASSES = {"figure": {"image"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html):
    """Return html with only the tags, attributes and URL schemes news needs.

    HTML that shows a reader nothing (CKEditor's "<p>&nbsp;</p>" when the text is
    deleted) comes back as "", so that "no text" has one form: rules that need a text
    (a constraint, a form) see it as empty.
    """
    clean = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    clean = _EMPTY_PARAGRAPH.sub("", clean).strip()
    return "" if shows_nothing(clean) else clean


# A paragraph with nothing in it: what CKEditor leaves for each Enter pressed on an empty
# line ("<p>&nbsp;</p>", "<p><br></p>"). Readers see a gap, and photos were placed by it.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|&#160;|<br>|[\u200b\u200c\u200d\u2060\ufeff])*</p>")


# In sanitised HTML every "<" opens a tag: text and attribute values carry "&lt;" and "&gt;".
_TAG = re.compile(r"<[^>]*>")
# White space a reader does not see: str.strip() takes the no-break space; CKEditor also
# leaves zero-width fillers.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")


def shows_nothing(clean_html):
    """Return True if sanitised HTML has no text but white space and no image."""
    if "<img" in clean_html:
        return False
    text = html_module.unescape(_TAG.sub("", clean_html))
    return not text.translate(_INVISIBLE).strip()


_IMG = re.compile(r"<img\b[^>]*>")
_PARAGRAPHS = ("<p>", "<blockquote>", "<ul>", "<ol>", "<table>")


def is_paragraph(block):
    """Return True if readers see a block of split_blocks() as a paragraph of text.

    Headings, figures, lone images and empty lines are not: a photo placed after the
    third paragraph stands after the third one a reader counts.
    """
    return block.startswith(_PARAGRAPHS) and not shows_nothing(_IMG.sub("", block))


def ckeditor_allowed_content():
    """Return the allow-list above in CKEditor 4's syntax, so editors see what readers will.

    "p h2 …; a[href,title]; figure(image); img[alt,height,src,width]": tags
    without attributes or classes first, then one rule per set of them.
    """
    rules = {}
    for tag in sorted(ALLOWED_TAGS):
        attributes = ",".join(sorted(ALLOWED_ATTRIBUTES.get(tag, ())))
        classes = ",".join(sorted(ALLOWED_CLASSES.get(tag, ())))
        rules.setdefault((attributes, classes), []).append(tag)
    return "; ".join(
        " ".join(tags)
        + (f"[{attributes}]" if attributes else "")
        + (f"({classes})" if classes else "")
        for (attributes, classes), tags in sorted(rules.items())
    )


_VOID_TAGS = {"area", "br", "col", "hr", "img", "wbr"}


class _BlockSplitter(HTMLParser):
    """Find where each top-level element of an HTML fragment ends."""

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for index, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.depth = 0
        self.block_ends = []

    def _tag_end(self):
        line, column = self.getpos()
        return self.html.index(">", self.line_starts[line - 1] + column) + 1

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            if self.depth == 0:
                self.block_ends.append(self._tag_end())
        else:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.block_ends.append(self._tag_end())

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self.block_ends.append(self._tag_end())


def split_blocks(html):
    """Return the top-level blocks (paragraphs, headings, tables…) of sanitised html."""
    splitter = _BlockSplitter(html)
    splitter.feed(html)
    splitter.close()
    blocks, start = [], 0
    for end in splitter.block_ends:
        blocks.append(html[start:end].strip())
        start = end
    tail = html[start:].strip()
    if tail:
        blocks.append(tail)
    return [block for block in blocks if block]


# Tags that stand on lines of their own, with a blank line before and after.
_TEXT_BLOCKS = {
    "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "hr",
    "table", "caption", "figure", "figcaption",
}  # fmt: skip


class _PlainTextWriter(HTMLParser):
    """Write sanitised HTML as plain text: blocks apart, links with their address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # finished blocks, each a list of lines
        self.lines = []  # the lines of the block being written
        self.line = []  # the text of the line being written, as it came
        self.links = []  # (address, where its text starts in self.line) of open links
        self.lists = []  # per open list: None for <ul>, the last number given for <ol>
        self.marker = ""  # "- " or "1. ", for the first line of the list item begun

    def end_line(self):
        # HTML's own rule for white space: any run of it is one space.
        text = " ".join("".join(self.line).split())
        self.line = []
        self.links = [(address, 0) for address, _start in self.links]
        if text:
            self.lines.append(self.marker + text)
            self.marker = ""

    def end_block(self):
        self.end_line()
        if self.lines:
            self.blocks.append(self.lines)
            self.lines = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _TEXT_BLOCKS:
            self.end_block()
        if tag in ("ul", "ol"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li" and self.lists:
            if self.lists[-1] is None:
                self.marker = "- "
            else:
                self.lists[-1] += 1
                self.marker = f"{self.lists[-1]}. "
        elif tag in ("br", "tr"):
            self.end_line()
        elif tag in ("td", "th") and "".join(self.line).strip():
            self.line.append(" | ")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len(self.line)))
        elif tag == "img" and attrs.get("alt"):
            self.line.append(f" [{attrs['alt']}] ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _TEXT_BLOCKS:
            self.end_block()

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            address, start = self.links.pop()
            text = " ".join("".join(self.line[start:]).split())
            shown = re.sub(r"^(mailto|tel):", "", address)
            if shown and shown != text:
                self.line.append(f" ({shown})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in _TEXT_BLOCKS:
            self.end_block()
        elif tag == "tr":
            self.end_line()

    def handle_data(self, data):
        self.line.append(data)


def html_to_text(clean_html):
    """Return sanitised HTML as readable plain text, for an e-mail.

    Paragraphs, headings and list items stand on their own lines with a blank line
    between them ("- " or "1. " before list items); a line break stays one; a link
    reads "text (address)"; an image its alt text in brackets.
    """
    writer = _PlainTextWriter()
    writer.feed(clean_html or "")
    writer.close()
    writer.end_block()
    return "\n\n".join("\n".join(lines) for lines in writer.blocks)
