"""Article revisions: the text and the photos' captions, compared and restored (core.revisions)."""

import copy

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import revisions
from core.revisions import diff_html, plain_text, versions_of  # noqa: F401
from news import pending
from news.models import Photo
from photos.models import Image

RESTORED_FIELDS = ["title", "lead", "body", "author_name"]
# A photo's own fields; its alt text and credit are its library image's, not the article's.
PHOTO_FIELDS = ["caption", "position", "order"]


def photo_lines(version):
    """Return the photos kept with a revision as one line each, in reading order."""
    photo_type = ContentType.objects.get_for_model(Photo)
    photos = [v.field_dict for v in version.revision.version_set.filter(content_type=photo_type)]
    return _lines(photos)


def _lines(photos):
    """Return photos ({image_id, caption, position, order, id}) as lines, in reading order.

    A photo that left its caption empty shows the library's, and says so.
    """
    photos = sorted(photos, key=lambda photo: (photo["position"], photo["order"], photo["id"] or 0))
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


def compare(old_version, new_version):
    """Return [(label, diff_html, changed)] for the title, lead, body and photos."""
    old, new = old_version.field_dict, new_version.field_dict
    return revisions.compare_texts(
        [
            (_("Title"), old["title"], new["title"]),
            (_("Lead"), old["lead"], new["lead"]),
            (_("Body"), plain_text(old["body"]), plain_text(new["body"])),
            (_("Byline"), old["author_name"], new["author_name"]),
            (_("Photos"), photo_lines(old_version), photo_lines(new_version)),
        ]
    )


def _restore_photos(article, version):
    photo_type = ContentType.objects.get_for_model(Photo)
    for photo_version in version.revision.version_set.filter(content_type=photo_type):
        photo = article.photos.filter(pk=photo_version.object_id).first()
        if photo is not None:
            for field in PHOTO_FIELDS:
                setattr(photo, field, photo_version.field_dict[field])
            photo.save()


def restore(article, version, user):
    """Bring back the text and photo captions of a revision, as a new revision.

    The workflow state, slug and publication times stay as they are: restoring
    text never publishes or unpublishes anything. Photos added since are kept.
    """
    return revisions.restore(article, version, user, RESTORED_FIELDS, before_save=_restore_photos)


def compare_pending(article, draft):
    """Return [(label, diff_html, changed)] from the live article to its pending draft."""
    live_photos = [
        {"id": photo.pk, "image_id": photo.image_id, "caption": photo.caption,
         "position": photo.position, "order": photo.order}
        for photo in article.photos.all()
    ]  # fmt: skip
    draft_photos = [{**photo, "image_id": photo["image"]} for photo in draft.photos]
    changed = pending.apply_fields(draft, copy.copy(article))
    return revisions.compare_texts(
        [
            (_("Title"), article.title, changed.title),
            (_("Lead"), article.lead, changed.lead),
            (_("Body"), plain_text(article.body), plain_text(changed.body)),
            (_("Byline"), article.author_name, changed.author_name),
            (_("Category"), _category_name(article), _category_name(changed)),
            (_("Web address"), article.slug, changed.slug),
            (_("Publication time"), _when(article.published_at), _when(changed.published_at)),
            (_("Expiry time"), _when(article.expires_at), _when(changed.expires_at)),
            (_("Featured"), _yes_no(article.featured), _yes_no(changed.featured)),
            (_("Photos"), _lines(live_photos), _lines(draft_photos)),
        ]
    )


def _category_name(article):
    return article.category.name if article.category_id else "—"


def _when(moment):
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _yes_no(value):
    return _("Yes") if value else _("No")
