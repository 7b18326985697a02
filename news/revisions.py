"""Article revisions (kept by django-reversion): readable diffs and restore."""

import difflib
import html
import re

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import formats, timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from news.models import Article, Photo
from photos.models import Image

RESTORED_FIELDS = ["title", "lead", "body", "author_name"]
# A photo's own fields; its alt text and credit are its library image's, not the article's.
PHOTO_FIELDS = ["caption", "position", "order"]
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|figure|figcaption)>|<br\s*/?>", re.I)
_TOKENS = re.compile(r"\s+|[^\s]+")


def versions_of(article):
    """Return the article's revisions, newest first, with their authors."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def plain_text(body_html):
    """Return the body as plain text, one line per paragraph."""
    return html.unescape(strip_tags(_BLOCK_END.sub("\n", body_html or ""))).strip()


def photo_lines(version):
    """Return the photos kept with a revision as one line each, in reading order.

    A photo that left its caption empty shows the library's, and says so.
    """
    photo_type = ContentType.objects.get_for_model(Photo)
    photos = [v.field_dict for v in version.revision.version_set.filter(content_type=photo_type)]
    photos.sort(key=lambda photo: (photo["position"], photo["order"], photo["id"]))
    uncaptioned = [photo["image_id"] for photo in photos if not photo["caption"].strip()]
    library = dict(Image.objects.filter(pk__in=uncaptioned).values_list("pk", "caption"))
    lines = []
    for photo in photos:
        caption = photo["caption"].strip() or _("%(caption)s (the library's caption)") % {
            "caption": library.get(photo["image_id"], "")
        }
        lines.append(
            _("Position %(position)s, order %(order)s: %(caption)s") % {**photo, "caption": caption}
        )
    return "\n".join(lines)


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


def compare(old_version, new_version):
    """Return [(label, diff_html, changed)] for the title, lead, body and photos."""
    old, new = old_version.field_dict, new_version.field_dict
    texts = [
        (_("Title"), old["title"], new["title"]),
        (_("Lead"), old["lead"], new["lead"]),
        (_("Body"), plain_text(old["body"]), plain_text(new["body"])),
        (_("Byline"), old["author_name"], new["author_name"]),
        (_("Photos"), photo_lines(old_version), photo_lines(new_version)),
    ]
    return [(label, diff_html(a, b), a != b) for label, a, b in texts]


@transaction.atomic
def restore(article, version, user):
    """Bring back the text and photo captions of a revision, as a new revision.

    The workflow state, slug and publication times stay as they are: restoring
    text never publishes or unpublishes anything. Photos added since are kept.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(_("Restored the version of %(date)s") % {"date": when})
        photo_type = ContentType.objects.get_for_model(Photo)
        for photo_version in version.revision.version_set.filter(content_type=photo_type):
            photo = article.photos.filter(pk=photo_version.object_id).first()
            if photo is not None:
                for field in PHOTO_FIELDS:
                    setattr(photo, field, photo_version.field_dict[field])
                photo.save()
        for field in RESTORED_FIELDS:
            setattr(article, field, version.field_dict[field])
        article.updated_by = user
        article.save()
    return article
