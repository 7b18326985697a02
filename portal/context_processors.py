"""What every page of the site shows: the union's identity and the category menu."""

from django.utils.functional import SimpleLazyObject

from about.identity import current_identity
from news.models import Category


def identity(request):
    """Give every page the union's identity (remembered; no query once it is)."""
    return {"identity": SimpleLazyObject(current_identity)}


def navigation(request):
    """Give every page the category menu; the queryset runs only if a template shows it."""
    return {"nav_categories": Category.objects.all()}
