from django import forms
from django.utils.translation import gettext_lazy as _

from schedule.models import Entry, in_calendar_range, leaders


class WeekChoiceForm(forms.Form):
    """What a reader picks on the calendar page: a day (its week) and a leader."""

    ngay = forms.DateField(
        label=_("Go to the week of"),
        required=False,
        # Typed and shown day first (a browser's own date input follows its interface's
        # language, month first in many); the month table beside it is the picker.
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10},
            format="%d/%m/%Y",
        ),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
    )
    lanh_dao = forms.ModelChoiceField(
        label=_("Leader"),
        queryset=leaders(),
        required=False,
        empty_label=_("All leaders"),
        error_messages={"invalid_choice": _("This leader is not in the directory.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lanh_dao"].label_from_instance = lambda officer: (
            f"{officer.name} – {officer.position}"
        )

    def clean_ngay(self):
        day = self.cleaned_data["ngay"]
        if day and not in_calendar_range(day):
            raise forms.ValidationError(_("The calendar has no week so far from today."))
        return day


class EntryForm(forms.ModelForm):
    """An entry in the admin; for a published week, with what readers are told of the edit."""

    cancelled = forms.BooleanField(
        label=_("Cancelled"),
        required=False,
        help_text=_("Readers see the entry struck through as cancelled; untick to restore it."),
    )
    change_note = forms.CharField(
        label=_("Note for readers about this change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it changed, e.g. “Moved to the afternoon at the province's request”."),
    )

    class Meta:
        model = Entry
        fields = [
            "week",
            "date",
            "starts_at",
            "ends_at",
            "title",
            "place",
            "presiding",
            "attendees",
            "attending_departments",
            "other_attendees",
            "preparing_department",
            "notes",
            "is_event",
            "articles",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cancelled" in self.fields:
            self.fields["cancelled"].initial = self.instance.is_cancelled
