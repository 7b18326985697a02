"""A 503 page, not a 500, while the database is away."""

import logging

from django.db import InterfaceError, OperationalError

from core.views import database_unavailable

logger = logging.getLogger(__name__)


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
