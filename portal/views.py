"""The project's own pages: robots.txt and the site map, which span every app, and the
roles table in the admin."""

from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from about.models import IntroPage
from about.views import page_tree
from communes.models import SupportProgram
from core.crawlers import disallowed_paths
from documents.models import DocumentType
from portal.roles import ROLE_PERMISSIONS, role_table

# Django's admin, which marks no view of its own.
ADMIN_PATH = "/admin/"


@require_safe
def robots_txt(request):
    """Point crawlers at the sitemaps; keep them out of what views say is not for them.

    Search results stay crawlable: their `noindex` keeps them out of the index, which a
    Disallow would not (a disallowed address can be indexed from links, unread).
    """
    sitemaps = [
        request.build_absolute_uri(reverse("sitemap-index")),
        request.build_absolute_uri(reverse("news:sitemap-news")),
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in [ADMIN_PATH, *disallowed_paths()]),
        "",
        *(f"Sitemap: {url}" for url in sitemaps),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class SiteMapView(TemplateView):
    """The site as a tree, for readers who prefer a plain list of everything."""

    template_name = "site_map.html"

    def get_context_data(self, **kwargs):
        # The categories are the menu's (portal.context_processors.navigation): one query.
        return super().get_context_data(
            intro_tree=page_tree(IntroPage.objects.visible()),
            program_years=SupportProgram.objects.values_list("year", flat=True),
            document_types=DocumentType.objects.all(),
            **kwargs,
        )


@require_safe
def english_home(request):
    """Send /en/ to the English introduction: the English part of the site starts there."""
    with translation.override("en"):
        return HttpResponseRedirect(reverse("about:intro"))


def roles_table(request):
    """Show who may do what, role by role (admin.site.admin_view wraps it)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Roles: who may do what"),
        "roles": list(ROLE_PERMISSIONS),
        "duties": role_table(),
        "can_add_staff": request.user.has_perm("auth.add_user"),
    }
    return TemplateResponse(request, "admin/roles.html", context)
