"""Rich text written by staff: edited in CKEditor 4, stored sanitised, read safely.

A model declares a rich-text field with `RichTextField`, and the rest follows from the
field: its form shows `RichTextEditor`, which brings the editor's content-security
policy to whatever page draws it (core.csp), and every value is sanitised
(core.html.sanitize_html) when the row is saved. HTML that shows nothing is stored as "",
and its form field reads it as "", so that checks for a missing text see it missing.
"""

from ckeditor_uploader.fields import RichTextUploadingField, RichTextUploadingFormField
from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django.conf import settings

from core import csp
from core.html import sanitize_html


class RichTextEditor(CKEditorUploadingWidget):
    """CKEditor 4, which asks for settings.EDITOR_CSP on every page that draws it."""

    def render(self, name, value, attrs=None, renderer=None):
        csp.require(settings.EDITOR_CSP)
        return super().render(name, value, attrs, renderer)


class RichTextFormField(RichTextUploadingFormField):
    """The editor's HTML, or "" if it shows nothing (the row would store ""): a form that
    needs the text sees it missing."""

    widget = RichTextEditor

    def to_python(self, value):
        value = super().to_python(value)
        return value if sanitize_html(value) else ""


class RichTextField(RichTextUploadingField):
    """HTML written by staff in CKEditor, sanitised (sanitize_html) whenever it is saved."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
