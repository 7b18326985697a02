"""Staff previews: a reader's page for a row not yet public, as readers would see it.

Preview is the ordinary view with another queryset: a detail view that names its rows
with `rows(queryset)` (given `published()` for readers) gets its preview by adding
StaffPreviewMixin, which gives it the rows the staff member works on in the admin
(`visible_to()`), drafts included. The answer is never cached (by the browser, a proxy
or the page cache: staff carry a session, and the page says no-store) and never indexed.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator

from core.crawlers import not_for_crawlers


def private_page(response):
    """Keep a preview out of search engines and caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


class StaffPreviewMixin:
    """Any row the staff member may see in the admin, drafts included, never stored."""

    preview = True

    @method_decorator(not_for_crawlers)
    @method_decorator(staff_member_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.rows(self.model.objects.visible_to(self.request.user))

    def render_to_response(self, context, **response_kwargs):
        return private_page(super().render_to_response(context, **response_kwargs))
