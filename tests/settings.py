"""The settings the tests run with: the portal's, asked for in debug mode.

The portal's default is production (portal/settings.py); the tests need the local
values (a local key, the immediate task backend, plain static files). Processes the
tests start inherit DJANGO_DEBUG=1 unless they ask for production themselves
(tests/servers.py).
"""

import os

os.environ["DJANGO_DEBUG"] = "1"

from portal.settings import *  # noqa: E402, F403
