"""Form pieces every app may use: controls named by their labels, day-first date and time
boxes, the workflow's form and the leaders' redirects."""

from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core import redirects, workflow
from core.models import Redirect
from core.names import staff_name

# Widgets drawing several controls, each with a label of its own.
LABELLED_PARTS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)


class NamedBoundField(BoundField):
    """A field whose control carries its label as its accessible name.

    Pages do not always draw a <label> for a control: the admin's tables of inline rows
    head each column once, and Django puts a file box under a <legend>. Screen readers
    then announce an unnamed box; the label, given as aria-label, names it everywhere.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        named = {"aria-label", "aria-labelledby"} & {*attrs, *widget.attrs}
        parts = isinstance(widget, LABELLED_PARTS)
        if self.label and not widget.is_hidden and not named and not parts:
            attrs["aria-label"] = str(self.label)
        return attrs


class Renderer(DjangoTemplates):
    """Django's form renderer, with every form's fields named (settings.FORM_RENDERER)."""

    bound_field_class = NamedBoundField


DATETIME_INVALID = _("Type the day, then the time, like this: 25/03/2023 07:00.")
DATETIME_HINT = _("dd/mm/yyyy hh:mm")


class DateTimeInput(forms.DateTimeInput):
    """One text box for a day and a time, typed day first.

    Its placeholder is a hint, not a time that could pass for a value: the format, and what
    an empty box means.
    """

    def __init__(self, placeholder=DATETIME_HINT):
        super().__init__(format="%d/%m/%Y %H:%M", attrs={"placeholder": placeholder})


class MinuteDateTimeField(forms.DateTimeField):
    """A time typed to the minute: an unchanged box keeps the stored seconds."""

    def has_changed(self, initial, data):
        if initial is not None:
            initial = initial.replace(second=0, microsecond=0)
        return super().has_changed(initial, data)


class WorkflowForm(forms.ModelForm):
    """An admin form for a workflowed row: its fields, and optionally a move made with the save.

    The form carries the version it was opened at; a save whose version is no longer
    current is refused, and the editor's text stays in the form. A workflow button
    submits the whole form: the row is saved and moved in one step, or, if anything is
    wrong, neither happens.
    """

    user = None  # set by core.admin.WorkflowAdminMixin.get_form

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_action = forms.ChoiceField(
        choices=workflow.Action.choices, required=False, widget=forms.HiddenInput
    )
    workflow_comment = forms.CharField(
        label=_("What should the author change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

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
            if name in self.fields and name in cleaned_data and name not in self.changed_data:
                cleaned_data[name] = self.stored_value(name)
        action = cleaned_data.get("workflow_action")
        if action:
            self.check_move(action, cleaned_data)
        return cleaned_data

    def check_move(self, action, cleaned_data):
        """Refuse a move the user may not make now; check what the move needs from the form.

        Judged on the row as stored under the lock check_version() took, before this
        form's edits; the admin then makes the move on it (workflow.make_move).
        """
        # The fields the move needs are judged as typed in this form.
        for name in self.instance.needed_to_submit:
            if name in cleaned_data:
                setattr(self.instance, name, cleaned_data[name])
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
        """Lock the row and read it again; refuse the save if it changed since it was opened.

        The admin saves inside a transaction and the row lock holds until it commits: a
        workflow move is checked against, and made on, the row as it is now.
        """
        model = type(self.instance)._meta.concrete_model
        try:
            self.instance.refresh_from_db(from_queryset=model._default_manager.select_for_update())
        except model.DoesNotExist:
            return
        version, editor_id, saved_at = self.stored_edit()
        if opened_version == version:
            return
        # Saving again now replaces the other edit on purpose: the editor has been told.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = version
        editor = get_user_model().objects.filter(pk=editor_id).first()
        raise ValidationError(
            _(
                "%(name)s saved this %(item)s at %(time)s, after you opened it. Your "
                "changes were not saved and are still in the form below. Open the %(item)s "
                "in a new tab to see their version, bring the two together here, then save "
                "again: saving again will replace their version."
            ),
            code="stale",
            params={
                "item": model._meta.verbose_name,
                "name": staff_name(editor, nobody=_("Someone")),
                "time": formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT"),
            },
        )

    def stored_edit(self):
        """Return (version, who saved it, when) of the row as check_version() read it."""
        return self.instance.version, self.instance.updated_by_id, self.instance.updated_at

    def stored_value(self, name):
        """Return what is stored of a field the form shows (an unchanged box keeps it)."""
        return getattr(self.instance, name)


class RedirectForm(forms.ModelForm):
    """A leader's redirect: addresses tidied, this portal's own full addresses made paths."""

    class Meta:
        model = Redirect
        fields = ["old_path", "redirect_to"]

    def clean_old_path(self):
        return redirects.normalize_path(self.cleaned_data["old_path"])

    def clean_redirect_to(self):
        address = self.cleaned_data["redirect_to"].strip()
        parts = urlsplit(address)
        if parts.scheme and parts.scheme not in ("http", "https"):
            raise ValidationError(_("Give an address starting with / or https://."))
        if parts.scheme and not redirects.is_own_host(parts.hostname):
            return address
        if not parts.scheme and not address.startswith("/"):
            raise ValidationError(_("Give an address starting with / or https://."))
        return redirects.normalize_path(address)

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("redirect_to")
        if not old or not new:
            return cleaned
        # Follow the leaders' redirects from the new address: coming back is a loop.
        others = dict(
            Redirect.objects.exclude(pk=self.instance.pk).values_list("old_path", "redirect_to")
        )
        seen, address = set(), new
        while address not in seen:
            if address == old:
                raise ValidationError(
                    {
                        "redirect_to": _(
                            "This address leads back to the old one: readers would go in circles."
                        )
                    }
                )
            seen.add(address)
            address = others.get(address)
            if address is None:
                break
        return cleaned

    def save(self, commit=True):
        redirects.link_target(self.instance)
        return super().save(commit)
