import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from news import workflow
from news.models import Article

DATETIME_INVALID = _("Type the day, then the time, like this: 25/03/2023 07:00.")
# A publication time this far in the past is a backdating the editor must confirm.
BACKDATE_GRACE = datetime.timedelta(minutes=5)


class DateTimeInput(forms.DateTimeInput):
    """One text box for a day and a time, typed day first."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y %H:%M", attrs={"placeholder": "25/03/2023 07:00"})


class MinuteDateTimeField(forms.DateTimeField):
    """A time typed to the minute: an unchanged box keeps the stored seconds."""

    def has_changed(self, initial, data):
        if initial is not None:
            initial = initial.replace(second=0, microsecond=0)
        return super().has_changed(initial, data)


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form: the text, and optionally a workflow move made with the save.

    The form carries the version it was opened at; a save whose version is no
    longer current is refused, and the editor's text stays in the form. A
    workflow button submits the whole form: the text is saved and the article
    moved in one step, or, if anything is wrong, neither happens.
    """

    user = None  # set by ArticleAdmin.get_form

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_action = forms.ChoiceField(
        choices=workflow.Action.choices, required=False, widget=forms.HiddenInput
    )
    # Carries the past publication time the editor was warned about, once.
    backdate_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)
    workflow_comment = forms.CharField(
        label=_("What should the author change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "lead",
            "body",
            "author_name",
            "category",
            "published_at",
            "expires_at",
            "featured",
        ]
        field_classes = {"published_at": MinuteDateTimeField, "expires_at": MinuteDateTimeField}
        widgets = {"published_at": DateTimeInput, "expires_at": DateTimeInput}
        error_messages = {
            "published_at": {"invalid": DATETIME_INVALID},
            "expires_at": {"invalid": DATETIME_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
        elif self.user is not None:
            self.instance.created_by = self.user

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            self.check_version(cleaned_data.get("edit_version"))
        for name in ("published_at", "expires_at"):
            # An unchanged box keeps the stored time, seconds included.
            if name in cleaned_data and name not in self.changed_data:
                cleaned_data[name] = getattr(self.instance, name)
        action = cleaned_data.get("workflow_action")
        if action:
            self.check_move(action, cleaned_data)
        self.check_backdating(action, cleaned_data)
        return cleaned_data

    def check_backdating(self, action, cleaned_data):
        """Ask once before a publication time in the past is published or set."""
        published_at = cleaned_data.get("published_at")
        if published_at is None or published_at >= timezone.now() - BACKDATE_GRACE:
            return
        publishing = action == workflow.Action.PUBLISH
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

    def check_move(self, action, cleaned_data):
        """Refuse a move the user may not make now; check what the move needs from the form.

        Judged on the article as stored under the lock check_version() took, before
        this form's edits; the admin then makes the move on it (workflow.make_move).
        """
        try:
            workflow.check_move(
                self.user, self.instance, action, cleaned_data.get("workflow_comment", "")
            )
        except ValidationError as error:
            self.add_error(None, error)
        if workflow.TRANSITIONS[action].schedulable and not cleaned_data.get("published_at"):
            # Published now: the model's constraints then check the expiry against this moment.
            cleaned_data["published_at"] = timezone.now()

    def check_version(self, opened_version):
        """Lock the article and read it again; refuse the save if it changed since it was opened.

        The admin saves inside a transaction and the row lock holds until it commits:
        a workflow move is checked against, and made on, the article as it is now.
        """
        try:
            self.instance.refresh_from_db(from_queryset=Article.all_objects.select_for_update())
        except Article.DoesNotExist:
            return
        current = self.instance
        if opened_version == current.version:
            return
        # Saving again now replaces the other edit on purpose: the editor has been told.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current.version
        editor = get_user_model().objects.filter(pk=current.updated_by_id).first()
        raise ValidationError(
            _(
                "%(name)s saved this article at %(time)s, after you opened it. Your "
                "changes were not saved and are still in the form below. Open the article "
                "in a new tab to see their version, bring the two together here, then save "
                "again: saving again will replace their version."
            ),
            code="stale",
            params={
                "name": (editor.get_full_name() or editor.get_username())
                if editor
                else _("Someone"),
                "time": formats.date_format(
                    timezone.localtime(current.updated_at), "DATETIME_FORMAT"
                ),
            },
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
