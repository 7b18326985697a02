"""The news' XML sitemaps: every article and category with its last change, and Google
News' last 48 hours (news/urls.py serves that one)."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

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


# Gathered by core.sitemaps.collect().
PAGES = ["news:home", "news:article-list"]
SITEMAPS = {"articles": ArticleSitemap, "categories": CategorySitemap}
