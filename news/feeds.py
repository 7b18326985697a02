"""RSS 2.0 and Atom feeds of the published news, for the whole site and per category."""

import copy
import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from about.identity import current_identity
from news.models import Article, Category
from news.photos import photo_meta

FEED_SIZE = 30
# The last build date of a feed with no article yet: a fixed day rather than the moment it
# is drawn, so that the same content always gives the same feed (a stored page, an ETag).
EMPTY_FEED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class StableDateMixin:
    def latest_post_date(self):
        if any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return super().latest_post_date()
        return EMPTY_FEED_DATE


class RssFeed(StableDateMixin, Rss201rev2Feed):
    pass


class AtomFeed(StableDateMixin, Atom1Feed):
    pass


class LatestNewsFeed(Feed):
    """The newest published articles: title, link, the lead as description, the cover photo."""

    feed_type = RssFeed
    language = "vi"

    def __call__(self, request, *args, **kwargs):
        # One feed object serves every request: give this request a copy that knows it,
        # for the enclosures' absolute addresses.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        name = current_identity().name
        return f"{obj.name} · {name}" if obj else str(name)

    def description(self, obj=None):
        return obj.description if obj and obj.description else str(current_identity().long_name)

    def link(self, obj=None):
        return obj.get_absolute_url() if obj else reverse("news:home")

    def items(self, obj=None):
        # Feeds give more than a card: the time of the last edit and the author.
        articles = Article.objects.published().for_listing().with_cover()
        if obj is not None:
            articles = articles.filter(category=obj)
        return articles[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    # In Vietnam's time, as pages show it.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(max(item.updated_at, item.published_at))

    def item_author_name(self, item):
        return item.author_name or None

    def item_categories(self, item):
        return [item.category.name] if item.category else []

    def item_enclosures(self, item):
        cover = item.cover_photo
        if cover is None:
            return []
        image = photo_meta(cover, self.request, with_length=True)
        if image["length"] is None:
            return []
        return [Enclosure(image["url"], str(image["length"]), image["type"])]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = AtomFeed
    subtitle = LatestNewsFeed.description


class CategoryFeedMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)


class CategoryNewsFeed(CategoryFeedMixin, LatestNewsFeed):
    pass


class CategoryNewsAtomFeed(CategoryFeedMixin, LatestNewsAtomFeed):
    pass
