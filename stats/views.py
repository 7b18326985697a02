import logging
import re

from django.core.cache import cache
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from core.cache import not_stored
from core.crawlers import not_for_crawlers
from news.models import Article
from stats import counting, online
from stats.models import SiteDay, most_read

logger = logging.getLogger(__name__)

# How old the footer's figures may be: kept this long in the cache and in browsers.
SUMMARY_SECONDS = 30
SUMMARY_KEY = "stats:summary"

# Crawlers, link previews and command-line clients: their visits are not readers'.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|preview|facebookexternalhit|curl|wget|"
    r"python-requests|python-urllib|httpclient|go-http|java/|libwww|headlesschrome|lighthouse",
    re.IGNORECASE,
)


def is_bot(request):
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_AGENTS.search(agent))


def is_same_origin(request):
    """Return True if the request comes from one of this site's own pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin == f"{request.scheme}://{request.get_host()}"


# Periods of the most-read page, in days, and how many articles each lists.
MOST_READ_PERIODS = (7, 30)
MOST_READ_PAGE = 20


class MostReadView(TemplateView):
    """/doc-nhieu/: the most read articles of the last 7 and 30 days."""

    template_name = "stats/most_read.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = Article.objects.published().for_listing()
        context["periods"] = [
            (days, most_read(articles, days=days)[:MOST_READ_PAGE]) for days in MOST_READ_PERIODS
        ]
        return context


@not_for_crawlers
@never_cache
@csrf_exempt
@require_POST
def beacon(request):
    """Count a page view the browser reports: the site's, and the article's if one is named.

    Nothing about the reader is stored: no cookie is read or set, no address kept. What
    counts, and when it is written, is stats.counting's.
    """
    if not is_same_origin(request):
        return HttpResponseForbidden()
    article_id = request.POST.get("article", "")
    if article_id and not (
        re.fullmatch(r"[0-9]{1,18}", article_id)
        and Article.objects.published().filter(pk=article_id).exists()
    ):
        return HttpResponseBadRequest()
    if not is_bot(request):
        counting.count_view(request, int(article_id) if article_id else None)
        online.seen(request)
    return HttpResponse(status=204)


@not_for_crawlers
@not_stored  # Its figures are kept SUMMARY_SECONDS, not until the content changes.
@require_safe
def summary(request):
    """Return the footer's "Thống kê truy cập": readers online now, page views today and ever."""
    try:
        figures = cache.get(SUMMARY_KEY)
    except Exception as error:  # Without the cache the site stays up, and so do the figures.
        logger.warning("The visitor statistics cannot be cached: %s", type(error).__name__)
        return summary_response({"online": None, **SiteDay.objects.totals()})
    if figures is None:
        figures = {"online": online.count(), **SiteDay.objects.totals()}
        cache.set(SUMMARY_KEY, figures, SUMMARY_SECONDS)
    return summary_response(figures)


def summary_response(figures):
    response = JsonResponse(figures)
    patch_cache_control(response, public=True, max_age=SUMMARY_SECONDS)
    return response
