"""Gunicorn's production settings: `gunicorn -c portal/gunicorn.conf.py portal.wsgi` (`make serve`).

Every value can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT); GUNICORN_CMD_ARGS overrides the rest.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes a core and one more, each with a few threads: a request that
# waits for the database leaves the core to the others.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker silent this long is restarted; database statements are cut off
# sooner (DJANGO_DB_STATEMENT_TIMEOUT), so a slow query fails as a 503 first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
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
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
