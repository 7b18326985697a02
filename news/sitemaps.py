"""XML sitemaps: every public page with its last change, and Google News' last 48 hours."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from communes.models import Commune, SupportProgram
from news.models import Article, Category

NEWS_HOURS = 48
# Google News reads at most this many articles from a news sitemap.
NEWS_LIMIT = 1000


def newest_article(**link):
    """Return the publication time of the newest published article linked so (a subquery)."""
    return Subquery(
        Article.objects.published()
        .filter(**link)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.annotate(lastmod=newest_article(category=OuterRef("pk")))

    def lastmod(self, category):
        return category.lastmod


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


class StaticSitemap(Sitemap):
    """The list pages that are not objects: home, all news, communes, most read."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["news:home", "news:article-list", "communes:program-list", "news:most-read"]

    def location(self, name):
        return reverse(name)


class GoogleNewsSitemap(Sitemap):
    """The articles of the last 48 hours, in Google News' own format (news/sitemap_news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - datetime.timedelta(hours=NEWS_HOURS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "title", "published_at", "updated_at")[:NEWS_LIMIT]
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "programs": SupportProgramSitemap,
    "communes": CommuneSitemap,
}
