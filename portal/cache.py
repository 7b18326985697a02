"""The public pages' cache, exact rather than timed.

A page is stored with the content version it was rendered at and served only while
that version holds. The version has two parts:

- the *generation*, a token replaced on every change that can alter a public page:
  saving or deleting a row of a model in PUBLIC_MODELS (signals), a change of their
  many-to-many links, `migrate`, or an explicit `content_changed()` after a bulk write;
- the *next moment*, when a page changes without a write (a scheduled article's minute,
  an expiry): the earliest of the MOMENTS functions, worked out once per generation.

Logged-in staff (any request with a session, CSRF or messages cookie) get fresh pages,
never stored. Only anonymous GET/HEAD answers with status 200, no cookie and no
`Cache-Control: private/no-cache/no-store` are stored. Stored pages carry an ETag and
Last-Modified (answered with 304) and a Cache-Control that lets a CDN keep them briefly.
"""

import datetime
import hashlib
import logging
import math
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, split_header_value
from django.utils.translation import get_language_from_request

from portal import routers

logger = logging.getLogger(__name__)

# Every model whose rows can change what a public page shows: add yours here.
PUBLIC_MODELS = [
    "news.Article",
    "news.Category",
    "news.Photo",
    "communes.District",
    "communes.Commune",
    "communes.SupportProgram",
    "communes.CommuneSupport",
    "photos.Image",
    "about.PortalIdentity",
    "about.RelatedPortal",
    "about.IntroPage",
    "about.Department",
    "about.Officer",
    "questions.Topic",
    "questions.Question",
]

# Paths never stored nor served from the cache: the admin, previews, uploads, health checks.
UNCACHED_PATHS = (
    "/admin/", "/xem-truoc/", "/ckeditor/", "/healthz", "/readyz", "/media/", "/static/",
    # The open data API sets its own Cache-Control and throttles each client.
    "/api/",
    # The view counter: its figures are kept 30 seconds by stats.views, never a day.
    "/luot-xem/",
)  # fmt: skip

# Vary headers the cache honours: the language is in the key, and only requests without
# a private cookie are served, which all get the same page.
KEYED_VARY = {"accept-language", "cookie"}

GENERATION_KEY = "pages:generation"


