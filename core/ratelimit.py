"""Rate limits shared by every server process, by client address, without storing any address.

A client is known by a keyed hash of its IP address: the counters are kept under that
hash for an hour at most, and the database never sees the address.

The counters live in `settings.COUNTERS_CACHE`, a cache that every process of the portal
shares and whose `add` and `incr` are atomic: Redis when the portal has it, otherwise
an SQLite file under DJANGO_CACHE_DIR (diskcache). So a limit holds however many worker
processes answer and survives their recycling; a per-process memory cache would give
each worker a limit of its own and forget it at every restart.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac


def client_address(request):
    """Return the client's IP address, trusting as many proxies as settings.NUM_PROXIES says.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the
    client is the entry that many places from the end; a client cannot forge it.
    """
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request):
    """Return a stable, irreversible name for the client: a keyed hash of its address."""
    return salted_hmac(
        "core.ratelimit.client", client_address(request), algorithm="sha256"
    ).hexdigest()[:32]


def counters():
    """Return the cache every server process shares for counters (settings.COUNTERS_CACHE)."""
    return caches[settings.COUNTERS_CACHE]


def count(key, seconds):
    """Add one to the shared counter `key`, kept `seconds`; return its new value.

    Atomic across threads, processes and (with Redis) servers: of N requests counted at
    once, exactly one sees each value from 1 to N.
    """
    store = counters()
    try:
        return store.incr(key)  # One operation once the counter exists.
    except ValueError:  # The first event of the period (or it expired): start it.
        store.add(key, 0, seconds)
        return store.incr(key)


class RateLimit:
    """At most `limit` events per `seconds`, per name: a fixed window of shared counters."""

    def __init__(self, scope, limit, seconds):
        self.scope, self.limit, self.seconds = scope, limit, seconds

    def _key(self, name):
        window = int(time.time() // self.seconds)
        return f"ratelimit:{self.scope}:{name}:{window}"

    def exceeded(self, name):
        """Return True if name has used up its events in this window."""
        return counters().get(self._key(name), 0) >= self.limit

    def hit(self, name):
        """Count one event for name; return True if it is still within the limit.

        Count first, decide after: requests arriving together each get a number of their
        own, so no more than `limit` of them are let through.
        """
        return count(self._key(name), self.seconds) <= self.limit

    def retry_after(self):
        """Return the whole seconds until the current window ends."""
        return max(1, int(self.seconds - time.time() % self.seconds + 0.999))
