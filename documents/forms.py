from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.forms import WorkflowForm
from documents import files
from documents.models import Document, DocumentFile

DATE_INVALID = _("Type the day first, like this: 25/03/2025.")


class DayFirstDateInput(forms.DateInput):
    def __init__(self):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "25/03/2025", "size": 10})


class DocumentAdminForm(WorkflowForm):
    """The admin's document form: its record, and optionally a workflow move made with the save."""

    class Meta:
        model = Document
        fields = [
            "number",
            "doc_type",
            "issuer",
            "field",
            "issued_on",
            "effective_on",
            "signer",
            "summary",
            "validity",
            "replaced_by",
            "articles",
        ]
        widgets = {
            "issued_on": DayFirstDateInput,
            "effective_on": DayFirstDateInput,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "issued_on": {"invalid": DATE_INVALID},
            "effective_on": {"invalid": DATE_INVALID},
        }


class DocumentFileForm(forms.ModelForm):
    """A file row: the upload is recognised by its content and stored under an ASCII name."""

    class Meta:
        model = DocumentFile
        fields = ["file", "is_main", "title", "order"]
        help_texts = {
            "file": _("%(formats)s, at most %(size)s MB, recognised by their content.")
            % {"formats": files.ACCEPTED, "size": files.MAX_FILE_BYTES // (1024 * 1024)}
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # unchanged: checked when it was uploaded
        file_format = files.check_upload(upload)
        self.instance.original_name = upload.name[:255]
        self.instance.format = file_format.key
        self.instance.size = upload.size
        self.instance.reading = DocumentFile.Reading.WAITING
        upload.name = files.stored_name(upload.name, file_format)
        return upload


class DocumentFilterForm(forms.Form):
    """What a reader looks for in /van-ban/: words, a type, an issuing body, a field, a year.

    Anything typed gives a page: a filter that is not valid is left out.
    """

    q = forms.CharField(label=_("Number, summary or words in the text"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    issuer = forms.ChoiceField(label=_("Issuing body"), required=False)
    field = forms.ChoiceField(label=_("Field of work"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, types=(), issuers=(), fields=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = {"type": types, "issuer": issuers, "field": fields}
        everything = {
            "type": _("All types"),
            "issuer": _("All issuing bodies"),
            "field": _("All fields"),
        }
        for name, entries in self.lists.items():
            self.fields[name].choices = [("", everything[name])] + [
                (entry.slug, entry.name) for entry in entries
            ]
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]

    def _entry(self, name):
        slug = self.cleaned_data[name]
        return next((entry for entry in self.lists[name] if entry.slug == slug), None)

    def clean_type(self):
        return self._entry("type")

    def clean_issuer(self):
        return self._entry("issuer")

    def clean_field(self):
        return self._entry("field")
