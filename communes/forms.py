"""The admin's forms to import the supported communes from a file and to export them."""

import base64
import binascii

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.csv_format import BadRowsError, read_rows
from communes.models import SupportProgram
from communes.spreadsheets import read_table

# A province's programs of many years fit in a few hundred kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    """A file to import: uploaded, or carried by the preview's confirm button.

    Valid, it holds the file's rows (programs, supports), checked by the same rules as
    the import_communes command.
    """

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "CSV (separated by commas or semicolons, as Excel saves it) or Excel (.xlsx), "
            "at most 2 MB, with the columns of the export: export first, change the rows, "
            "import the file."
        ),
    )
    year = forms.IntegerField(
        label=_("Only the year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Leave empty to import every year the file has."),
    )
    remove_missing = forms.BooleanField(
        label=_("Remove the communes the file leaves out"),
        required=False,
        help_text=_(
            "Tick when the file is the whole list of each of its years: a supported commune "
            "of those years that the file does not list is removed from the program."
        ),
    )
    # The file's name and content (base64) and what the preview showed, on confirmation.
    name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    content = forms.CharField(required=False, widget=forms.HiddenInput)
    digest = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(
                    {"file": gettext("The file is larger than 2 MB: it is not a communes file.")}
                )
            data, name = upload.read(), upload.name
        elif cleaned.get("content"):
            try:
                data = base64.b64decode(cleaned["content"], validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError(gettext("Choose the file again.")) from None
            name = cleaned.get("name") or ""
            if len(data) > MAX_FILE_BYTES:
                raise ValidationError(gettext("Choose the file again."))
        else:
            raise ValidationError({"file": gettext("Choose a CSV or Excel file.")})
        if not data.strip():
            raise ValidationError({"file": gettext("The file is empty.")})
        year = cleaned.get("year")
        try:
            self.programs, self.supports = read_rows(read_table(data, name), year=year)
        except BadRowsError as error:
            raise ValidationError({"file": error.errors}) from None
        if year is not None and not self.programs:
            raise ValidationError(
                {"year": gettext("The file has no rows of %(year)s.") % {"year": year}}
            )
        cleaned["name"] = name
        cleaned["content"] = base64.b64encode(data).decode()
        return cleaned


class ExportForm(forms.Form):
    FORMATS = [
        ("xlsx", _("Excel (.xlsx)")),
        ("csv-semicolon", _("CSV separated by semicolons (Excel in Vietnamese)")),
        ("csv", _("CSV separated by commas")),
    ]

    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=()
    )
    file_format = forms.ChoiceField(
        label=_("File format"), choices=FORMATS, initial="xlsx", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = SupportProgram.objects.values_list("year", flat=True)
        self.fields["year"].choices = [("", _("Every year")), *((y, y) for y in years)]
