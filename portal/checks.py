"""The secret key production needs: refused by the app server, reported by `check --deploy`.

Settings load without it, so that commands that sign nothing (makemigrations, a migration
check in CI) run with production's defaults; what serves requests does not start.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production, the default); "
    "set DJANGO_DEBUG=1 for a local run."
)


def has_secret_key():
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty one
        return False


def require_secret_key():
    """Refuse to serve without a secret key (portal/wsgi.py, portal/asgi.py)."""
    if not has_secret_key():
        raise ImproperlyConfigured(MISSING_SECRET_KEY)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if has_secret_key():
        return []
    return [checks.Error(MISSING_SECRET_KEY, id="portal.E001")]
