"""The portal's own views: health checks, the 503 page while the database is away, errors."""

import sys

from django.contrib import admin
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseForbidden
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from core import database

# How long readers are asked to wait when the database is away (seconds).
RETRY_AFTER = 30
# How long the readiness check waits for the database.
READY_SECONDS = 1


@never_cache
@require_safe
def healthz(request):
    """Answer the load balancer without touching the database (liveness)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Answer "ok" only if the database answers, within a second (readiness).

    While this process has found the database hung (core.database's breaker), say so at
    once without asking it again.
    """
    if database.breaker.is_open():
        return not_ready("database not answering")
    try:
        with database.deadline(READY_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return not_ready("database unavailable")
    return HttpResponse("ok", content_type="text/plain")


def not_ready(reason):
    return HttpResponse(
        reason, status=503, content_type="text/plain", headers={"Retry-After": str(RETRY_AFTER)}
    )


def database_unavailable(request):
    """Return the 503 page readers see while the database is away.

    Rendered without the request's context processors, which would query the
    database again.
    """
    response = HttpResponse(
        loader.render_to_string("503.html"),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER)},
    )
    add_never_cache_headers(response)
    return response


@requires_csrf_token
def server_error(request):
    """Answer 503 instead of 500 when the error was the database going away."""
    if isinstance(sys.exception(), OperationalError | InterfaceError) or database.gave_up():
        return database_unavailable(request)
    return django_server_error(request)


# Django's 400, 403 and 404 pages run the CSRF check first, for templates that print a
# token (ours print none). On a POST whose body Django cannot parse (multipart without a
# boundary) that check raised inside the error page, and a 404 became a 500. These are
# Django's pages without it.


def bad_request(request, exception):
    return defaults.bad_request.__wrapped__(request, exception)


def permission_denied(request, exception):
    """Refuse inside the admin's own pages for staff, the public page elsewhere."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff and _in_admin(request):
        return admin_permission_denied(request, exception)
    return defaults.permission_denied.__wrapped__(request, exception)


def _in_admin(request):
    try:
        return request.path.startswith(reverse("admin:index"))
    except NoReverseMatch:
        return False


def admin_permission_denied(request, exception):
    """Say, in the admin's frame, that the staff member may not open this and why."""
    context = {
        **admin.site.each_context(request),
        "title": _("Not allowed"),
        "reason": str(exception or ""),
    }
    return HttpResponseForbidden(loader.render_to_string("admin/403.html", context, request))


def page_not_found(request, exception):
    return defaults.page_not_found.__wrapped__(request, exception)
