"""A 503 page, not a 500, while the database is away; a 400 for what no view can take."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError

from core import database
from core.views import database_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database cannot be reached, is busy or
    does not answer within settings.DATABASE_HANG_TIMEOUT seconds (core.database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with database.deadline(settings.DATABASE_HANG_TIMEOUT):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or database.gave_up():
            logger.error("Database unavailable for %s", request.path, exc_info=exception)
            return database_unavailable(request)
        return None


class RefuseNulMiddleware:
    """Answer 400 to an address or query string with a NUL character.

    No text a reader may send holds one, and PostgreSQL refuses it in any query: a
    `?category=` or search term with one was a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address or the query string")
        return self.get_response(request)
