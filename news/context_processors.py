from news.models import Category


def navigation(request):
    """Give every page the category menu; the queryset runs only if a template shows it."""
    return {"nav_categories": Category.objects.all()}
