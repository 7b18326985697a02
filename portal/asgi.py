import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_asgi_application()

from portal.checks import require_secret_key  # noqa: E402 (after Django is set up)

require_secret_key()
