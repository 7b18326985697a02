"""What the open data API returns: only what the public site shows."""

import datetime

from django.utils import timezone
from ninja import Field, Schema


def absolute(context, path):
    return context["request"].build_absolute_uri(path)


class ArticleFilters(Schema):
    category: str | None = Field(None, description="A category's slug.")
    from_date: datetime.date | None = Field(
        None, description="Published on or after this day (YYYY-MM-DD, Vietnam time)."
    )
    to_date: datetime.date | None = Field(
        None, description="Published on or before this day (YYYY-MM-DD, Vietnam time)."
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


class CommuneOut(Schema):
    name: str
    kind: str
    code: str
    district: str | None
    district_kind: str | None
    now_part_of: str | None
    rating: str
    rating_label: str
    officer: str
    notes: str
    url: str


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


class ErrorOut(Schema):
    detail: str
    detail_en: str


class DocumentFilters(Schema):
    type: str | None = Field(None, description="A document type's slug (ke-hoach, quyet-dinh…).")
    issuer: str | None = Field(None, description="An issuing body's slug.")
    year: int | None = Field(None, description="The year of issue.")


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
