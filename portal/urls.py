from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from about.views import SiteMapView
from api.views import api
from news.sitemaps import SITEMAPS, GoogleNewsSitemap
from news.views import robots_txt
from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("ckeditor/", include("photos.urls")),
    path("xa-ho-tro/", include("communes.urls")),
    path("hoi-dap/", include("questions.urls")),
    path("so-do-cong/", SiteMapView.as_view(), name="site-map"),
    path("api/v1/", api.urls),
    path("luot-xem/", include("stats.urls")),
    # readers: robots.txt and the sitemaps
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-tin-moi.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": GoogleNewsSitemap}, "template_name": "news/sitemap_news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("news.urls")),
]

# The introduction and contacts, in Vietnamese without a prefix and in English under /en/.
urlpatterns += i18n_patterns(path("", include("about.urls")), prefix_default_language=False)

handler500 = "portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
