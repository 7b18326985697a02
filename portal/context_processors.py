from django.utils.functional import SimpleLazyObject

from about.identity import current_identity


def identity(request):
    """Give every page the union's identity (cached; no query once the cache holds it)."""
    return {"identity": SimpleLazyObject(current_identity)}
