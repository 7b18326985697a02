from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from api.views import api
from core import sitemaps
from core import views as health
from portal import auth, guide, views

# Every app's sitemaps (core.sitemaps.collect): the index links each section.
SITEMAPS = sitemaps.collect()

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The editors' guide, for every staff member, inside the admin's own pages.
    path("admin/huong-dan/", admin.site.admin_view(guide.guide), name="admin-guide"),
    # Who may do what: the roles table, for every staff member.
    path("admin/vai-tro/", admin.site.admin_view(views.roles_table), name="admin-roles"),
    # A new password by e-mail, for staff who forgot theirs or are locked out.
    path("admin/password_reset/", auth.password_reset, name="admin_password_reset"),
    path("admin/password_reset/done/", auth.password_reset_done, name="password_reset_done"),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", auth.password_reset_complete, name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("ckeditor/", include("photos.urls")),
    path("xa-ho-tro/", include("communes.urls")),
    path("hoi-dap/", include("questions.urls")),
    path("lich-cong-tac/", include("schedule.urls")),
    path("van-ban/", include("documents.urls")),
    path("so-do-cong/", views.SiteMapView.as_view(), name="site-map"),
    path("api/v1/", api.urls),
    path("", include("stats.urls")),
    # Before the sitemap sections: news serves its own sitemap-tin-moi.xml.
    path("", include("news.urls")),
    # readers: robots.txt and the sitemaps
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

# The introduction and contacts, in Vietnamese without a prefix and in English under /en/,
# whose first page is the English introduction.
urlpatterns += [path("en/", views.english_home, name="english-home")]
urlpatterns += i18n_patterns(path("", include("about.urls")), prefix_default_language=False)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
