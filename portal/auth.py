"""Logins: throttling with django-axes, the lockout page, and the way back by e-mail.

Two limits, both counted in django-axes' table of failed logins (shared by every worker,
kept across restarts): five wrong passwords for one account from one address lock that
pair, and LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords from one address, whatever the
accounts, lock the address. A locked login is refused before any password is hashed.
A locked-out staff member sets a new password through a link sent by e-mail; setting it
lifts the lock at once. The client's address comes from core.ratelimit.client_address,
like every rate limit.
"""

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db.models import Sum
from django.tasks import task
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core import mail
from core.ratelimit import RateLimit, client_address, client_key


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuse a locked-out login before any password is hashed.

    Logins outside a request (the shell, the test client) cannot be guessed
    at from outside and are left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginAttempts(AxesDatabaseHandler):
    """django-axes' record of failed logins, with a limit per address across accounts."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or address_is_locked(request)


def address_is_locked(request):
    """Return True if the request's address has failed too many logins, for any accounts."""
    failures = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def login_locked_out(request, original_response=None, credentials=None):
    """Show the admin login page again, saying logging in is locked here for a while."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AdminAuthenticationForm(request, initial={"username": username})
    if address_is_locked(request):
        message = _(
            "Logging in is temporarily locked: too many wrong passwords from your address. "
            "Try again in %(minutes)d minutes, or set a new password with the link below."
        )
    else:
        message = _(
            "Logging in is temporarily locked: too many wrong passwords for this account "
            "from your address. Try again in %(minutes)d minutes, or set a new password with "
            "the link below: that unlocks it at once."
        )
    messages.error(request, message % {"minutes": minutes})
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, ""),
        "username": "",
    }
    return TemplateResponse(request, "admin/login.html", context, status=429).render()


# --- Setting a new password by e-mail --------------------------------------------------

# Requests for a link, per client: enough for a typo or two, too few to flood a mailbox.
RESET_REQUESTS = (5, 3600)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, whose message is queued: the link is made when the worker sends it."""

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            mail_password_reset.enqueue(user.pk)


@task
def mail_password_reset(user_pk, attempt=1):
    """Mail the user a link to set a new password; try again later if the mail server fails.

    The link is made here, in the worker, so that no usable link is ever stored in the queue.
    """
    user = get_user_model()._default_manager.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    subject, body = mail.render(
        "portal/email/password_reset",
        {"user": user, "reset_url": settings.SITE_URL.rstrip("/") + path},
    )
    try:
        EmailMessage(subject, body, None, [user.email]).send()
    except Exception as error:
        return mail.retry_later(
            mail_password_reset, attempt, (user_pk,), {}, f"password reset to {user.email}", error
        )
    return True


class AdminPageMixin:
    """Draw the page inside the admin's frame (its header and the union's name)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        if not RateLimit("password-reset", *RESET_REQUESTS).hit(client_key(self.request)):
            form.add_error(
                None, _("Too many requests for a new password from your address. Try again later.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's mail may log in again at once: the failures of this
        # account, and those of the address the link was opened from, are forgotten.
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        AxesProxyHandler.reset_attempts(ip_address=client_address(self.request))
        return response


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass


password_reset = PasswordResetView.as_view(success_url=reverse_lazy("password_reset_done"))
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("password_reset_complete")
)
password_reset_complete = PasswordResetCompleteView.as_view()
