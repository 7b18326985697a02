"""Revisions of the workflow's rows (kept by django-reversion): readable diffs and restore.

Each app says which of its fields are text worth comparing and restoring; the rows'
workflow state is never restored, so bringing back text publishes or hides nothing.
"""

import difflib
import html
import re

import reversion
from django.db import transaction
from django.utils import formats, timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|figure|figcaption)>|<br\s*/?>", re.I)
_TOKENS = re.compile(r"\s+|[^\s]+")


def versions_of(item):
    """Return the row's revisions, newest first, with their authors."""
    return Version.objects.get_for_object(item).select_related("revision__user")


def plain_text(body_html):
    """Return rich text as plain text, one line per paragraph."""
    return html.unescape(strip_tags(_BLOCK_END.sub("\n", body_html or ""))).strip()


def diff_html(old, new):
    """Return a word-level diff of two texts as HTML, with <del> and <ins> around changes."""
    old_tokens, new_tokens = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[a_start:a_end]))
        added = escape("".join(new_tokens[b_start:b_end]))
        if operation == "equal":
            parts.append(removed)
        if operation in {"delete", "replace"}:
            parts.append(f"<del>{removed}</del>")
        if operation in {"insert", "replace"}:
            parts.append(f"<ins>{added}</ins>")
    # Every piece of text went through escape() above.
    return mark_safe("".join(parts))  # noqa: S308


def compare_texts(texts):
    """Return [(label, diff_html, changed)] for (label, old text, new text) triples."""
    return [(label, diff_html(a, b), a != b) for label, a, b in texts]


@transaction.atomic
def restore(item, version, user, fields, before_save=None):
    """Bring back the fields of a revision, as a new revision; return the row.

    before_save(item, version), if given, restores what belongs to the row (an article's
    photo captions) inside the same revision.
    """
    item = type(item)._default_manager.select_for_update().get(pk=item.pk)
    when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(_("Restored the version of %(date)s") % {"date": when})
        if before_save is not None:
            before_save(item, version)
        for field in fields:
            setattr(item, field, version.field_dict[field])
        item.updated_by = user
        item.save()
    return item
