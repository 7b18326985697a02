import datetime
import operator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, reduce

import reversion
from django.conf import settings
from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent
from core.html import is_paragraph, sanitize_html, split_blocks
from core.redirects import KeepsOldAddresses
from core.richtext import RichTextField
from core.text import unique_slug

# The workflow's stages and trash are every workflowed model's; news reads them from here.
from core.workflow import (  # noqa: F401
    PUBLISHED_ROWS,
    TRASH_DAYS,
    LiveManager,
    Stage,
    Status,
    Workflowed,
    WorkflowQuerySet,
    WorkflowStep,
    sees_everyones,
    stage_condition,
)
from news import search
from photos import embedded
from photos.models import Picture


class Category(PublicContent, KeepsOldAddresses, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Part of the web address. Left empty, it is made from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the menu.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Category, self.name, 140, exclude_pk=self.pk, fallback="chuyen-muc"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:category-detail", kwargs={"slug": self.slug})

    def is_public(self):
        """Return True if readers may open the category's page: every category has one."""
        return True

    @classmethod
    def public_objects(cls):
        return cls.objects.all()


# A read-only preview link works for this long.
SHARE_SALT = "news.article-share"
SHARE_MAX_AGE = timedelta(days=7)


# What a share link may show: whatever the newsroom works on or has published.
SHAREABLE_STAGES = tuple(stage for stage in Stage if stage not in {Stage.ARCHIVED, Stage.TRASHED})


def next_change(now):
    """Return when published() changes by itself next: a scheduled minute or an expiry.

    Registered with the page cache (news.apps), which asks once per content version.
    """
    articles = Article.all_objects.order_by()
    publication = (
        articles.filter(stage_condition(Stage.SCHEDULED, now))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    expiry = (
        # "expires_at > now" (implied) lets SQLite seek the expiry index without statistics.
        articles.filter(stage_condition(Stage.LIVE, now), expires_at__gt=now)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return min(filter(None, [publication, expiry]), default=None)


def sees_everyones_articles(user):
    """Return True if the user works on everyone's articles in the admin, not only their own."""
    return sees_everyones(user, Article)


class ArticleQuerySet(WorkflowQuerySet):
    def for_listing(self):
        """Return articles with what list pages show, in one query."""
        return self.select_related("category").defer(
            "body", "search_title", "search_lead", "search_body"
        )

    def with_cover(self):
        """Prefetch each article's cover photo alone, so `cover_photo` costs no query of its own."""
        return self.prefetch_related(cover_prefetch())

    def for_cards(self):
        """Return articles with only the columns a news card draws ({% article_card %}).

        Lists build dozens of articles: fewer columns make them markedly cheaper. A page
        that came to read another column of them would run a query per card, which the
        query counts asserted in tests catch.
        """
        return self.select_related("category").only(*CARD_FIELDS)

    def cards(self):
        """Return what readers' lists show: published articles with all a card draws."""
        return self.published().for_cards().with_cover()

    def for_reading(self):
        """Return articles with what the article page needs besides the text and photos.

        `linked_to_subjects`: whether another app links the article to a subject of its own
        (a commune: see register_subject_link), which its related news then follow;
        `shows_subjects_<n>`: whether it is linked to a subject of the n-th shown link,
        whose subjects the page lists (documents).
        """
        links = [models.Exists(link.links_of(models.OuterRef("pk"))) for link in subject_links()]
        linked = reduce(operator.or_, links) if links else models.Value(False)
        shown = {
            f"shows_subjects_{index}": models.Exists(link.links_of(models.OuterRef("pk")))
            for index, link in enumerate(subject_links())
            if link.shown
        }
        return self.select_related("category").annotate(
            linked_to_subjects=models.ExpressionWrapper(linked, output_field=models.BooleanField()),
            **shown,
        )

    def from_share_token(self, token):
        """Return the article a share link names; raise signing.BadSignature if it is not valid.

        An article taken down (often for legal reasons) or trashed since the link was made
        is not found: its links stop at once.
        """
        pk = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
        return self.at_stage(*SHAREABLE_STAGES).get(pk=pk)


@dataclass(frozen=True)
class SubjectLink:
    """A many-to-many field of another app that links its rows (subjects) to articles."""

    field: models.ManyToManyField
    shown: bool = False  # the article page lists the subjects it is linked to

    @property
    def _through(self):
        return self.field.remote_field.through

    def links_of(self, article):
        """Return the links of article (a pk or an OuterRef) to subjects."""
        return self._through.objects.filter(**{self.field.m2m_reverse_field_name(): article})

    def related(self, article):
        """Return the ids of the articles linked to a subject the article is linked to."""
        subject = self.field.m2m_field_name()
        subjects = self.links_of(article).values(subject)
        return self._through.objects.filter(**{f"{subject}__in": subjects}).values(
            self.field.m2m_reverse_field_name()
        )

    def heading(self):
        return capfirst(self.field.model._meta.verbose_name_plural)

    def subjects(self, article):
        """Return the published subjects the article is linked to (the subjects' published())."""
        return self.field.model.objects.published().filter(**{self.field.name: article})


_subject_links = []


def register_subject_link(field, shown=False):
    """Say that a many-to-many field to Article links articles to a subject (AppConfig.ready).

    Articles linked to the same subject are related news of each other; with shown, the
    article's page also lists its published subjects (their model's published()).
    """
    if all(link.field is not field for link in _subject_links):
        _subject_links.append(SubjectLink(field, shown))


def shown_subjects(article):
    """Return [(heading, subjects)] of the shown links the article (for_reading()) is linked by."""
    return [
        (link.heading(), list(link.subjects(article)))
        for index, link in enumerate(subject_links())
        if link.shown and getattr(article, f"shows_subjects_{index}", False)
    ]


def subject_links():
    return tuple(_subject_links)


# What a news card shows: its title, address, date, category and lead.
CARD_FIELDS = ("title", "slug", "lead", "published_at", "category__name", "category__slug")


@dataclass(frozen=True)
class CategoryLink:
    name: str
    slug: str

    def get_absolute_url(self):
        return reverse("news:category-detail", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class ArticleCard:
    """What a news card draws of an article ({% article_card %}), frozen so pages share it.

    Lists remembered for every page (news.views.newest_articles) hold these rather than
    articles, which any page could change under the others.
    """

    pk: int
    title: str
    slug: str
    lead: str
    published_at: datetime.datetime | None
    category_id: int | None
    category: CategoryLink | None
    cover_photo: Picture | None

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug})


def cover_prefetch():
    """Each article's first photo with a file, as `covers` (a list of at most one).

    Only the covers are read, however many photos an article has. The first photo is
    chosen by a subquery on the article's photos (their index), which costs half as much
    to build as a sliced prefetch's window function.
    """
    return models.Prefetch("photos", queryset=_covers().all(), to_attr="covers")


@cache
def _covers():
    # Built once (building it costs more than running it); each prefetch gets a copy.
    first = (
        Photo.objects.with_file()
        .filter(article=models.OuterRef("article"))
        .order_by(*Photo._meta.ordering)
        .values("pk")[:1]
    )
    return Photo.objects.with_file().filter(pk=models.Subquery(first))


# What an article's text is, and what derive() works out from it.
TEXT_FIELDS = {"title", "lead", "body"}
DERIVED_FIELDS = ("body", "search_title", "search_lead", "search_body", "slug")

# What the newsroom's list filters on (stages, "My articles", category, featured, byline).
NEWSROOM_FILTERED = [
    "deleted_at",
    "status",
    "returned_at",
    "approved_at",
    "expires_at",
    "created_by",
    "category",
    "featured",
    "author_name",
]


class LiveArticleManager(LiveManager.from_queryset(ArticleQuerySet)):
    """Hide articles in the trash: what the admin lists and the public sees start here."""


class Article(PublicContent, KeepsOldAddresses, Workflowed):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the web address, without accents: “công tác đoàn” becomes "
            "“cong-tac-doan”. Left empty, it is made from the title."
        ),
    )
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_(
            "The short introduction (sapo) shown in bold under the title. A draft may be "
            "saved without it; it is needed to submit or publish."
        ),
    )
    body = RichTextField(
        _("body"),
        blank=True,
        help_text=_(
            "Scripts, inline styles, frames and forms are removed when the article is saved."
        ),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        db_index=False,  # see Meta.indexes
    )
    author_name = models.CharField(
        _("byline"),
        max_length=150,
        blank=True,
        help_text=_("The author's name as printed at the end of the article, e.g. “Ngọc Tú”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="articles",
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # see Meta.indexes
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Day and time shown to readers, typed day first (25/03/2023 07:00). "
            "Left empty, it is set when the article is published."
        ),
    )
    expires_at = models.DateTimeField(
        _("expiry time"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. At this moment the article leaves the public site by itself "
            "(it stays in the admin)."
        ),
    )
    approved_at = models.DateTimeField(
        _("approved at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when an editor approves the article for publication."),
    )
    returned_at = models.DateTimeField(
        _("returned at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a reviewer returns the article to its author."),
    )
    announced_at = models.DateTimeField(
        _("announced at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the author was told the article went live (publish_scheduled)."),
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown in the top block of the home page.")
    )
    legacy_key = models.CharField(
        _("legacy portal key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifies an article imported from the old portal."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Search: the folded words of the title, lead and plain-text body, set by derive() and
    # indexed by the database (news/search.py).
    search_title = models.TextField(editable=False, blank=True, default="")
    search_lead = models.TextField(editable=False, blank=True, default="")
    search_body = models.TextField(editable=False, blank=True, default="")

    # `objects` hides the trash; Django's own machinery (unique checks, slugs,
    # related lookups) sees every row through `all_objects`.
    objects = LiveArticleManager()
    all_objects = ArticleQuerySet.as_manager()
    # What derive() sets, for bulk writers and `manage.py rederive`.
    derived_fields = DERIVED_FIELDS
    needed_to_submit = ("lead",)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        default_manager_name = "all_objects"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Each list walks an index in its own order and stops when its page is full, with
        # or without the planner's statistics. No index on the status alone: without
        # statistics SQLite takes "status = 'published'" for a rare value and sorts every
        # published row (tests/news/test_query_plans.py).
        indexes = [
            # What published() reads, in list order, for the news list and each category:
            # counts and deep pages walk these indexes without reading the table.
            models.Index(
                fields=["-published_at", "-id", "expires_at", "status", "deleted_at"],
                name="article_public_order",
                condition=PUBLISHED_ROWS,
            ),
            models.Index(
                fields=["category", "-published_at", "-id", "expires_at", "status", "deleted_at"],
                name="article_public_category",
                condition=PUBLISHED_ROWS,
            ),
            # The home page's featured news: a few among many, newest first.
            models.Index(
                fields=["-published_at", "-id", "expires_at", "status", "deleted_at"],
                name="article_public_featured",
                condition=PUBLISHED_ROWS & Q(featured=True),
            ),
            # The few articles that expire: the page cache asks for the next expiry.
            models.Index(
                fields=["expires_at"],
                name="article_expiry",
                condition=PUBLISHED_ROWS & Q(expires_at__isnull=False),
            ),
            # The newsroom's list, in its order, with every column its filters and the
            # workflow's stages test: a filtered page is read from the index alone, never
            # from the rows (which their bodies make large).
            models.Index(
                fields=["-published_at", "-id", *NEWSROOM_FILTERED], name="article_newsroom_order"
            ),
            # The same list of one category, or of one person's articles (a contributor's
            # whole list, "My articles"); also what their foreign keys need.
            models.Index(
                fields=["category", "-published_at", "-id"], name="article_category_order"
            ),
            models.Index(fields=["created_by", "-published_at", "-id"], name="article_owner_order"),
            # The trash, newest first: everyone's (editors) or one's own (contributors).
            models.Index(
                fields=["-deleted_at", "-id"],
                name="article_trash",
                condition=Q(deleted_at__isnull=False),
            ),
            models.Index(
                fields=["created_by", "-deleted_at", "-id"],
                name="article_owner_trash",
                condition=Q(deleted_at__isnull=False),
            ),
            # The bylines the newsroom's search looks through (news.search.bylines()).
            models.Index(fields=["author_name"], name="article_byline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="article_expires_after_publication",
                violation_error_message=_("The expiry time must come after the publication time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("A published article needs a publication time."),
            ),
        ]
        permissions = [
            ("submit_article", _("Can submit an article for review")),
            ("review_article", _("Can review, return and approve articles")),
            ("publish_article", _("Can publish, schedule and take down articles")),
            ("view_all_articles", _("Can see everyone's articles in the admin")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive()
        self.version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            update_fields = {*update_fields, "version", "updated_at"}
            if update_fields & TEXT_FIELDS:
                update_fields |= set(DERIVED_FIELDS)
            kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug})

    @classmethod
    def public_objects(cls):
        return cls.objects.published()

    def derive(self):
        """Work out everything the article stores about its own text, from its text.

        The body sanitised (pages print it as stored) with its library images linked
        (photos.embedded), the folded words of the title,
        lead and body that search reads, and a slug if it has none. The one place these
        are computed: save(), bulk inserts (generate_articles) and `manage.py rederive`
        all call it.
        """
        self.body = embedded.link_images(sanitize_html(self.body))
        for name, value in search.index_fields(self.title, self.lead, self.body).items():
            setattr(self, name, value)
        if not self.slug:
            self.slug = unique_slug(
                Article, self.title, 200, exclude_pk=self.pk, fallback="bai-viet"
            )

    def after_move(self, from_status):
        """Drop the pending draft of an article taken off the site: nothing is live to keep."""
        if from_status == Status.PUBLISHED and self.status != Status.PUBLISHED:
            PendingDraft.objects.filter(article=self, pending=True).update(
                pending=False, version=F("version") + 1
            )

    @classmethod
    def rederived(cls, using):
        """After `manage.py rederive`: fill SQLite's search index again from the columns."""
        search.rebuild_sqlite_index(using)

    def get_preview_url(self):
        """Return the staff preview of the article as readers would see it."""
        return reverse("news:article-preview", kwargs={"pk": self.pk})

    def get_share_url(self):
        """Return a link that shows this one article, read-only, for SHARE_MAX_AGE."""
        token = signing.dumps(self.pk, salt=SHARE_SALT)
        return reverse("news:article-share", kwargs={"token": token})

    def as_card(self):
        """Return what a news card draws of the article (its cover from with_cover())."""
        category = self.category
        cover = self.cover_photo
        return ArticleCard(
            pk=self.pk,
            title=self.title,
            slug=self.slug,
            lead=self.lead,
            published_at=self.published_at,
            category_id=self.category_id,
            category=CategoryLink(category.name, category.slug) if category else None,
            cover_photo=cover.picture() if cover else None,
        )

    @property
    def cover_photo(self):
        """Return the article's first photo that has a file, or None (see with_cover())."""
        photos = getattr(self, "covers", None)
        if photos is None:
            photos = self.photos.with_file()[:1]
        return next(iter(photos), None)

    def body_with_photos(self, photos, sizes="100vw"):
        """Return the body as a list of parts, each {"html": …} or {"photo": …}.

        A photo stands right after the paragraph its position counts to, as readers
        count them (core.html.is_paragraph: not headings, figures or empty lines; 0: right
        under the lead); photos past the end close the article.
        Library images in the body come as <picture>s of their renditions (sizes: as
        the page draws them), lazy unless they open the article.
        """
        photos = sorted(photos, key=lambda photo: (photo.position, photo.order, photo.pk or 0))
        parts, waiting = [], list(photos)
        opening = not (photos and photos[0].position == 0)
        blocks = split_blocks(self.body)
        drawn = embedded.pictures(blocks, sizes, eager_first=opening)

        def place_photos(paragraphs):
            while waiting and waiting[0].position <= paragraphs:
                parts.append({"photo": waiting.pop(0)})

        paragraphs = 0
        place_photos(paragraphs)
        for block, shown in zip(blocks, drawn, strict=True):
            parts.append({"html": shown})
            if is_paragraph(block):
                paragraphs += 1
                place_photos(paragraphs)
        parts.extend({"photo": photo} for photo in waiting)
        return parts


class TrashedArticle(Article):
    """The articles in the trash, listed on their own page of the admin."""

    class Meta:
        proxy = True
        default_manager_name = "all_objects"
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("article in the trash")
        verbose_name_plural = _("trash")


class PhotoQuerySet(models.QuerySet):
    def with_file(self):
        """Return the photos that have an image (imported captions may not), with the image."""
        return self.filter(image__isnull=False).select_related("image")


class Photo(PublicContent, models.Model):
    """A library image placed in an article, with the caption it has there.

    The placement owns its caption; the image (photos.Image) owns what it shows and who
    took it: `alt_text` and `credit` here read the image's, they are never copied.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos"
    )
    # An image in use cannot be deleted from the library.
    image = models.ForeignKey(
        "photos.Image",
        verbose_name=_("library image"),
        on_delete=models.PROTECT,
        related_name="placements",
        null=True,
        blank=True,
        help_text=_("Type to search the photo library, or upload a new image beside it."),
    )
    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Left empty, the library's caption is used."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_(
            "How many body paragraphs come before the photo: 0 puts it right under the lead."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Order among photos at the same position.")
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.shown_caption

    def clean(self):
        if not self.shown_caption.strip():
            raise ValidationError({"caption": ValidationError(_("This field is required."))})

    # What pages show: this placement's caption (else the library's, read now), and the
    # image's own alt text, credit, address, size and renditions.
    @property
    def shown_caption(self):
        if self.caption.strip() or self.image_id is None:
            return self.caption
        return self.image.caption

    # Described as the image's fields are, for the admin's read-only photo rows.
    @property
    @admin.display(description=_("alternative text"))
    def alt_text(self):
        return self.image.alt_text if self.image_id else ""

    @property
    @admin.display(description=_("credit"))
    def credit(self):
        return self.image.credit if self.image_id else ""

    @property
    def alt(self):
        return self.alt_text or self.shown_caption

    @property
    def url(self):
        return self.image.url if self.image_id else ""

    @property
    def width(self):
        return self.image.width if self.image_id else None

    @property
    def height(self):
        return self.image.height if self.image_id else None

    def sources(self):
        return self.image.sources() if self.image_id else []

    def picture(self):
        """Return the photo as pages draw it ({% picture %}), with its alt text."""
        return self.image.picture(alt=self.alt) if self.image_id else None


# What a pending draft holds of the article's own fields: those of the change form.
PENDING_FIELDS = (
    "title",
    "slug",
    "lead",
    "body",
    "author_name",
    "category",
    "published_at",
    "expires_at",
    "featured",
)


class PendingDraft(models.Model):
    """The changes made to a live article that readers do not see yet.

    Readers keep the article's row; its pending draft holds the edited fields and photos
    until it is published onto the article, or discarded (news.pending). The draft has a
    stage of its own (draft, returned, in review, approved) in the workflow's table.
    Readers never see it, so it is not public content: writing it keeps the stored pages.
    The row stays once the changes are published or discarded (`pending` off), so that
    its version keeps counting up: the change form's version check adds it to the
    article's.
    """

    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_draft",
    )
    pending = models.BooleanField(_("pending"), default=False)
    fields = models.JSONField(_("fields"), default=dict)
    photos = models.JSONField(_("photos"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending draft")
        verbose_name_plural = _("pending drafts")
        # Who may change or publish a pending draft is who may change or publish its
        # article: permissions of its own would give nobody anything.
        default_permissions = ()

    def __str__(self):
        return str(self.article)


class ArticleTransition(WorkflowStep):
    """One step of an article through the workflow, shown as its timeline."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="transitions"
    )


# Every save made inside a revision block (the admin, workflow steps, restores)
# keeps a copy of the article together with its photos' captions and order.
reversion.register(Photo)
reversion.register(Article, follow=["photos"])
