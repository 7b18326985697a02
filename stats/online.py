"""Readers online now: distinct visitors of the last five minutes, known only to the cache.

A visitor is a keyed hash of their address and browser under a salt that changes every
day (derived from SECRET_KEY and the date), so it cannot be reversed nor followed from
one day to the next. Nothing reaches the database or the log.

Time is cut into 30-second buckets. Each visitor is counted in exactly one of them, the
bucket of their latest page view, and "online" is the sum of the buckets of the last five
minutes, so a reader stays counted for five to five and a half minutes after a page.
Only atomic cache operations (add, incr) change shared state, so with a shared cache
(Redis) every worker process counts the same readers; with the local-memory cache each
process knows only the readers whose views it received.
"""

import logging
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.ratelimit import client_address

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 30
WINDOW_SECONDS = 5 * 60
BUCKETS = WINDOW_SECONDS // BUCKET_SECONDS + 1
# Kept a little longer than the window: a bucket is read until it leaves it.
KEEP_SECONDS = WINDOW_SECONDS + 2 * BUCKET_SECONDS


def visitor_key(request):
    """Return today's irreversible name of the visitor behind the request."""
    salt = f"stats.online:{timezone.localdate().isoformat()}"
    reader = f"{client_address(request)}\n{request.headers.get('User-Agent', '')}"
    return salted_hmac(salt, reader, algorithm="sha256").hexdigest()[:32]


def _bucket_key(bucket):
    return f"stats:online:bucket:{bucket}"


def _add(key, delta):
    if delta > 0 and cache.add(key, delta, KEEP_SECONDS):
        return
    try:
        cache.incr(key, delta)
    except ValueError:  # The bucket expired meanwhile, or is gone with the visitor's count.
        if delta > 0:
            cache.add(key, delta, KEEP_SECONDS)


def seen(request):
    """Count the request's visitor as online from now: once, however many pages they open."""
    bucket = int(time.time() // BUCKET_SECONDS)
    visitor = visitor_key(request)
    try:
        # Only the first view of a visitor in a bucket moves them, on every process at once.
        if not cache.add(f"stats:online:seen:{visitor}:{bucket}", 1, 2 * BUCKET_SECONDS):
            return
        last_key = f"stats:online:last:{visitor}"
        previous = cache.get(last_key)
        cache.set(last_key, bucket, KEEP_SECONDS)
        _add(_bucket_key(bucket), 1)
        if previous is not None and bucket - BUCKETS < previous < bucket:
            _add(_bucket_key(previous), -1)
    except Exception as error:
        # No key or traceback in the log: keys hold the visitor's hash.
        logger.warning("Readers online cannot be counted: %s", type(error).__name__)


def count():
    """Return how many visitors opened a page in the last five minutes, None if unknown."""
    bucket = int(time.time() // BUCKET_SECONDS)
    keys = [_bucket_key(bucket - age) for age in range(BUCKETS)]
    try:
        counts = cache.get_many(keys)
    except Exception as error:
        logger.warning("Readers online cannot be read: %s", type(error).__name__)
        return None
    return max(0, sum(counts.values()))
