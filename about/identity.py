"""The union's identity as pages and e-mails read it: one cached copy, dropped when it changes.

The copy is rebuilt by the first request after a change (two queries: the
record and its related portals) and then costs no query. A change is an
ordinary model save or delete: the page cache can listen to the models'
signals, or to identity_changed, sent once the change is committed.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from about.models import PortalIdentity, RelatedPortal

logger = logging.getLogger(__name__)

CACHE_KEY = "about:identity"
# A bound for deployments whose worker processes do not share a cache.
CACHE_SECONDS = 600

# Sent after a change of the identity or its related portals is committed.
identity_changed = Signal()


def blank_identity():
    """Return the identity pages show before leaders fill it in: a generic portal name."""
    identity = PortalIdentity()
    identity.portal_links = []
    return identity


def load_identity():
    """Return the stored identity with its related portals, or a blank one if none is stored."""
    identity = PortalIdentity.objects.filter(pk=PortalIdentity.IDENTITY_PK).first()
    if identity is None:
        return blank_identity()
    identity.portal_links = list(identity.related_portals.all())
    return identity


def current_identity():
    """Return the identity, from the cache when it is there (from the database if it is down)."""
    try:
        identity = cache.get(CACHE_KEY)
    except Exception:
        logger.exception("The cache cannot be read; loading the identity from the database.")
        return load_identity()
    if identity is None:
        identity = load_identity()
        try:
            cache.set(CACHE_KEY, identity, CACHE_SECONDS)
        except Exception:
            logger.exception("The cache cannot be written; the identity is not kept.")
    return identity


def forget_identity():
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.exception("The cache cannot be written; a stale identity may be shown.")


def _announce():
    forget_identity()
    identity_changed.send(sender=PortalIdentity)


@receiver([post_save, post_delete], sender=PortalIdentity, dispatch_uid="about.identity.record")
@receiver([post_save, post_delete], sender=RelatedPortal, dispatch_uid="about.identity.portals")
def _identity_changed(sender, **kwargs):
    # Now, for the rest of this request; again after the commit, in case another
    # request cached the old record in between.
    forget_identity()
    transaction.on_commit(_announce)
