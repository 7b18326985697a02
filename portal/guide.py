"""The editors' guide (docs/huong-dan-bien-tap.md), shown in the admin to every staff member.

The guide is written in Markdown, rendered by markdown-it-py with raw HTML turned off:
the file is the project's own, but what it holds is shown as text, never as markup.
"""

import functools

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from core.text import slugify_vi

GUIDE = settings.BASE_DIR / "docs" / "huong-dan-bien-tap.md"


def _markdown():
    # CommonMark with tables; HTML in the text is escaped, and links whose scheme is not
    # safe (javascript:, data:…) are left as text by markdown-it's own validateLink.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(text):
    """Return (html, contents) of a Markdown text: the HTML, and (id, title) of each section.

    A first-level heading that opens the text is left out: the page shows its own title.
    Every other heading gets an id made from its words, so the sections can be linked to.
    """
    markdown = _markdown()
    tokens = markdown.parse(text)
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        tokens = tokens[3:]  # heading_open, its inline text, heading_close
    contents, taken = [], set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = tokens[index + 1].content
        anchor = base = slugify_vi(title) or "muc"
        number = 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        token.attrSet("id", anchor)
        if token.tag == "h2":
            contents.append((anchor, title))
    return markdown.renderer.render(tokens, markdown.options, {}), contents


@functools.lru_cache(maxsize=4)
def _rendered(path, modified):
    return render(path.read_text(encoding="utf-8"))


def guide_html(path=GUIDE):
    """Return (html, contents) of the guide, rendered again only when the file changes."""
    return _rendered(path, path.stat().st_mtime_ns)


def guide(request):
    """Show the editors' guide inside the admin (wrapped by admin.site.admin_view)."""
    html, contents = guide_html()
    context = {
        **admin.site.each_context(request),
        "title": _("Editors' guide"),
        "guide": mark_safe(html),  # escaped by markdown-it: raw HTML is off
        "contents": contents,
    }
    return TemplateResponse(request, "admin/guide.html", context)
