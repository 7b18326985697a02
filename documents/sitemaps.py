"""The documents' XML sitemap: every published document with its last change."""

from django.contrib.sitemaps import Sitemap

from documents.models import Document


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Document.objects.published().only("pk", "published_at", "updated_at")

    def lastmod(self, document):
        return max(document.updated_at, document.published_at)


# Gathered by core.sitemaps.collect().
PAGES = ["documents:document-list"]
SITEMAPS = {"documents": DocumentSitemap}
