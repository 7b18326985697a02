"""The open data API, /api/v1/: read-only JSON of what the public site shows.

Articles are exactly Article.objects.published() and documents
Document.objects.published(); nothing else of the newsroom is reachable. Every
answer may be cached for a few minutes, and each client is held to
settings.API_RATE requests.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import Throttled, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import BaseThrottle

from about.identity import current_identity, identities
from api import schemas
from api.docs import PortalDocs
from communes import lineage
from communes.csv_format import format_month
from communes.models import Commune, CommuneSupport, SupportProgram
from core import database
from core.cache import not_stored
from core.ratelimit import RateLimit, client_key
from core.views import RETRY_AFTER
from documents.models import Document
from news.models import Article, Category
from schedule.models import Entry, leaders, today, week_start

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The longest stretch of the work calendar one request may ask for.
MAX_CALENDAR_DAYS = 92
# Pages past this are refused (422): the offset of a larger one overflows the database's
# integers (page=9223372036854775807 was a 500), and no list is that long.
MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    """Django Ninja's page numbers, up to a page the database can count to."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
        page_size: int | None = Field(  # at most MAX_PAGE_SIZE are given
            None, ge=1, description="How many on a page: 20 unless asked, 100 at most."
        )


class ClientRateThrottle(BaseThrottle):
    """settings.API_RATE requests per client, known by the keyed hash of its address.

    Counted in core.ratelimit's shared counters, so every worker process (and, with
    Redis, every server) holds a client to the same limit.
    """

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def limit(self):
        # Read at each request, so that a change of settings needs no new API object.
        number, period = settings.API_RATE.split("/")
        return RateLimit("api", int(number), self.PERIODS[period.strip()[0]])

    def allow_request(self, request):
        return self.limit().hit(client_key(request))

    def wait(self):
        return self.limit().retry_after()


api = NinjaAPI(
    title="Open data API",
    version="1.0.0",
    description=(
        "Read-only open data of the portal: published news and their categories, the union's "
        "documents with their files, the communes the union supports each year with their "
        "ratings, the leaders' weekly work calendar, and the union's contact information. "
        "Every response may be cached for a few minutes; each client may make a limited "
        "number of requests per minute (HTTP 429 beyond, with Retry-After)."
    ),
    urls_namespace="api",
    throttle=[ClientRateThrottle()],
    docs=PortalDocs(),
)


