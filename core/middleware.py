"""A 503 page, not a 500, while the database is away."""

import logging

from django.conf import settings
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
