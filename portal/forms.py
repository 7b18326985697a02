"""The staff form: a new staff member from a name, an e-mail address and a role."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import mail
from core.names import split_name
from portal.roles import ROLE_PERMISSIONS


class StaffAccountForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        help_text=_("Family name first, as it is written: “Trần Văn Đức”."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("A message to choose a password is sent to this address."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *((name, name) for name in ROLE_PERMISSIONS)],
        error_messages={"required": _("Choose the staff member's role.")},
    )

    def clean_full_name(self):
        last_name, first_name = split_name(self.cleaned_data["full_name"])
        user_model = get_user_model()
        if (
            len(last_name) > user_model._meta.get_field("last_name").max_length
            or len(first_name) > user_model._meta.get_field("first_name").max_length
        ):
            raise forms.ValidationError(_("This name is too long."))
        return last_name, first_name

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A staff member already has this e-mail address: find them in the list.")
            )
        return email

    @transaction.atomic
    def save(self):
        """Create the staff member in the role's group and send the set-your-password mail."""
        last_name, first_name = self.cleaned_data["full_name"]
        email = self.cleaned_data["email"]
        user = get_user_model()(
            username=free_username(email),
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=self.cleaned_data["role"]))
        transaction.on_commit(lambda: SetPasswordMail(user).send())
        return user


def free_username(email):
    """Return the part of the address before @, numbered if another account has it."""
    users = get_user_model().objects
    base = email.split("@")[0][:140] or "canbo"
    username, number = base, 2
    while users.filter(username__iexact=username).exists():
        username, number = f"{base}{number}", number + 1
    return username


class SetPasswordMail(PasswordResetForm):
    """Django's password-reset message for a new account, sent through the mail queue."""

    def __init__(self, user):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        # The new account has no password yet, which Django's own form would skip.
        return [self.user]

    def send(self):
        site = urlsplit(settings.SITE_URL)
        self.full_clean()
        with translation.override(settings.LANGUAGE_CODE):
            self.save(
                domain_override=site.netloc,
                use_https=site.scheme == "https",
                subject_template_name="registration/new_staff_subject.txt",
                email_template_name="registration/new_staff_body.txt",
                extra_email_context={"site_url": settings.SITE_URL},
            )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Plain text: a name with "&" or quotes arrives as typed (core.mail).
        subject = render_to_string(subject_template_name, context, using=mail.TEXT_ENGINE)
        body = render_to_string(email_template_name, context, using=mail.TEXT_ENGINE)
        mail.queue(" ".join(subject.split()), body, context["email"])
