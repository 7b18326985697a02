"""Gunicorn's production settings: `gunicorn -c portal/gunicorn.conf.py portal.wsgi` (`make serve`).

Every value can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT); GUNICORN_CMD_ARGS overrides the rest.
"""

import multiprocessing
import os
from pathlib import Path

# A Unix socket that only the portal's user and group (nginx's user is in the group) may
# open: nothing reaches gunicorn around the proxy, so no one can write the
# X-Forwarded-For the rate limits read. GUNICORN_BIND=127.0.0.1:8000 for a TCP port.
bind = os.environ.get(
    "GUNICORN_BIND", f"unix:{Path(__file__).resolve().parent.parent / 'var' / 'gunicorn.sock'}"
)
if bind.startswith("unix:"):
    Path(bind.removeprefix("unix:")).parent.mkdir(parents=True, exist_ok=True)
umask = 0o007
# Two processes a core and one more, each with a few threads: a request that
# waits for the database leaves the core to the others.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker silent this long is restarted. A database that does not answer is given
# up on much sooner (DJANGO_DB_HANG_TIMEOUT), so readers get the 503 page first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A stopping worker (recycled, or at a restart) takes no new connection but finishes
# the requests it has, for this long at most.
graceful_timeout = 30
keepalive = 5
# Restart workers now and then, not all at once, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Load Django once in the master and fork the workers from it: a restarted worker
# serves at once instead of importing everything again (a second of CPU taken from
# the others), and the workers share the loaded code in memory. Nothing opens a
# database or cache connection at import, so no socket is shared between workers.
# A new release needs a restart of the service, not only a HUP.
preload_app = True
# The proxy in front (nginx) sets X-Forwarded-Proto; trust it from this host only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# X-Cache: HIT for a stored page, MISS for one rendered and stored (core/cache.py).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-cache}o)s'

# The most a request's body may hold through nginx (deploy/nginx.conf), and how long
# reading what is left of it may take.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 5


def post_request(worker, req, environ, resp):
    """Read what the application left of the request's body before the connection closes.

    A view may answer without reading the body (a POST refused for its missing CSRF
    cookie). Closing a socket with unread bytes resets it, and nginx, which may not have
    read the answer yet, would turn the reset into a 502. nginx lets through only
    bodies it has read whole, so what is left arrives at once.
    """
    if req.body is None:
        return
    import time

    deadline, drained = time.monotonic() + DRAIN_SECONDS, 0
    try:
        while drained < DRAIN_BYTES and time.monotonic() < deadline:
            chunk = req.body.read(65536)
            if not chunk:
                return
            drained += len(chunk)
    except Exception:  # The client went away: nothing is left to protect.
        return
