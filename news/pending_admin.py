"""The admin of live articles' pending drafts (news.pending): the change form opens on the
draft and saves into it, the list and the form say an article has one, a page compares it
with the live article, and a button discards it."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import workflow
from news import pending, revisions
from news.models import Article, PendingDraft, Photo

PENDING_BADGE = _("Has unpublished changes")


class PendingPhotoFormSet(BaseInlineFormSet):
    """The article's photo rows; with a pending draft, the draft's photos.

    draft_photos: the draft's placements (pending.placements), or None for the article's
    own rows. Placements the live article has are the formset's rows, with the draft's
    caption and place; those the draft added come as filled-in new rows.
    """

    def __init__(self, *args, draft_photos=None, **kwargs):
        self.draft_photos = draft_photos
        super().__init__(*args, **kwargs)
        if draft_photos is not None and not self.is_bound:
            self.added = [photo for photo in draft_photos if photo.pk is None]
            self.extra += len(self.added)

    def get_queryset(self):
        if self.draft_photos is None:
            return super().get_queryset()
        return [photo for photo in self.draft_photos if photo.pk is not None]

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        added = getattr(self, "added", [])
        position = index - self.initial_form_count() if index is not None else -1
        if 0 <= position < len(added):
            kwargs["instance"] = added[position]
        return kwargs

    def posted_photos(self):
        """Return the placements this valid formset describes, none of them saved.

        The alt text and credit typed in a row are the library image's: they are saved
        on the image as an ordinary save would (PhotoInlineForm.describe).
        """
        # Nothing of the article's own rows is written (what the admin's history reads).
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        photos = []
        deleted = set(map(id, self.deleted_forms))
        for index, form in enumerate(self.forms):
            if id(form) in deleted or (
                index >= self.initial_form_count() and not form.has_changed()
            ):
                continue
            photo, words = form.instance, form.changed_words()
            if words and photo.image_id is not None and not form.cleaned_data.get("upload"):
                form.describe(photo.image, words)
            photos.append(photo)
        return photos


class PendingDraftAdminMixin:
    """An article admin whose saves of a live article wait as its pending draft."""

    pending_compare_template = "admin/news/article/pending_compare.html"

    def get_queryset(self, request):
        drafts = PendingDraft.objects.filter(article=OuterRef("pk"), pending=True)
        return super().get_queryset(request).annotate(has_pending_draft=Exists(drafts))

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        shown = super().state(obj)
        if not getattr(obj, "has_pending_draft", False):
            return shown
        return format_html(
            '{} <a class="pending-badge" href="{}">{}</a>',
            shown,
            reverse("admin:news_article_pending", args=[obj.pk]),
            PENDING_BADGE,
        )

    # --- the change form ------------------------------------------------------------------

    def pending_draft(self, request, article):
        """Return the article's pending draft, as the change form read it, or None."""
        if article is None or article.pk is None:
            return None
        row = pending.draft_row(article)
        return row if row is not None and row.pending else None

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        draft = self.pending_draft(request, obj)
        if draft is not None and inline.model is Photo:
            kwargs["draft_photos"] = pending.placements(draft)
        return kwargs

    def offered_moves(self, request, item):
        draft = self.pending_draft(request, item)
        if not pending.keeps_changes_pending(item, draft):
            return super().offered_moves(request, item)
        shown = pending.as_item(item, draft or PendingDraft(article=item))
        moves = workflow.allowed_transitions(request.user, shown, pending.DRAFT_ACTIONS)
        # Taking the article down is its own move, made with the form's text.
        return moves + super().offered_moves(request, item)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = context["adminform"].form.pending_draft if obj is not None else None
        context.update(
            pending_draft=draft,
            pending_stage=pending.as_item(obj, draft).stage if draft else None,
            goes_pending=obj is not None and pending.keeps_changes_pending(obj, draft),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if form.keeps_pending:
            return  # kept with its photos in save_related
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        action = form.cleaned_data.get("workflow_action")
        if not form.keeps_pending:
            super().save_related(request, form, formsets, change)
            return
        obj = form.instance
        photos = next(
            (f.posted_photos() for f in formsets if isinstance(f, PendingPhotoFormSet)), []
        )
        names = [name for name in form.fields if name in pending.PENDING_FIELDS]
        draft = pending.keep(obj, photos, request.user, names)
        if action:
            pending.move(
                obj,
                draft,
                action,
                request.user,
                comment=form.cleaned_data.get("workflow_comment", ""),
            )
        request.pending_kept = not action or action != workflow.Action.PUBLISH

    def response_change(self, request, obj):
        if getattr(request, "pending_kept", False) and "workflow_action" not in request.POST:
            self.message_user(
                request,
                _(
                    "“%(title)s”: your changes are kept as a pending draft. Readers still "
                    "see the published article until the changes are published."
                )
                % {"title": obj},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # --- comparing and discarding -------------------------------------------------------

    def pending_compare_view(self, request, object_id):
        article = self.viewable_item(request, object_id)
        draft = pending.pending_draft(article)
        if draft is None:
            raise Http404
        context = self.page_context(
            request,
            article,
            _("Unpublished changes to “%s”") % article,
            draft=draft,
            draft_stage=pending.as_item(article, draft).stage,
            changes=revisions.compare_pending(article, draft),
            can_discard=self.has_change_permission(request, article),
        )
        return TemplateResponse(request, self.pending_compare_template, context)

    def pending_discard_view(self, request, object_id):
        with transaction.atomic():
            article = self.get_object(request, unquote(object_id))
            if article is None:
                raise Http404
            article = Article.all_objects.select_for_update().get(pk=article.pk)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            row = pending.draft_row(article, fresh=True)
            opened = request.POST.get("edit_version", "")
            if opened != str(pending.edit_version(article, row)):
                self.message_user(
                    request,
                    _(
                        "Someone changed the article after you opened it: the pending "
                        "changes were not discarded. Look at them again first."
                    ),
                    messages.ERROR,
                )
            elif pending.discard(article, request.user):
                self.message_user(
                    request,
                    _("The pending changes were discarded: the published article is unchanged."),
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))

    def pending_urls(self):
        """Return the pending draft's addresses, to put before the admin's own."""

        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "<path:object_id>/pending/",
                view(self.pending_compare_view),
                name="news_article_pending",
            ),
            path(
                "<path:object_id>/pending/discard/",
                view(require_POST(self.pending_discard_view)),
                name="news_article_pending_discard",
            ),
        ]
