from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Answer the load balancer without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
