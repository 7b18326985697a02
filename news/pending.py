"""Changes to a live article that wait, as its pending draft, while readers keep the live text.

A save of a live article in the admin does not touch its row: the edited fields and
photos are kept in its PendingDraft. The draft goes through the workflow's table like an
article (save, submit, approve, return, publish) with a stage of its own, judged by
workflow.check_move() on `as_item()`, the article as the draft would make it. Publishing
copies the draft onto the article in one transaction: one derive and one save of the row
(the version goes up once, one revision, one step in the timeline), so the page cache is
renewed once, at the commit. Nothing else in here writes public content.
"""

import copy
import datetime

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workflow
from core.workflow import Action, Stage, Status
from news.models import PENDING_FIELDS, Article, PendingDraft, Photo

# The moves a pending draft makes; taking the article down is the article's own move.
DRAFT_ACTIONS = (Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.PUBLISH)
# What a pending draft keeps of each photo placement.
PHOTO_KEYS = ("id", "image", "caption", "position", "order")


def pending_draft(article):
    """Return the article's pending draft with changes in it, or None."""
    return PendingDraft.objects.filter(article=article.pk, pending=True).first()


def draft_row(article, fresh=False):
    """Return the article's draft row, pending or not, or None if it never had one.

    Read once per article instance (Django keeps it, or its absence, with the instance);
    fresh: read it again.
    """
    related = Article.pending_draft.related
    if fresh and related.is_cached(article):
        related.delete_cached_value(article)
    try:
        return article.pending_draft
    except PendingDraft.DoesNotExist:
        return None


def keeps_changes_pending(article, draft):
    """Return True if a save of the article goes to its pending draft, not onto the row.

    So while readers see the article, and while changes made then wait; a scheduled or
    expired article without pending changes is saved as before.
    """
    if article.status != Status.PUBLISHED or article.deleted_at is not None:
        return False
    return draft is not None or article.stage == Stage.LIVE


def edit_version(article, row):
    """Return the version a change form is checked against: the article's and its draft's.

    Both only go up, so their sum changes on every save of either.
    """
    return article.version + (row.version if row is not None else 0)


# --- the draft's fields on an article ------------------------------------------------------


def fields_of(article, names=PENDING_FIELDS):
    """Return these of the article's PENDING_FIELDS as a draft keeps them (JSON values)."""
    fields = {}
    for name in names:
        value = Article._meta.get_field(name).value_from_object(article)
        fields[name] = value.isoformat() if isinstance(value, datetime.datetime) else value
    return fields


def initial(draft):
    """Return the draft's fields as a form's initial values."""
    return {
        name: Article._meta.get_field(name).to_python(value) for name, value in draft.fields.items()
    }


def apply_fields(draft, article):
    """Put the draft's fields on the article in memory (never saved by this)."""
    for name, value in draft.fields.items():
        field = Article._meta.get_field(name)
        setattr(article, field.attname, field.to_python(value))
    # The category is read again when asked: the one cached is the live article's.
    if "category" in draft.fields and Article.category.field.is_cached(article):
        Article.category.field.delete_cached_value(article)
    return article


def as_item(article, draft):
    """Return a copy of the article as the draft would make it, at the draft's stage.

    What the workflow judges a draft's move on: its text (what a move needs filled in),
    its status, its approval and return, and the article's author and trash.
    """
    item = apply_fields(draft, copy.copy(article))
    item.status, item.approved_at, item.returned_at = (
        draft.status,
        draft.approved_at,
        draft.returned_at,
    )
    return item


def placements(draft):
    """Return the draft's photos as unsaved placements, with their images, in reading order."""
    from photos.models import Image

    images = Image.objects.in_bulk([photo["image"] for photo in draft.photos if photo["image"]])
    photos = []
    for photo in draft.photos:
        placement = Photo(
            pk=photo["id"],
            article_id=draft.article_id,
            image=images.get(photo["image"]),
            caption=photo["caption"],
            position=photo["position"],
            order=photo["order"],
        )
        if placement.pk is not None:
            # It stands for the article's own placement, as a row read from the database.
            placement._state.adding, placement._state.db = False, draft._state.db
        photos.append(placement)
    photos.sort(key=lambda photo: (photo.position, photo.order, photo.pk or 0))
    return photos


def photo_dicts(photos):
    """Return placements (Photo rows, saved or not) as a draft keeps them."""
    return [
        {
            "id": photo.pk,
            "image": photo.image_id,
            "caption": photo.caption,
            "position": photo.position,
            "order": photo.order,
        }
        for photo in photos
    ]


