"""The HTML staff write: what it may hold, how it is cleaned, how it splits into blocks.

Pure functions, free of Django's models, so that settings can read the allow-list.
"""

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
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Classes a tag may carry, and no other: CKEditor's image2 marks a captioned image
# <figure class="image">.
ALLOWED_CLASSES = {"figure": {"image"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html):
    """Return html with only the tags, attributes and URL schemes news needs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


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
