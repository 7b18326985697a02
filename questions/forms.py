import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from questions.models import Question

MAX_TEXT_LENGTH = 5000
PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")
# The field bots fill in and people never see: a question that has it is not stored.
HONEYPOT = "website"


def plain_text(value):
    """Return value in Unicode NFC without control characters other than line breaks and tabs."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(
        char for char in value if char in "\n\t" or unicodedata.category(char)[0] != "C"
    ).strip()


class QuestionForm(forms.ModelForm):
    required_css_class = "required"
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Question
        fields = ["name", "email", "phone", "topic", "text"]
        labels = {
            "name": _("Your name"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "topic": _("Topic"),
            "text": _("Your question or feedback"),
        }
        help_texts = {
            "email": _("Give an e-mail address or a phone number, or both, so that we can answer."),
            "text": _("At most 5,000 characters."),
        }
        error_messages = {
            "email": {"invalid": _("This e-mail address is not valid, e.g. ten@gmail.com.")}
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_TEXT_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].empty_label = _("Choose a topic")

    @property
    def is_from_a_bot(self):
        return bool(self.data.get(HONEYPOT))

    def clean_name(self):
        return plain_text(self.cleaned_data["name"])

    def clean_phone(self):
        phone = plain_text(self.cleaned_data["phone"])
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Write the phone number with digits only, e.g. 0209 3870 000.")
            )
        return phone

    def clean_text(self):
        text = plain_text(self.cleaned_data["text"])
        if len(text) > MAX_TEXT_LENGTH:
            raise forms.ValidationError(
                _("The question is too long: at most 5,000 characters, please.")
            )
        if not text:
            raise forms.ValidationError(_("Write your question."))
        return text

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("email") or cleaned.get("phone")
        if not given and not (self.has_error("email") or self.has_error("phone")):
            self.add_error(
                "email", _("Give an e-mail address or a phone number, so that we can answer you.")
            )
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The code shown when you sent the question, e.g. HK7M-2QXP."),
    )
