"""Login throttling with django-axes: the backend and the lockout page.

The client's address comes from core.ratelimit.client_address, like every rate limit.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuse a locked-out login before any password is hashed.

    Logins outside a request (the shell, the test client) cannot be guessed
    at from outside and are left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def login_locked_out(request, original_response=None, credentials=None):
    """Show the admin login page again, saying the account is locked here for a while."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AdminAuthenticationForm(request, initial={"username": username})
    messages.error(
        request,
        _(
            "Logging in is temporarily locked: too many wrong passwords for this account "
            "from your address. Try again in %(minutes)d minutes, or ask an administrator "
            "to unlock it."
        )
        % {"minutes": minutes},
    )
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