def bilingual(status, message, request, params=None, headers=None):
    """Return a JSON error with the message (a lazy translation) in Vietnamese and in English."""
    params = params or {}
    with translation.override("vi"):
        detail = str(message) % params
    with translation.override("en"):
        detail_en = str(message) % params
    response = api.create_response(
        request, {"detail": detail, "detail_en": detail_en}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(Throttled)
def throttled(request, exc):
    wait = max(1, round(exc.wait or 60))
    message = _("Too many requests. Please wait %(seconds)d seconds and try again.")
    return bilingual(429, message, request, {"seconds": wait}, {"Retry-After": str(wait)})


@api.exception_handler(Exception)
def database_unavailable(request, exc):
    """Answer 503 while the database is away or does not answer (core.database), as pages do."""
    if isinstance(exc, OperationalError | InterfaceError) or database.gave_up():
        message = _("The portal is temporarily unavailable. Please try again in a moment.")
        return bilingual(503, message, request, headers={"Retry-After": str(RETRY_AFTER)})
    raise exc


@api.exception_handler(Http404)
def not_found(request, exc):
    return bilingual(404, _("Not found."), request)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return bilingual(422, _("Some parameters are not valid."), request)


def cache_headers(view):
    """Let browsers and proxies keep successful answers for a while, and nothing else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        else:
            add_never_cache_headers(response)
        return response

    return wrapper


api.add_decorator(cache_headers, mode="view")
# Browsers and proxies may keep answers; the portal's page cache does not, so that every
# request reaches the throttle.
api.add_decorator(not_stored, mode="view")


# Articles


def day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@api.get(
    "/articles",
    response=list[schemas.ArticleSummaryOut],
    summary="Published articles, newest first",
    tags=["news"],
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_articles(request, filters: Query[schemas.ArticleFilters]):
    articles = Article.objects.published().for_listing()
    if filters.category:
        articles = articles.filter(category__slug=filters.category)
    if filters.from_date:
        articles = articles.filter(published_at__gte=day_start(filters.from_date))
    if filters.to_date:
        next_day = filters.to_date + datetime.timedelta(days=1)
        articles = articles.filter(published_at__lt=day_start(next_day))
    return articles


@api.get("/articles/{slug}", response=schemas.ArticleOut, summary="One article", tags=["news"])
def get_article(request, slug: str = Path(..., description="The article's slug.")):
    return get_object_or_404(Article.objects.published().select_related("category"), slug=slug)


@api.get("/categories", response=list[schemas.CategoryOut], summary="Categories", tags=["news"])
def list_categories(request):
    return Category.objects.all()


# Documents


@api.get(
    "/documents",
    response=list[schemas.DocumentOut],
    summary="Published documents, newest first, with their files",
    tags=["documents"],
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_documents(request, filters: Query[schemas.DocumentFilters]):
    documents = (
        Document.objects.published()
        .for_listing()
        .select_related("replaced_by")
        .prefetch_related("files")
    )
    if filters.type:
        documents = documents.filter(doc_type__slug=filters.type)
    if filters.issuer:
        documents = documents.filter(issuer__slug=filters.issuer)
    if filters.year:
        documents = documents.filter(issued_on__year=filters.year)
    return documents


# Supported communes


def program_summary(request, program):
    return {
        "year": program.year,
        "title": program.title,
        "start_month": format_month(program.start_month) or None,
        "end_month": format_month(program.end_month) or None,
        "planned_count": program.planned_count,
        "supported_count": program.support_count,
        "ratings": [
            {"rating": rating.value, "label": str(rating.label), "count": count}
            for rating, count in program.rating_counts()
        ],
        "reported_results": program.reported_results,
        "summary": program.summary,
        "url": request.build_absolute_uri(program.get_absolute_url()),
        "csv_url": request.build_absolute_uri(program.get_csv_url()),
        "json_url": request.build_absolute_uri(
            reverse("communes:program-json", kwargs={"year": program.year})
        ),
    }


def unit_ref(request, place):
    """Return a unit of the lineage (a communes.lineage.Place) as the API names it."""
    url = place.get_absolute_url()
    return {
        "name": place.name,
        "kind": str(lineage.KINDS[place.level](place.kind).label),
        "code": place.code,
        "province": place.province_name,
        "url": request.build_absolute_uri(url) if url else None,
    }


def link_out(request, step, place):
    return {
        "unit": unit_ref(request, place),
        "date": step.date,
        "resolution": step.resolution,
        "clause": step.clause,
        "whole": step.whole,
    }


def commune_out(request, support):
    commune, district = support.commune, support.commune.district
    now = lineage.now(commune)
    return {
        "name": commune.name,
        "kind": str(commune.get_kind_display()),
        "code": commune.code,
        "district": district.name if district else None,
        "district_kind": str(district.get_kind_display()) if district else None,
        "province": commune.province.name if commune.province else None,
        "valid_from": commune.valid_from,
        "valid_until": commune.valid_until,
        "now_part_of": now.units or None,
        "now": [unit_ref(request, place) for place in now.places],
        "rating": support.rating,
        "rating_label": str(support.get_rating_display()),
        "officer": support.officer,
        "notes": support.notes,
        "url": request.build_absolute_uri(commune.get_absolute_url()),
    }


@api.get(
    "/communes/programs",
    response=list[schemas.ProgramSummaryOut],
    summary="Support programs, newest first, with their rating counts",
    tags=["communes"],
)
def list_programs(request):
    return [program_summary(request, p) for p in SupportProgram.objects.with_rating_counts()]


@api.get(
    "/communes/programs/{year}",
    response=schemas.ProgramOut,
    summary="A year's program with its supported communes and their ratings",
    tags=["communes"],
)
def get_program(request, year: int = Path(..., description="The program's year.")):
    program = get_object_or_404(SupportProgram.objects.with_rating_counts(), year=year)
    supports = CommuneSupport.objects.filter(program=program).in_display_order()
    return {
        **program_summary(request, program),
        "communes": [commune_out(request, support) for support in supports],
    }


@api.get(
    "/communes/units/{slug}",
    response=schemas.CommuneUnitOut,
    summary="A commune-level unit with where it came from and what it became",
    tags=["communes"],
)
def get_commune_unit(request, slug: str = Path(..., description="The unit's slug.")):
    commune = get_object_or_404(Commune.objects.with_place(), slug=slug)
    history = lineage.lineage(Commune)
    return {
        "name": commune.name,
        "kind": str(commune.get_kind_display()),
        "code": commune.code,
        "district": commune.district.name if commune.district else None,
        "province": commune.province.name if commune.province else None,
        "valid_from": commune.valid_from,
        "valid_until": commune.valid_until,
        "basis": commune.basis,
        "url": request.build_absolute_uri(commune.get_absolute_url()),
        "came_from": [
            link_out(request, step, step.predecessor) for step in history.predecessors(commune.pk)
        ],
        "became": [
            link_out(request, step, step.successor) for step in history.successors(commune.pk)
        ],
        "now": [unit_ref(request, place) for place in history.now(commune.pk).places],
    }


# The union


@api.get(
    "/identity",
    response=schemas.IdentityOut,
    summary="The union's name and public contact information, and its former names",
    tags=["union"],
)
def get_identity(request):
    identity = current_identity()
    return {
        "full_name": identity.full_name,
        "short_name": identity.short_name,
        "parent_organisation": identity.parent_organisation,
        "logo_url": request.build_absolute_uri(identity.logo.url) if identity.logo else None,
        "address": identity.address,
        "phone": identity.phone,
        "email": identity.email,
        "content_responsible": identity.content_responsible,
        "licence": identity.licence,
        "map_url": identity.map_link,
        "social_pages": [
            {"network": network, "url": url} for network, url in identity.social_links
        ],
        "related_portals": [
            {"name": portal.name, "url": portal.url} for portal in identity.portal_links
        ],
        "valid_from": identity.valid_from,
        # Every name the union has run the portal under, the earliest first.
        "history": [
            {
                "full_name": period.full_name,
                "short_name": period.short_name,
                "valid_from": period.valid_from,
                "formed_by_merger": period.formed_by_merger,
            }
            for period in identities()
        ],
    }


# The work calendar


def person(officer):
    return {"id": officer.pk, "name": officer.name, "position": officer.position}


def calendar_entry(request, entry):
    """Return an entry as the site shows it: cancelled and changed ones marked, with the changes."""
    start, end = entry.start(), entry.end()
    all_day = entry.starts_at is None
    return {
        "uid": str(entry.uid),
        "date": entry.date,
        "all_day": all_day,
        "start": None if all_day else start,
        "end": None if all_day else end,
        "time": entry.time_text,
        "title": entry.title,
        "place": entry.place,
        "presiding": person(entry.presiding) if entry.presiding else None,
        "attendees": [person(officer) for officer in entry.attendees.all()],
        "attending_units": [unit.name for unit in entry.attending_departments.all()],
        "other_attendees": entry.other_attendees,
        "prepared_by": entry.preparing_department.name if entry.preparing_department else None,
        "notes": entry.notes,
        "is_event": entry.is_event,
        "state": entry.state,
        "state_label": str(entry.get_state_display()),
        "sequence": entry.sequence,
        "changes": [
            {
                "at": timezone.localtime(change.at),
                "kind": change.kind,
                "kind_label": str(change.get_kind_display()),
                "items": [
                    {
                        "item": key,
                        "label": str(change.ITEMS.get(key, key)),
                        "before": old,
                        "after": new,
                    }
                    for key, old, new in change.items
                ],
                "note": change.note,
                "summary": change.summary(),
            }
            for change in entry.changes.all()
        ],
        "articles": [
            {"title": article.title, "url": request.build_absolute_uri(article.get_absolute_url())}
            for article in entry.reports
        ],
        "url": request.build_absolute_uri(entry.get_absolute_url()),
    }


@api.get(
    "/calendar",
    response=list[schemas.CalendarEntryOut],
    summary="The leaders' work calendar: published entries, day by day",
    description=(
        "Entries of published weeks from from_date to to_date (at most 92 days; by default "
        "this week, Monday to Sunday, Vietnam time). Entries changed or cancelled after "
        "publication stay, marked by their state, with what changed and when."
    ),
    tags=["calendar"],
)
def list_calendar(request, filters: Query[schemas.CalendarFilters]):
    first = filters.from_date or week_start(today())
    last = filters.to_date or first + datetime.timedelta(days=6)
    if last < first or (last - first).days >= MAX_CALENDAR_DAYS:
        message = _("Ask for at most %(days)d days, the first day before the last.")
        return bilingual(422, message, request, {"days": MAX_CALENDAR_DAYS})
    entries = Entry.objects.published().between(first, last)
    if filters.leader is not None:
        entries = entries.involving(get_object_or_404(leaders(), pk=filters.leader))
    if filters.events:
        entries = entries.events()
    return [calendar_entry(request, entry) for entry in entries.for_display()]


@api.get(
    "/calendar/leaders",
    response=list[schemas.LeaderOut],
    summary="The leaders whose work calendar can be asked for, with their iCalendar feeds",
    tags=["calendar"],
)
def list_leaders(request):
    return [
        {
            **person(leader),
            "calendar_url": request.build_absolute_uri(
                f"{reverse('api:list_calendar')}?leader={leader.pk}"
            ),
            "ical_url": request.build_absolute_uri(
                reverse("schedule:leader-feed", args=[leader.pk])
            ),
        }
        for leader in leaders()
    ]
