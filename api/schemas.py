"""What the open data API returns: only what the public site shows."""

import datetime

from django.utils import timezone
from ninja import Field, Schema


def absolute(context, path):
    return context["request"].build_absolute_uri(path)


# Days a filter may name: the databases and the time zone's arithmetic work inside these
# (9999-12-31 has no next day; 0001-01-01 at 00:00 in Vietnam is in year 0 in UTC).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


class ArticleFilters(Schema):
    category: str | None = Field(None, description="A category's slug.")
    from_date: datetime.date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Published on or after this day (YYYY-MM-DD, Vietnam time).",
    )
    to_date: datetime.date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Published on or before this day (YYYY-MM-DD, Vietnam time).",
    )


class CategoryOut(Schema):
    name: str
    slug: str
    description: str
    url: str

    @staticmethod
    def resolve_url(category, context):
        return absolute(context, category.get_absolute_url())


class PhotoOut(Schema):
    url: str
    caption: str
    alt_text: str
    credit: str
    width: int | None
    height: int | None

    @staticmethod
    def resolve_url(photo, context):
        return absolute(context, photo.image.url)

    @staticmethod
    def resolve_caption(photo):
        return photo.shown_caption

    @staticmethod
    def resolve_alt_text(photo):
        return photo.alt


class ArticleSummaryOut(Schema):
    id: int
    title: str
    slug: str
    lead: str
    category: CategoryOut | None
    byline: str
    published_at: datetime.datetime
    updated_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_byline(article):
        return article.author_name

    # In Vietnam time (+07:00), as the site shows them.
    @staticmethod
    def resolve_published_at(article):
        return timezone.localtime(article.published_at)

    @staticmethod
    def resolve_updated_at(article):
        return timezone.localtime(article.updated_at)

    @staticmethod
    def resolve_url(article, context):
        return absolute(context, article.get_absolute_url())


class ArticleOut(ArticleSummaryOut):
    body: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(article):
        return article.photos.with_file()


class UnitRefOut(Schema):
    name: str
    kind: str
    code: str
    province: str
    url: str | None


class LinkOut(Schema):
    unit: UnitRefOut
    date: datetime.date | None
    resolution: str
    clause: str
    whole: bool


class CommuneOut(Schema):
    name: str
    kind: str
    code: str
    district: str | None
    district_kind: str | None
    province: str | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    now_part_of: str | None
    now: list[UnitRefOut]
    rating: str
    rating_label: str
    officer: str
    notes: str
    url: str


class CommuneUnitOut(Schema):
    name: str
    kind: str
    code: str
    district: str | None
    province: str | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    basis: str
    url: str
    came_from: list[LinkOut]
    became: list[LinkOut]
    now: list[UnitRefOut]


class RatingCountOut(Schema):
    rating: str
    label: str
    count: int


class ProgramSummaryOut(Schema):
    year: int
    title: str
    start_month: str | None
    end_month: str | None
    planned_count: int | None
    supported_count: int
    ratings: list[RatingCountOut]
    reported_results: str
    summary: str
    url: str
    csv_url: str
    json_url: str


class ProgramOut(ProgramSummaryOut):
    communes: list[CommuneOut]


class RelatedPortalOut(Schema):
    name: str
    url: str


class SocialPageOut(Schema):
    network: str
    url: str


class IdentityPeriodOut(Schema):
    full_name: str
    short_name: str
    valid_from: datetime.date | None
    formed_by_merger: bool


class IdentityOut(Schema):
    full_name: str
    short_name: str
    parent_organisation: str
    logo_url: str | None
    address: str
    phone: str
    email: str
    content_responsible: str
    licence: str
    map_url: str
    social_pages: list[SocialPageOut]
    related_portals: list[RelatedPortalOut]
    valid_from: datetime.date | None
    history: list[IdentityPeriodOut]


class ErrorOut(Schema):
    detail: str
    detail_en: str


class CalendarFilters(Schema):
    from_date: datetime.date | None = Field(
        None, description="The first day (YYYY-MM-DD); by default the Monday of this week."
    )
    to_date: datetime.date | None = Field(
        None, description="The last day (YYYY-MM-DD); by default six days after the first."
    )
    leader: int | None = Field(
        None, description="Only what this leader presides or attends (an id of /calendar/leaders)."
    )
    events: bool = Field(False, description="Only events readers may attend.")


class PersonOut(Schema):
    id: int
    name: str
    position: str


class CalendarChangeItemOut(Schema):
    item: str
    label: str
    before: str
    after: str


class CalendarChangeOut(Schema):
    at: datetime.datetime
    kind: str
    kind_label: str
    items: list[CalendarChangeItemOut]
    note: str
    summary: str


class LinkOut(Schema):
    title: str
    url: str


class CalendarEntryOut(Schema):
    uid: str
    date: datetime.date
    all_day: bool
    start: datetime.datetime | None
    end: datetime.datetime | None
    time: str
    title: str
    place: str
    presiding: PersonOut | None
    attendees: list[PersonOut]
    attending_units: list[str]
    other_attendees: str
    prepared_by: str | None
    notes: str
    is_event: bool
    state: str
    state_label: str
    sequence: int
    changes: list[CalendarChangeOut]
    articles: list[LinkOut]
    url: str


class LeaderOut(PersonOut):
    calendar_url: str
    ical_url: str


class DocumentFilters(Schema):
    type: str | None = Field(None, description="A document type's slug (ke-hoach, quyet-dinh…).")
    issuer: str | None = Field(None, description="An issuing body's slug.")
    year: int | None = Field(
        None, ge=FIRST_DAY.year, le=LAST_DAY.year, description="The year of issue."
    )


class DocumentFileOut(Schema):
    title: str
    format: str
    size: int
    main: bool
    url: str

    @staticmethod
    def resolve_title(document_file):
        return str(document_file)

    @staticmethod
    def resolve_main(document_file):
        return document_file.is_main

    @staticmethod
    def resolve_url(document_file, context):
        return absolute(context, document_file.get_absolute_url())


class DocumentOut(Schema):
    id: int
    number: str
    type: str
    issuer: str
    field: str | None
    issued_on: datetime.date
    effective_on: datetime.date | None
    signer: str
    summary: str
    validity: str
    replaced_by: str | None
    files: list[DocumentFileOut]
    url: str

    @staticmethod
    def resolve_type(document):
        return document.doc_type.name

    @staticmethod
    def resolve_issuer(document):
        return document.issuer.name

    @staticmethod
    def resolve_field(document):
        return document.field.name if document.field else None

    @staticmethod
    def resolve_replaced_by(document, context):
        replacement = document.replaced_by
        if replacement is None or not replacement.is_live:
            return None
        return absolute(context, replacement.get_absolute_url())

    @staticmethod
    def resolve_files(document):
        return document.files.all()

    @staticmethod
    def resolve_url(document, context):
        return absolute(context, document.get_absolute_url())
