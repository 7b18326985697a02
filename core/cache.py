"""The public pages' cache, exact rather than timed.

A page is stored with the content version it was rendered at and served only while
that version holds. The version has two parts:

- the *generation*, a token replaced whenever a row that readers can see is written.
  A model says once that its rows reach readers by inheriting `PublicContent`; from
  then on every statement that writes its table (or a many-to-many table of its own)
  renews the generation, whatever wrote it: `save()`, `delete()`, a queryset's
  `update()`/`delete()`/`bulk_create()`/`bulk_update()`, a cascade, an admin action, a
  management command or raw SQL through Django's connection. `migrate` renews it too.
- the *next moment*, when a page changes without a write (a scheduled article's minute,
  an expiry): the earliest answer of the functions apps register with
  `register_scheduled_change()`, worked out once per generation.

Logged-in staff (any request with a session, CSRF or messages cookie) get fresh pages,
never stored. Only anonymous GET/HEAD answers with status 200, no cookie, no
`Cache-Control: private/no-cache/no-store` and no `@not_stored` on their view are stored.
Stored pages carry an ETag and Last-Modified (answered with 304) and a Cache-Control that
lets a CDN keep them briefly.
"""

import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import logging
import math
import re
import threading
import time
import uuid
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, split_header_value
from django.utils.translation import get_language_from_request

from core import routers

logger = logging.getLogger(__name__)

# Vary headers the cache honours: the language is in the key, and only requests without
# a private cookie are served, which all get the same page.
KEYED_VARY = {"accept-language", "cookie"}

GENERATION_KEY = "pages:generation"


# --- what readers see: declared by the models ------------------------------------------


class PublicContent:
    """Mixin for models whose rows reach a public page, feed, sitemap or the API.

    `class Article(PublicContent, models.Model)` is the whole declaration: every write
    to the model's table, and to the many-to-many tables it declares, makes the stored
    pages stale (see the module's docstring). Models that readers never see (workflow
    steps, view counters, revisions) leave it out.
    """


def public_models():
    """Return the concrete models that declared PublicContent."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PublicContent) and not model._meta.proxy
    ]


@functools.cache
def public_tables():
    """Return the tables whose writes renew the generation (worked out once, after start-up)."""
    tables = set()
    for model in public_models():
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return frozenset(tables)


# INSERT, UPDATE or DELETE and the table they write, as Django and raw SQL spell them.
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)


def _watch_writes(execute, sql, params, many, context):
    """Run a statement; if it wrote a public table, the stored pages are stale."""
    result = execute(sql, params, many, context)
    written = _WRITE.match(sql)
    if written is not None:
        if written[1] in public_tables():
            _written(context["connection"])
    elif _TRUNCATE.match(sql) and any(f'"{table}"' in sql for table in public_tables()):
        _written(context["connection"])
    return result


def _watch(connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    content_changed(using)


def connect_signals():
    """Watch every database connection's writes, and migrations; called once at start-up."""
    connection_created.connect(_watch, dispatch_uid="core.cache.watch")
    for connection in connections.all(initialized_only=True):
        _watch(connection)
    post_migrate.connect(_after_migrate, dispatch_uid="core.cache.migrate")


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


def _written(connection):
    """A public table was written: renew the generation now, or when the write is committed.

    Inside a transaction the change is the writer's alone until it commits: everyone
    else's pages are renewed then (once per transaction, however many rows it wrote),
    and the writer's own next reading of the generation renews it at once, so that
    what it renders inside the transaction is not a page stored before the write.
    """
    _forget_request_generation()
    if not connection.in_atomic_block:
        bump()
        return
    connection.pages_written_uncommitted = True
    waiting = any(callback is bump for _, callback, _ in connection.run_on_commit)
    if not waiting:
        transaction.on_commit(bump, using=connection.alias)


def _renew_for_uncommitted_writes():
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "pages_written_uncommitted", False):
            connection.pages_written_uncommitted = False
            # Committed since (bumped then) or rolled back (nothing changed): nothing to do.
            if connection.in_atomic_block:
                bump()


def content_changed(using=DEFAULT_DB_ALIAS):
    """Make every stored page stale: only for writes Django's connection does not see.

    Every write through Django's connection to a PublicContent model's table already
    does this by itself; call it after changing the database some other way (a
    restore through psql, SQLite's backup API). Bumped now, and again after the commit.
    """
    bump()
    _forget_request_generation()
    if connections[using].in_atomic_block:
        transaction.on_commit(bump, using=using)


class _RequestGeneration:
    """The generation one request works with, read once unless the request writes, and the
    moment the request was made, which every remembered value of the request is valid at."""

    __slots__ = ("now", "value")

    def __init__(self):
        self.now = time.time()
        self.value = None


_request_generation = ContextVar("request_generation", default=None)


def _forget_request_generation():
    holder = _request_generation.get()
    if holder is not None:
        holder.value = None


