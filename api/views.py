"""The open data API, /api/v1/: read-only JSON of what the public site shows.

Articles are exactly Article.objects.published() and documents
Document.objects.published(); nothing else of the newsroom is reachable. Every
answer may be cached for a few minutes, and each client is held to
settings.API_RATE requests.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query
from ninja.errors import Throttled, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from about.identity import current_identity
from api import schemas
from communes.csv_format import format_month
from communes.models import CommuneSupport, SupportProgram
from core.cache import not_stored
from core.ratelimit import client_key
from documents.models import Document
from news.models import Article, Category

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class ClientRateThrottle(AnonRateThrottle):
    """Count requests per client, known by the keyed hash of its address (core.ratelimit)."""

    def __init__(self):
        super().__init__(settings.API_RATE)

    def allow_request(self, request):
        # Read at each request, so that a change of settings needs no new API object.
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request):
        return client_key(request)


api = NinjaAPI(
    title="Open data API",
    version="1.0.0",
    description=(
        "Read-only open data of the portal: published news and their categories, the union's "
        "documents with their files, the communes "
        "the union supports each year with their ratings, and the union's contact information. "
        "Every response may be cached for a few minutes; each client may make a limited "
        "number of requests per minute (HTTP 429 beyond, with Retry-After)."
    ),
    urls_namespace="api",
    throttle=[ClientRateThrottle()],
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
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
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
def get_article(request, slug: str):
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
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
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


def commune_out(request, support):
    commune, district = support.commune, support.commune.district
    successor = commune.current_successor
    return {
        "name": commune.name,
        "kind": str(commune.get_kind_display()),
        "code": commune.code,
        "district": district.name if district else None,
        "district_kind": str(district.get_kind_display()) if district else None,
        "now_part_of": str(successor) if successor else None,
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
def get_program(request, year: int):
    program = get_object_or_404(SupportProgram.objects.with_rating_counts(), year=year)
    supports = CommuneSupport.objects.filter(program=program).in_display_order()
    return {
        **program_summary(request, program),
        "communes": [commune_out(request, support) for support in supports],
    }


# The union


@api.get(
    "/identity",
    response=schemas.IdentityOut,
    summary="The union's name and public contact information",
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
    }
