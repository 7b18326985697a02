from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form, refusing to overwrite a save made in between.

    The form carries the version it was opened at; a save whose version is no
    longer current is refused, and the editor's text stays in the form.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            self.check_version(cleaned_data.get("edit_version"))
        return cleaned_data

    def check_version(self, opened_version):
        # The admin saves inside a transaction; the row lock holds until it commits.
        current = (
            Article.all_objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values("version", "updated_by", "updated_at")
            .first()
        )
        if current is None or opened_version == current["version"]:
            return
        # Saving again now replaces the other edit on purpose: the editor has been told.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current["version"]
        editor = get_user_model().objects.filter(pk=current["updated_by"]).first()
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
                    timezone.localtime(current["updated_at"]), "DATETIME_FORMAT"
                ),
            },
        )


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)
    publish_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        help_text=_("Day first, e.g. 25/03/2023 07:00. Empty: now."),
    )