# --- writing the draft ---------------------------------------------------------------------


def keep(article, photos, user, names=PENDING_FIELDS):
    """Keep the article's edited fields (on the instance) and photos as its pending draft.

    names: the fields the user could edit; the draft keeps what it had of the others.
    For the transaction that locked the article's row (the change form's version check).
    The body is sanitised and the slug made once, here, as a save would.
    """
    derived = copy.copy(article)
    derived.derive()
    draft, created = PendingDraft.objects.get_or_create(article=article)
    if not draft.pending:
        draft.status, draft.approved_at, draft.returned_at = Status.DRAFT, None, None
        draft.fields = fields_of(article)
    draft.pending = True
    draft.fields = {**draft.fields, **fields_of(derived, [*names, "slug", "body"])}
    draft.photos = photo_dicts(photos)
    draft.updated_by = user if user is not workflow.SYSTEM else None
    draft.updated_at = timezone.now()
    draft.version = F("version") + 1
    draft.save()
    draft.refresh_from_db()
    return draft


def move(article, draft, action, user, comment="", at=None):
    """Make a move of the pending draft, checked by the workflow's table; return the article.

    Submit, approve and return change the draft's stage; publish copies it onto the
    article. For the transaction that locked the article's row. Each move is a step of
    the article's timeline, from and to the draft's status, and is told as the article's.
    """
    item = as_item(article, draft)
    workflow.check_move(user, item, action, comment)
    transition = workflow.TRANSITIONS[action]
    if transition.check is not None and not workflow.can_edit(user, article):
        # Vouching for the text needs the right to change the live article itself.
        raise PermissionDenied(_("Your role does not allow this step."))
    if action == Action.PUBLISH:
        return publish(article, draft, user, comment)
    from_status = draft.status
    now = timezone.now()
    if transition.status is not None:
        draft.status = transition.status
    for name in transition.stamp:
        setattr(draft, name, now)
    for name in transition.clear:
        if name in ("approved_at", "returned_at"):
            setattr(draft, name, None)
    draft.updated_by = user if user is not workflow.SYSTEM else None
    draft.updated_at = now
    draft.version = F("version") + 1
    draft.save()
    step = _step(article, action, user, from_status, draft.status, comment, now)
    notify = workflow.notifier(Article)
    if notify is not None and transition.notify:
        transaction.on_commit(lambda: notify(step, transition.notify))
    return article


def publish(article, draft, user, comment=""):
    """Copy the pending draft onto the live article: one save, one revision, one step.

    The article stays published, at the publication time the draft gives; the readers'
    announcement is not sent again.
    """
    from_status = draft.status
    apply_fields(draft, article)
    article.updated_by = user if user is not workflow.SYSTEM else None
    article.validate_constraints()
    with reversion.create_revision(atomic=False):
        if user is not workflow.SYSTEM:
            reversion.set_user(user)
        reversion.set_comment(_("Published the pending draft"))
        article.save()
        _place_photos(article, draft.photos)
    _close(draft)
    _step(article, Action.PUBLISH, user, from_status, article.status, comment, timezone.now())
    return article


def discard(article, user):
    """Drop the article's pending draft; the live article stays as it is."""
    draft = pending_draft(article)
    if draft is None:
        return False
    _close(draft)
    return True


def _close(draft):
    PendingDraft.objects.filter(pk=draft.pk).update(
        pending=False, fields={}, photos=[], version=F("version") + 1
    )


def _place_photos(article, photos):
    """Make the article's photo placements those of the draft: update, add, remove."""
    from photos.models import Image

    current = {photo.pk: photo for photo in article.photos.all()}
    chosen = [values["image"] for values in photos if values["image"]]
    images = set(Image.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    kept = set()
    for values in photos:
        if values["image"] and values["image"] not in images:
            continue  # deleted from the library since
        photo = current.get(values["id"]) or Photo(article=article)
        kept.add(photo.pk)
        changed = (
            photo.pk is None
            or photo.image_id != values["image"]
            or (photo.caption, photo.position, photo.order)
            != (values["caption"], values["position"], values["order"])
        )
        if changed:
            photo.image_id = values["image"]
            photo.caption, photo.position, photo.order = (
                values["caption"],
                values["position"],
                values["order"],
            )
            photo.save()
    gone = [pk for pk in current if pk not in kept]
    if gone:
        Photo.objects.filter(pk__in=gone).delete()


def _step(article, action, user, from_status, to_status, comment, at):
    return article.transitions.create(
        user=user if user is not workflow.SYSTEM else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment.strip(),
        at=at,
    )
