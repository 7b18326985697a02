"""Where library images are used, told by the apps that use them.

The library knows nothing of what places its images: an app that does (news: photo rows
and images in article bodies) subclasses `Use` and registers it in its AppConfig.ready();
the library asks every registered use who may see an image, how often it is used, where,
and what stops its deletion.
"""

from django.db.models import Q, Value
from django.db.models.functions import Coalesce


class Use:
    """One way an app uses library images; every method has a harmless default."""

    def shown_to_readers(self):
        """Return a queryset of the ids of images readers can see through this use."""
        raise NotImplementedError

    def count(self):
        """Return an expression: how many times the image (OuterRef("pk")) is used so."""
        return Value(0)

    def places(self, image):
        """Return (label, admin address) of each thing that uses the image."""
        return []

    def protecting(self, image):
        """Return why the image cannot be deleted: each thing that would show it broken."""
        return []


_uses = []


def register(use):
    """Register a Use; called once per app at start-up (AppConfig.ready)."""
    if not any(type(known) is type(use) for known in _uses):
        _uses.append(use)


def uses():
    return tuple(_uses)


def shown_to_readers():
    """Return the condition: images readers can see through any use."""
    condition = Q(pk__in=[])
    for use in uses():
        condition |= Q(pk__in=use.shown_to_readers())
    return condition


def use_count():
    """Return an expression: how many times the image (OuterRef("pk")) is used in all."""
    total = Value(0)
    for use in uses():
        total = total + Coalesce(use.count(), 0)
    return total
