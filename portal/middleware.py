"""The portal's middleware: the editor's CSP, and a 503 page while the database is away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError

from portal.views import database_unavailable

logger = logging.getLogger(__name__)


class EditorContentSecurityPolicyMiddleware:
    """Give the pages where CKEditor 4 runs settings.EDITOR_CSP; the rest keeps SECURE_CSP.

    It must stand after django.middleware.csp.ContentSecurityPolicyMiddleware,
    which then writes the header from the policy chosen here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        runs_the_editor = request.path_info.startswith(settings.EDITOR_CSP_PATH) or (
            match is not None and match.view_name in settings.EDITOR_CSP_VIEWS
        )
        # A view's own csp_override() wins.
        if runs_the_editor and not hasattr(response, "_csp_config"):
            response._csp_config = settings.EDITOR_CSP
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database cannot be reached or is busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable for %s", request.path, exc_info=exception)
            return database_unavailable(request)
        return None
