"""Page views as readers make them: each reader once per article a day, each address
within bounds, written to the database in batches.

The beacon (stats.views.beacon) is the only way in, and anyone can post to it, so a
view must not be something a client can buy by posting many times:

- an article counts a reader once a day: the reader is the salted daily hash of address
  and browser that the online counter uses (stats.online.visitor_key), remembered until
  the day is over in the shared counters (core.ratelimit.counters), never in the database;
- one address adds at most ARTICLE_VIEWS_PER_ADDRESS views to an article a day (a school
  or an office shares an address; a script that changes its User-Agent is still one
  address) and at most PAGE_VIEWS_PER_ADDRESS page views to the site;
- the views each process counted are written every settings.STATS_FLUSH_SECONDS in one
  transaction (one UPDATE per article and day), not one write per beacon, so a flood of
  beacons costs the database what reading does. What a process has not yet written is
  written when it exits.
"""

import atexit
import datetime
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.ratelimit import client_key, count, counters
from news.models import Article
from stats import online
from stats.models import ArticleDay, SiteDay, add_views

logger = logging.getLogger(__name__)

ARTICLE_VIEWS_PER_ADDRESS = 20
PAGE_VIEWS_PER_ADDRESS = 2000


def _rest_of_day():
    """Return the seconds until the end of Vietnam's day, and an hour more."""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=now.tzinfo
    )
    return int((midnight - now).total_seconds()) + 3600


class Pending:
    """The views this process has counted and not yet written."""

    def __init__(self):
        self._lock = threading.Lock()
        self.site = Counter()  # day -> views
        self.articles = Counter()  # (article id, day) -> views
        self.last_written = time.monotonic()

    def add_article(self, article_id, day):
        with self._lock:
            self.articles[article_id, day] += 1

    def add_page(self, day):
        with self._lock:
            self.site[day] += 1

    def due(self):
        return time.monotonic() - self.last_written >= settings.STATS_FLUSH_SECONDS

    def take(self):
        """Return what is pending, and start counting anew."""
        with self._lock:
            site, articles = self.site, self.articles
            self.site, self.articles = Counter(), Counter()
            self.last_written = time.monotonic()
        return site, articles

    def give_back(self, site, articles):
        with self._lock:
            self.site.update(site)
            self.articles.update(articles)


pending = Pending()


def count_view(request, article_id=None):
    """Count the page view the request reports, and the article's if it names one."""
    today = timezone.localdate()
    keep = _rest_of_day()
    address = client_key(request)
    try:
        page_counts = count(f"stats:pages:{address}:{today}", keep) <= PAGE_VIEWS_PER_ADDRESS
        article_counts = article_id is not None and (
            count(f"stats:article:{address}:{article_id}:{today}", keep)
            <= ARTICLE_VIEWS_PER_ADDRESS
            and counters().add(
                f"stats:read:{online.visitor_key(request)}:{article_id}:{today}", 1, keep
            )
        )
    except Exception as error:
        # Without the counters the site's figure goes on; an article's waits for them,
        # as nothing could tell a reader's first view from a script's thousandth.
        logger.warning("Page views cannot be told apart: %s", type(error).__name__)
        page_counts, article_counts = True, False
    if page_counts:
        pending.add_page(today)
    if article_counts:
        pending.add_article(article_id, today)
    if pending.due():
        write()


def write():
    """Write the views this process has counted, in one transaction."""
    site, articles = pending.take()
    if not site and not articles:
        return
    try:
        with transaction.atomic():
            for day, views in site.items():
                add_views(SiteDay, views, day=day)
            # An article deleted since it was read has no row to add to.
            existing = set(
                Article.objects.filter(pk__in={pk for pk, _ in articles}).values_list(
                    "pk", flat=True
                )
            )
            for (article_id, day), views in sorted(articles.items()):
                if article_id in existing:
                    add_views(ArticleDay, views, article_id=article_id, day=day)
    except Exception:
        logger.exception("Page views cannot be written now; kept for the next try.")
        pending.give_back(site, articles)


@atexit.register
def _write_at_exit():
    try:
        write()
    except Exception:  # The database may be gone with the process.
        logger.exception("Page views counted before the exit are lost.")
