"""Send reads to the read replicas and everything else to the primary database.

Replicas are the DATABASES aliases listed in DATABASE_REPLICAS (from DATABASE_REPLICA_URLS).
Reads go to the primary too inside a transaction (they may depend on its own writes) and
within `primary()` (staff, who must see what they just saved, and pages rendered just
after a change, which replicas may not have yet).
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

import dj_database_url
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_pinned = ContextVar("pinned_to_primary", default=False)


@contextmanager
def primary():
    """Read from the primary database within this block."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_databases(urls, **options):
    """Return the DATABASES entries of the replicas named by comma-separated URLs."""
    replicas = {}
    for number, url in enumerate(filter(None, (url.strip() for url in urls.split(","))), 1):
        replica = dj_database_url.parse(url, **options)
        # Tests run against the primary's test database, never a replica.
        replica["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
        replicas[f"replica_{number}"] = replica
    return replicas


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
