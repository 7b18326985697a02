import datetime
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core import workflow
from core.forms import DATETIME_INVALID, DateTimeInput, MinuteDateTimeField, WorkflowForm
from core.text import unique_slug
from news import pending
from news.models import PENDING_FIELDS, Article, PendingDraft

# A publication time this far in the past is a backdating the editor must confirm.
BACKDATE_GRACE = datetime.timedelta(minutes=5)


class ArticleAdminForm(WorkflowForm):
    """The admin's article form: the text, and optionally a workflow move made with the save.

    Besides the workflow's checks (core.forms.WorkflowForm), a publication time in the
    past is confirmed once before it is published.
    """

    # Carries the past publication time the editor was warned about, once.
    backdate_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)
    # Names a new article's copy kept in the browser while it is typed (article_form.js):
    # one per form, kept through a refused save.
    draft_key = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        # A pending draft keeps exactly what this form edits: one list for both.
        fields = list(PENDING_FIELDS)
        field_classes = {"published_at": MinuteDateTimeField, "expires_at": MinuteDateTimeField}
        widgets = {
            "published_at": DateTimeInput(_("dd/mm/yyyy hh:mm — empty: when it is published")),
            "expires_at": DateTimeInput(_("dd/mm/yyyy hh:mm — empty: it does not expire")),
        }
        error_messages = {
            "published_at": {"invalid": DATETIME_INVALID},
            "expires_at": {"invalid": DATETIME_INVALID},
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        # The article's pending draft, if it has one: the form opens on its fields.
        self.draft_row = pending.draft_row(instance) if instance and instance.pk else None
        if self.pending_draft is not None:
            kwargs["initial"] = {**pending.initial(self.pending_draft), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["draft_key"].initial = secrets.token_hex(8)
        if self.instance.pk:
            self.fields["edit_version"].initial = pending.edit_version(
                self.instance, self.draft_row
            )

    @property
    def pending_draft(self):
        """Return the article's pending draft with changes in it, or None."""
        row = self.draft_row
        return row if row is not None and row.pending else None

    def goes_pending(self, action=None):
        """Return True if this save (with this move) is kept as the article's pending draft.

        Judged on the article as stored, under the lock the version check took.
        """
        return (
            self.instance.pk is not None
            and pending.keeps_changes_pending(self.instance, self.pending_draft)
            and (not action or action in pending.DRAFT_ACTIONS)
        )

    def stored_edit(self):
        # The draft is read under the article's lock, as the article was.
        self.draft_row = pending.draft_row(self.instance, fresh=True)
        version = pending.edit_version(self.instance, self.draft_row)
        draft = self.pending_draft
        if draft is not None:
            return version, draft.updated_by_id, draft.updated_at
        return version, self.instance.updated_by_id, self.instance.updated_at

    def stored_value(self, name):
        draft = self.pending_draft
        if draft is not None and name in draft.fields:
            return pending.initial(draft)[name]
        return super().stored_value(name)

    def check_move(self, action, cleaned_data):
        """Judge a move of the pending draft on the draft, a move of the article on it."""
        if not self.goes_pending(action):
            super().check_move(action, cleaned_data)
            return
        draft = self.pending_draft or PendingDraft(article=self.instance)
        item = pending.as_item(self.instance, draft)
        for name in item.needed_to_submit:
            if name in cleaned_data:
                setattr(item, name, cleaned_data[name])
        try:
            workflow.check_move(self.user, item, action, cleaned_data.get("workflow_comment", ""))
        except ValidationError as error:
            self.add_error(None, error)
        if action == workflow.Action.PUBLISH and not cleaned_data.get("published_at"):
            cleaned_data["published_at"] = timezone.now()

    def clean_slug(self):
        """Give a slug another article has (the same title twice) the next free suffix."""
        slug = self.cleaned_data["slug"]
        taken = Article.all_objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if slug and taken:
            slug = unique_slug(
                Article,
                slug,
                Article._meta.get_field("slug").max_length,
                exclude_pk=self.instance.pk,
            )
        return slug

    # Whether this save is kept as the article's pending draft: decided once, in clean(),
    # on the article as stored; the admin reads it after the save changed the article.
    keeps_pending = False

    def clean(self):
        cleaned_data = super().clean()
        self.keeps_pending = self.goes_pending(cleaned_data.get("workflow_action"))
        self.check_backdating(cleaned_data.get("workflow_action"), cleaned_data)
        return cleaned_data

    def check_backdating(self, action, cleaned_data):
        """Ask once before a publication time in the past is published or set."""
        published_at = cleaned_data.get("published_at")
        if published_at is None or published_at >= timezone.now() - BACKDATE_GRACE:
            return
        # Publishing a live article's pending draft keeps its time unless it was changed.
        publishing = action == workflow.Action.PUBLISH and not self.goes_pending(action)
        moved = self.instance.status == Article.Status.PUBLISHED and (
            "published_at" in self.changed_data
        )
        if not (publishing or moved):
            return
        typed = self.data.get(self.add_prefix("published_at"), "")
        if cleaned_data.get("backdate_confirmed") == typed:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("backdate_confirmed")] = typed
        self.add_error(
            "published_at",
            ValidationError(
                _(
                    "This time is in the past: readers will see the article as published "
                    "on %(time)s. To keep it, press the same button again; to publish now, "
                    "empty the field."
                ),
                code="backdate",
                params={
                    "time": formats.date_format(timezone.localtime(published_at), "DATETIME_FORMAT")
                },
            ),
        )


class SearchForm(forms.Form):
    """What a reader searches for: words, and optionally a category and a year.

    Anything typed gives a page: the words are cut to what search reads, and a
    filter that is not valid is left out. Categories and years are given as lists,
    so the page loads them once.
    """

    q = forms.CharField(label=_("Words to search for"), required=False, strip=True)
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, categories=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {category.slug: category for category in categories}
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.slug, category.name) for category in categories
        ]
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]

    def clean_category(self):
        return self.categories.get(self.cleaned_data["category"])
