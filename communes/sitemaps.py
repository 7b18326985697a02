"""The communes' XML sitemaps: each year's program and each commune, with their last news."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef

from communes.models import Commune, SupportProgram
from news.sitemaps import newest_article


class SupportProgramSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return SupportProgram.objects.annotate(
            lastmod=newest_article(support_programs=OuterRef("pk"))
        ).order_by("-year")

    def lastmod(self, program):
        return program.lastmod


class CommuneSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Commune.objects.annotate(lastmod=newest_article(communes=OuterRef("pk"))).order_by(
            "slug"
        )

    def lastmod(self, commune):
        return commune.lastmod


# Gathered by core.sitemaps.collect().
PAGES = ["communes:program-list", "communes:commune-list", "communes:commune-list-now"]
SITEMAPS = {"programs": SupportProgramSitemap, "communes": CommuneSitemap}