def current_generation():
    """Return the content generation: once per request, from the shared cache."""
    _renew_for_uncommitted_writes()
    holder = _request_generation.get()
    if holder is not None and holder.value is not None:
        return holder.value
    store = generation_store()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = store.get(GENERATION_KEY)
    if holder is not None:
        holder.value = generation
    return generation


# --- changes that need no write: the clock ------------------------------------------------

_scheduled_changes = []


def register_scheduled_change(function):
    """Register function(now) -> the next datetime a page changes without a write, or None.

    Called by apps in their AppConfig.ready() (news: a scheduled article's minute, an
    expiry); the page cache asks all of them once per generation.
    """
    if function not in _scheduled_changes:
        _scheduled_changes.append(function)
    return function


class _Moment:
    """When pages of the current generation change by themselves, known to this process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known = (None, math.inf, -math.inf)  # generation, worked out at, valid until

    def until(self, generation, now):
        with self._lock:
            known_generation, at, until = self._known
        if known_generation == generation and at <= now < until:
            return until
        moments = [function(_datetime(now)) for function in _scheduled_changes]
        moment = min(filter(None, moments), default=None)
        until = moment.timestamp() if moment else math.inf
        with self._lock:
            self._known = (generation, now, until)
        return until


_moment = _Moment()


def valid_until(generation, now):
    """Return the timestamp at which pages of this generation change by themselves."""
    return _moment.until(generation, now)


def _datetime(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


# --- values remembered for a content version -------------------------------------------------

_IMMUTABLE = (
    type(None),
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    decimal.Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    enum.Enum,
    range,
)


def check_immutable(value, path="value"):
    """Raise TypeError unless value can be shared by every thread: nothing in it can change.

    Strings, numbers, dates, tuples and frozensets of them, and frozen dataclasses
    made of them are accepted; lists, dicts, sets and model instances are not.
    """
    if isinstance(value, _IMMUTABLE):
        return
    if isinstance(value, tuple | frozenset):
        for index, item in enumerate(value):
            check_immutable(item, f"{path}[{index}]")
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:
            raise TypeError(f"{path}: {type(value).__name__} is a dataclass that is not frozen")
        for field in dataclasses.fields(value):
            check_immutable(getattr(value, field.name), f"{path}.{field.name}")
        return
    raise TypeError(
        f"{path}: a {type(value).__name__} could be changed by one of the requests it is "
        "shared with; remember tuples, frozensets and frozen dataclasses"
    )


class _ProcessMemo:
    """The remembered values this process last read, for the current generation only.

    Reading one again costs nothing, where the cache would unpickle it on every page.
    Every value is immutable (check_immutable), so the threads that share it cannot
    change it under each other; the dictionary itself changes under a lock.
    """

    MAX_ENTRIES = 2000

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = None
        self._entries = {}

    def get(self, generation, key):
        with self._lock:
            if self._generation != generation:
                return None
            return self._entries.get(key)

    def put(self, generation, key, entry):
        with self._lock:
            if self._generation != generation or len(self._entries) >= self.MAX_ENTRIES:
                self._generation, self._entries = generation, {}
            self._entries[key] = entry


_memo = _ProcessMemo()


def _now():
    """Return the moment of the current request (or now, outside a request)."""
    holder = _request_generation.get()
    return holder.now if holder is not None else time.time()


def remember(name, compute):
    """Return compute() as of the current content version: computed once per version.

    For values that only a change or a scheduled moment alters, such as the number
    of published articles, which lists would otherwise count on every render. The value
    is shared by every request of every thread until the version moves on, so it must
    be immutable (check_immutable: tuples and frozen dataclasses, never model instances).
    """
    now = _now()
    key = "pages:value:" + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    try:
        generation = current_generation()
        entry = _memo.get(generation, key) or page_store().get(key)
    except Exception:
        logger.exception("The page cache cannot be read; computing %s.", name)
        value = compute()
        check_immutable(value, name)
        return value
    if entry and entry[0] == generation and entry[2] <= now < entry[1]:
        _memo.put(generation, key, entry)
        return entry[3]
    until = valid_until(generation, now)
    value = compute()
    check_immutable(value, name)
    entry = (generation, until, now, value)
    try:
        page_store().set(key, entry, timeout=max(1, min(until - now, settings.PAGE_CACHE_TIMEOUT)))
    except Exception:
        logger.exception("The page cache cannot be written.")
    _memo.put(generation, key, entry)
    return value


# --- views that must not be stored ----------------------------------------------------------


def not_stored(view):
    """Mark a view whose answers the page cache never stores (an API that throttles, a
    counter kept fresher than the pages): `@not_stored`, or `method_decorator` on dispatch.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.page_cache_exempt = True
        return response

    wrapper.page_cache_exempt = True
    return wrapper


# --- the middleware --------------------------------------------------------------------


