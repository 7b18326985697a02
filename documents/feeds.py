"""An RSS feed of the newest published documents."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from about.identity import current_identity
from documents.models import Document
from news.feeds import RssFeed

FEED_SIZE = 30


class LatestDocumentsFeed(Feed):
    feed_type = RssFeed
    language = "vi"

    def title(self):
        return f"{_('Documents')} · {current_identity().name}"

    def description(self):
        return str(current_identity().long_name)

    def link(self):
        return reverse("documents:document-list")

    def items(self):
        return (
            Document.objects.published().for_listing().order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.doc_type.name} {item.number}"

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.doc_type.name, item.issuer.name]