def next_article_change(now):
    """Return when published() changes by itself next: a scheduled minute or an expiry."""
    from news.models import Article, Stage, stage_condition

    articles = Article.all_objects.order_by()
    publication = (
        articles.filter(stage_condition(Stage.SCHEDULED, now))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    expiry = (
        articles.filter(stage_condition(Stage.LIVE, now), expires_at__isnull=False)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return min(filter(None, [publication, expiry]), default=None)


# Functions (now) -> the next datetime a page changes without a write, or None.
MOMENTS = [next_article_change]


# --- the generation --------------------------------------------------------------------


def generation_store():
    return caches[settings.PAGE_CACHE_GENERATION]


def page_store():
    return caches[settings.PAGE_CACHE]


def new_generation():
    # Starts with the time of the change, which the replica lag window needs.
    return f"{time.time():.6f}:{uuid.uuid4().hex[:12]}"


def bump():
    try:
        generation_store().set(GENERATION_KEY, new_generation(), timeout=None)
    except Exception:
        logger.exception("Could not renew the page cache generation: pages may be stale.")


def content_changed(using=DEFAULT_DB_ALIAS):
    """Make every stored page stale: call after writes that send no signals (bulk, update()).

    Bumped now, for requests sharing this transaction, and again after the commit,
    for everyone else: a page rendered before the commit cannot outlive it.
    """
    bump()
    if connections[using].in_atomic_block:
        transaction.on_commit(bump, using=using)


def current_generation():
    store = generation_store()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = store.get(GENERATION_KEY)
    return generation


_moment = {"generation": None, "at": math.inf, "until": -math.inf}


def valid_until(generation, now):
    """Return the timestamp at which pages of this generation change by themselves."""
    known = _moment
    if known["generation"] != generation or not known["at"] <= now < known["until"]:
        moments = [function(_datetime(now)) for function in MOMENTS]
        moment = min(filter(None, moments), default=None)
        known = {
            "generation": generation,
            "at": now,
            "until": moment.timestamp() if moment else math.inf,
        }
        _moment.update(known)
    return known["until"]


# The remembered values this process last read, as stored, for the current generation
# only: reading one again costs nothing, where the cache would unpickle it on every page.
# The generation itself is still read from the shared cache on every call, so a change
# made anywhere is seen here at once. Callers must not change what they are given.
_known = {"generation": None, "entries": {}}
KNOWN_ENTRIES = 2000


def remember(name, compute):
    """Return compute() as of the current content version: computed once per version.

    For values that only a change or a scheduled moment alters, such as the number
    of published articles, which lists would otherwise count on every render. The value
    is shared by every caller until the version moves on: treat it as read-only.
    """
    now = time.time()
    key = "pages:value:" + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    try:
        generation = current_generation()
        if _known["generation"] != generation or len(_known["entries"]) > KNOWN_ENTRIES:
            _known.update(generation=generation, entries={})
        known = _known["entries"]
        entry = known.get(key) or page_store().get(key)
    except Exception:
        logger.exception("The page cache cannot be read; computing %s.", name)
        return compute()
    if entry and entry[0] == generation and entry[2] <= now < entry[1]:
        known[key] = entry
        return entry[3]
    until = valid_until(generation, now)
    value = compute()
    entry = (generation, until, now, value)
    try:
        page_store().set(key, entry, timeout=max(1, min(until - now, settings.PAGE_CACHE_TIMEOUT)))
    except Exception:
        logger.exception("The page cache cannot be written.")
    known[key] = entry
    return value


def _datetime(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def _changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        content_changed(using)


def connect_signals():
    """Watch the PUBLIC_MODELS and their many-to-many links; called once at start-up."""
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        uid = f"portal.cache.{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid)
    post_migrate.connect(_changed, dispatch_uid="portal.cache.migrate")


# --- the middleware --------------------------------------------------------------------


def _private_cookies():
    return {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CookieStorage.cookie_name}


def page_key(request):
    language = get_language_from_request(request)
    address = request.build_absolute_uri()
    digest = hashlib.md5(f"{language}:{address}".encode(), usedforsecurity=False).hexdigest()
    return f"pages:{digest}"


def storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = {
        part.split("=")[0].lower() for part in split_header_value(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-cache", "no-store"}:
        return False
    vary = {part.lower() for part in split_header_value(response.get("Vary", ""))}
    return vary <= KEYED_VARY


class PageCacheMiddleware:
    """Serve anonymous readers stored pages while their content version holds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_cookies = _private_cookies()

    def __call__(self, request):
        if (
            not settings.PAGE_CACHE_ENABLED
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(UNCACHED_PATHS)
        ):
            return self.get_response(request)
        bypass = settings.PAGE_CACHE_BYPASS_HEADER
        if not self.private_cookies.isdisjoint(request.COOKIES) or (
            bypass and bypass in request.META
        ):
            return self.fresh(request)
        now = time.time()
        key = page_key(request)
        try:
            generation = current_generation()
            entry = page_store().get(key)
        except Exception:
            logger.exception("The page cache cannot be read; rendering the page.")
            return self.get_response(request)
        if entry and entry[0] == generation and entry[2] <= now < entry[1]:
            return self.respond(request, entry, now, "HIT")
        try:
            # Worked out before rendering: what the page shows holds until then.
            until = valid_until(generation, now)
        except Exception:
            logger.exception("The next scheduled moment is unknown; the page is not stored.")
            return self.get_response(request)
        response = self.render(request, generation)
        if not storable(response):
            return response
        entry = self.store(key, generation, until, response, now)
        return self.respond(request, entry, now, "MISS")

    def fresh(self, request):
        """Render for staff (or the benchmark's fresh pages): from the primary, kept private."""
        with routers.primary():
            response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def render(self, request, generation):
        # Just after a change, replicas may not have it yet: read from the primary.
        changed_at = float(generation.split(":")[0])
        if time.time() - changed_at < settings.DATABASE_REPLICA_LAG:
            with routers.primary():
                return self.get_response(request)
        return self.get_response(request)

    def store(self, key, generation, until, response, now):
        content = response.content
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"content-length", "date", "set-cookie"}
        ]
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        entry = (generation, until, now, headers, content, etag)
        timeout = min(until - now, settings.PAGE_CACHE_TIMEOUT)
        try:
            page_store().set(key, entry, timeout=max(1, timeout))
        except Exception:
            logger.exception("The page cache cannot be written.")
        return entry

    def respond(self, request, entry, now, outcome):
        _, until, rendered_at, headers, content, etag = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["ETag"] = etag
        response["Last-Modified"] = http_date(rendered_at)
        response["X-Cache"] = outcome
        # A CDN cannot be told of a change: let it keep the page briefly, and never past
        # the next scheduled moment. Browsers ask again each time, usually for a 304.
        shared = int(max(0, min(settings.PAGE_CACHE_SHARED_MAX_AGE, until - now)))
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
        return get_conditional_response(
            request, etag=etag, last_modified=int(rendered_at), response=response
        )