def _private_cookies():
    return {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CookieStorage.cookie_name}


def page_key(request):
    language = get_language_from_request(request)
    address = request.build_absolute_uri()
    digest = hashlib.md5(f"{language}:{address}".encode(), usedforsecurity=False).hexdigest()
    return f"pages:{digest}"


def storable(response):
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(response, "page_cache_exempt", False)
    ):
        return False
    control = {
        part.split("=")[0].lower() for part in split_header_value(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-cache", "no-store"}:
        return False
    vary = {part.lower() for part in split_header_value(response.get("Vary", ""))}
    return vary <= KEYED_VARY


class _Flights:
    """The pages this process is rendering, by page key and generation.

    After a change every stored page is stale at once, and many readers ask for the same
    page: the first renders it, the others wait for that render instead of doing the
    same work again (single flight).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._rendering = {}

    def join(self, flight):
        """Return (True, event) to the request that must render, (False, event) to the others."""
        with self._lock:
            event = self._rendering.get(flight)
            if event is not None:
                return False, event
            event = self._rendering[flight] = threading.Event()
            return True, event

    def land(self, flight, event):
        with self._lock:
            self._rendering.pop(flight, None)
        event.set()


_flights = _Flights()

# How long a reader waits for the page another request is rendering before rendering it
# too (rendering it again would not be faster: only a render that failed or hung is
# given up on), and how often a waiting reader looks for it in a cache other processes
# share.
FLIGHT_WAIT_SECONDS = 10
FLIGHT_LOOK_SECONDS = 0.02


class PageCacheMiddleware:
    """Serve anonymous readers stored pages while their content version holds; render each
    stale page once per cache (once per process with the local-memory cache)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_cookies = _private_cookies()

    def __call__(self, request):
        holder = _RequestGeneration()
        token = _request_generation.set(holder)
        try:
            return self.respond_to(request, holder.now)
        finally:
            _request_generation.reset(token)

    def respond_to(self, request, now):
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        bypass = settings.PAGE_CACHE_BYPASS_HEADER
        if not self.private_cookies.isdisjoint(request.COOKIES) or (
            bypass and bypass in request.META
        ):
            return self.fresh(request)
        key = page_key(request)
        try:
            generation = current_generation()
            entry = page_store().get(key)
        except Exception:
            logger.exception("The page cache cannot be read; rendering the page.")
            return self.get_response(request)
        if entry and entry[0] == generation and entry[2] <= now < entry[1]:
            return self.respond(request, entry, now, "HIT")
        if not entry:
            # Never stored (or evicted): nothing says it can be, so nobody waits for it.
            return self.render_and_store(request, key, generation, now)
        # A stored page gone stale, as every page is after a change: rendered once.
        flight = (key, generation)
        first, rendered = _flights.join(flight)
        if not first:
            # Another thread of this process renders the page: wait for its copy.
            rendered.wait(FLIGHT_WAIT_SECONDS)
            entry = self.stored(key, generation, now)
            if entry is not None:
                return self.respond(request, entry, now, "HIT")
            return self.render_and_store(request, key, generation, now)
        try:
            entry = self.rendered_elsewhere(key, generation, now)
            if entry is not None:
                return self.respond(request, entry, now, "HIT")
            return self.render_and_store(request, key, generation, now)
        finally:
            _flights.land(flight, rendered)

    def stored(self, key, generation, now):
        """Return the stored entry of the page if it holds for this generation, else None."""
        try:
            entry = page_store().get(key)
        except Exception:
            return None
        if entry and entry[0] == generation and now < entry[1]:
            return entry
        return None

    def rendered_elsewhere(self, key, generation, now):
        """With a cache other processes share: wait while one of them renders the page.

        The first process to ask marks the page as being rendered (an atomic add) and
        renders it; the others look for its copy until it is stored, for a few seconds at
        most. With the local-memory cache each process has its own copies: returns None.
        """
        store = page_store()
        if isinstance(store, LocMemCache):
            return None
        marker = f"{key}:rendering:{generation}"
        try:
            if store.add(marker, 1, timeout=FLIGHT_WAIT_SECONDS):
                return None
        except Exception:
            return None
        give_up_at = time.monotonic() + FLIGHT_WAIT_SECONDS
        while time.monotonic() < give_up_at:
            time.sleep(FLIGHT_LOOK_SECONDS)
            entry = self.stored(key, generation, now)
            if entry is not None:
                return entry
        return None

    def render_and_store(self, request, key, generation, now):
        response = self.render(request, generation)
        if not storable(response):
            return response
        try:
            # As of the moment the page was asked for: what it shows holds until then.
            # Worked out only for pages to store, so that health checks and views that are
            # never stored do not wait on the database for it.
            until = valid_until(generation, now)
        except Exception:
            logger.exception("The next scheduled moment is unknown; the page is not stored.")
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
