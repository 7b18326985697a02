"""Rate limits kept in the cache, by client address, without storing any address.

A client is known by a keyed hash of its IP address: the cache holds counters
under that hash for an hour at most, and the database never sees the address.
"""

import time

from django.conf import settings
from django.core.cache import cache
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


class RateLimit:
    """At most `limit` events per `seconds`, per name: a fixed window counted in the cache."""

    def __init__(self, scope, limit, seconds):
        self.scope, self.limit, self.seconds = scope, limit, seconds

    def _key(self, name):
        window = int(time.time() // self.seconds)
        return f"ratelimit:{self.scope}:{name}:{window}"

    def exceeded(self, name):
        """Return True if name has used up its events in this window."""
        return cache.get(self._key(name), 0) >= self.limit

    def hit(self, name):
        """Count one event for name; return True if it is still within the limit."""
        key = self._key(name)
        if cache.add(key, 1, self.seconds):
            return self.limit >= 1
        try:
            return cache.incr(key) <= self.limit
        except ValueError:  # The window expired between add() and incr().
            cache.add(key, 1, self.seconds)
            return True
