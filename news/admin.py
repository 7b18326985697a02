import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import admin as core_admin
from core import cache, workflow
from core.admin import (
    RevisionsAdminMixin,
    TrashAdminMixin,
    VietnameseSlugAdmin,
    WorkflowAdminMixin,
    yes_no,
)
from core.pagination import ArchivePaginator
from core.validators import ImageUploadField
from news import revisions, search
from news.forms import ArticleAdminForm
from news.models import (
    SHARE_MAX_AGE,
    Article,
    Category,
    Photo,
    TrashedArticle,
    sees_everyones_articles,
)
from news.pending_admin import PendingDraftAdminMixin, PendingPhotoFormSet
from photos.models import Image

# Beyond these lengths Google cuts a title or a description; Facebook and Zalo too.
SHARE_LIMITS = {"title": 60, "description": 160}
SHARE_IMAGE_MIN_WIDTH = 600


def share_warnings(title, lead, image):
    """Return (kind, text) for what would look wrong when the article is found or shared."""
    warnings = []
    if len(title) > SHARE_LIMITS["title"]:
        warnings.append(
            (
                "title",
                _("The title is longer than %(max)s characters: Google will cut it.")
                % {"max": SHARE_LIMITS["title"]},
            )
        )
    if not lead.strip():
        warnings.append(
            ("empty", _("The lead is empty: it is the description shown under the title."))
        )
    elif len(lead) > SHARE_LIMITS["description"]:
        warnings.append(
            (
                "description",
                _("The lead is longer than %(max)s characters: Google and Facebook will cut it.")
                % {"max": SHARE_LIMITS["description"]},
            )
        )
    if image is None:
        warnings.append(
            ("image", _("No photo yet: shared on Facebook or Zalo, the article has no picture."))
        )
    elif image.width and image.width < SHARE_IMAGE_MIN_WIDTH:
        warnings.append(
            (
                "image",
                _("The first photo is narrower than %(min)s pixels: it may show small.")
                % {"min": SHARE_IMAGE_MIN_WIDTH},
            )
        )
    return warnings


@admin.register(Category)
class CategoryAdmin(VietnameseSlugAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


class LibraryOwnedInput(forms.TextInput):
    """A read-only text input that says the photo library keeps its value."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<p class="help">{}</p>',
            super().render(name, value, attrs, renderer),
            _("Kept in the photo library: only the image's uploader or an editor can change it."),
        )


class PhotoInlineForm(forms.ModelForm):
    """A photo row: a library image, chosen or uploaded here, its caption in this article.

    The alt text and credit are the image's own (photos.Image): the row shows the chosen
    image's and, when the user may edit that image (Image.editable_by), saves what they
    change on the image itself, for every article that shows it. An upload goes into the
    library as soon as the row is valid, and the row then points at it: if the article's
    save is refused (a concurrent edit, an error elsewhere), the re-shown form keeps the
    image and nothing has to be chosen again.
    """

    LIBRARY_WORDS = ("alt_text", "credit")

    user = None  # set by PhotoInline.get_formset

    upload = ImageUploadField(
        label=_("or upload a new image"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB and 40 megapixels."),
    )
    alt_text = Image._meta.get_field("alt_text").formfield()
    credit = Image._meta.get_field("credit").formfield()

    class Meta:
        model = Photo
        fields = ["image", "upload", "caption", "alt_text", "credit", "position", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        image = self.instance.image if self.instance.image_id else None
        if image is None:
            return
        self.fields["caption"].widget.attrs["placeholder"] = image.caption
        for name in self.LIBRARY_WORDS:
            self.initial.setdefault(name, getattr(image, name))
        if not self.may_describe(image):
            for name in self.LIBRARY_WORDS:
                self.fields[name].disabled = True
                self.fields[name].widget = LibraryOwnedInput(self.fields[name].widget.attrs)

    def may_describe(self, image):
        """Return True if the user may change the image's alt text and credit."""
        return self.user is not None and image.editable_by(self.user)

    def changed_words(self):
        """Return {name: value} of the alt text and credit the user changed in the row."""
        return {
            name: self.cleaned_data[name]
            for name in self.LIBRARY_WORDS
            if name in self.changed_data and name in self.cleaned_data
        }

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("DELETE"):
            return cleaned_data
        upload, image = cleaned_data.get("upload"), cleaned_data.get("image")
        if upload:
            image = Image(
                file=upload,
                uploaded_by=self.user,
                caption=cleaned_data.get("caption", ""),
                alt_text=cleaned_data.get("alt_text", ""),
                credit=cleaned_data.get("credit", ""),
            )
            image.save()
            cleaned_data["image"] = image
            self.data = self.data.copy()
            self.data[self.add_prefix("image")] = str(image.pk)
        elif image is None:
            for name in self.changed_words():
                self.add_error(
                    name,
                    _(
                        "Choose or upload an image first: "
                        "the alternative text and credit are the image's."
                    ),
                )
        elif not self.may_describe(image):
            for name in self.changed_words():
                self.add_error(
                    name,
                    _(
                        "The photo library keeps this image's alternative text and credit: "
                        "only its uploader or an editor can change them."
                    ),
                )
        return cleaned_data

    def save(self, commit=True):
        photo = super().save(commit)
        image, words = photo.image, self.changed_words()
        # An upload was described when it was stored (clean); refused words never reach here.
        if words and image is not None and not self.cleaned_data.get("upload"):
            self.describe(image, words)
        return photo

    def describe(self, image, words):
        """Save the alt text and credit the user changed on the image, if they may."""
        if not self.may_describe(image):
            return
        for name, value in words.items():
            setattr(image, name, value)
        image.save(update_fields=[*words, "search_text"])


class PhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoInlineForm
    formset = PendingPhotoFormSet  # a live article's pending draft has photos of its own
    extra = 1
    fields = ["thumbnail", "image", "upload", "caption", "alt_text", "credit", "position", "order"]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["image"]

    class Media:
        css = {"all": ["photos/css/library.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            return [name for name in fields if name != "upload"]  # nothing to upload into
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        if "image" in formset.form.base_fields:
            # What the user may reuse, and whatever the article already shows.
            usable = Q(pk__in=Image.objects.visible_to(request.user).values("pk"))
            if obj is not None:
                usable |= Q(pk__in=Photo.objects.filter(article=obj).values("image"))
            formset.form.base_fields["image"].queryset = Image.objects.filter(usable)
        return formset

    @admin.display(description=_("preview"))
    def thumbnail(self, photo):
        if photo.image_id:
            return format_html(
                '<img class="photo-thumb" src="{}" alt="">', photo.image.thumbnail_url
            )
        if photo.pk:
            return format_html(
                '<strong class="photo-missing">⚠ {}</strong>', _("No image file: attach it")
            )
        return "—"

    # Photos follow the article: editable exactly when the article is.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(request, obj)


def _editable(request, article):
    return article is None or workflow.can_edit(request.user, article)


class StageFilter(core_admin.StageFilter):
    mine_label = _("My articles")


class PublishingCalendarMixin:
    """The leaders' calendar: what is scheduled and what was published, by week or month."""

    def calendar_view(self, request):
        if not request.user.has_perm("news.publish_article"):
            raise PermissionDenied
        today = timezone.localdate()
        month = _parse_month(request.GET.get("thang"))
        if month is not None:
            first = month
            start = first - datetime.timedelta(days=first.weekday())
            following = (first + datetime.timedelta(days=31)).replace(day=1)
            end = following + datetime.timedelta(days=(7 - following.weekday()) % 7)
            previous = (first - datetime.timedelta(days=1)).replace(day=1)
            nav = {"previous": f"?thang={previous:%Y-%m}", "next": f"?thang={following:%Y-%m}"}
        else:
            day = _parse_day(request.GET.get("tuan")) or today
            start = day - datetime.timedelta(days=day.weekday())
            end = start + datetime.timedelta(days=7)
            nav = {
                "previous": f"?tuan={start - datetime.timedelta(days=7):%Y-%m-%d}",
                "next": f"?tuan={end:%Y-%m-%d}",
            }
        articles = (
            Article.objects.filter(
                status=Article.Status.PUBLISHED,
                published_at__gte=_local_midnight(start),
                published_at__lt=_local_midnight(end),
            )
            .select_related("category")
            .order_by("published_at")
        )
        by_day = {}
        for article in articles:
            by_day.setdefault(timezone.localdate(article.published_at), []).append(article)
        days = [start + datetime.timedelta(days=n) for n in range((end - start).days)]
        weeks = [
            [(day, by_day.get(day, [])) for day in days[i : i + 7]] for i in range(0, len(days), 7)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publishing calendar"),
            "weeks": weeks,
            "month": month,
            "today": today,
            "nav": nav,
            "this_week": f"?tuan={today:%Y-%m-%d}",
            "this_month": f"?thang={today:%Y-%m}",
        }
        return TemplateResponse(request, "admin/news/article/calendar.html", context)


def _parse_day(text):
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def _parse_month(text):
    try:
        return datetime.date.fromisoformat(f"{text}-01") if text else None
    except ValueError:
        return None


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class FoldedSearchMixin:
    """Search the articles as readers do: every word, in title, lead or body, accents folded.

    "dai hoi" finds "Đại hội"; a byline is found as typed. What was searched, and the list
    before it was, are kept on the request for the list's pages (NewsroomPaginator).
    """

    def get_search_results(self, request, queryset, search_term):
        found = newsroom_search(search_term)
        if found is None:
            return queryset, False
        request.newsroom_search = (found, queryset)
        return queryset.filter(found.condition()), False


def searched_for(search_term):
    """Return what an admin search looks for: the folded words, and a byline as typed."""
    terms = tuple(search.query_terms(search_term))
    return (terms, search_term.strip()) if terms else ((), "")


def bylines():
    """Return every byline of the articles, remembered until the content changes.

    There are a few dozen: the newsroom's search looks for what was typed among them in
    Python, where "contains, in any case" costs nothing, rather than in every row.
    """
    return cache.remember(
        "news:bylines",
        lambda: tuple(
            Article.all_objects.exclude(author_name="")
            .order_by("author_name")
            .values_list("author_name", flat=True)
            .distinct()
        ),
    )


def newsroom_search(search_term):
    """Return what the newsroom's list searches for (search.NewsroomSearch), or None."""
    terms, byline = searched_for(search_term)
    if not terms:
        return None
    typed = byline.casefold()
    return search.NewsroomSearch(
        terms, tuple(name for name in bylines() if typed in name.casefold())
    )


class NewsroomPaginator(ArchivePaginator):
    """The article list's pages; a search's pages are read in the list's order from the
    search index (search.NewsroomSearch.newest_ids), never by sorting every match.

    found: (NewsroomSearch, the list before the search) from FoldedSearchMixin.
    """

    LIST_ORDER = ["-published_at", "-pk"]

    def __init__(self, *args, found=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = found

    def page(self, number):
        ordering = list(self.object_list.query.order_by)
        if self.found is None or ordering != self.LIST_ORDER:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        searched, unsearched = self.found
        ids = searched.newest_ids(unsearched, bottom, top)
        # The rows of the page alone: the list before the search, as the list reads it.
        rows = unsearched.filter(pk__in=ids).order_by(*ordering)
        related = self.object_list.query.select_related
        if related:
            rows = rows.select_related(*_related_names(related))
        return self._get_page(rows, number, self)


def _related_names(related, prefix=""):
    if related is True:
        return []
    names = []
    for name, deeper in related.items():
        names.append(prefix + name)
        names += _related_names(deeper, f"{prefix}{name}__")
    return names


def photo_count(**conditions):
    photos = Photo.objects.filter(article=OuterRef("pk"), **conditions).order_by()
    counted = photos.values("article").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted), 0)


# What a changelist address carries besides its filters (the search among them, read on
# its own): the page, the ordering, facets, "show all", the pop-up flags.
NOT_FILTERS = {*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG}


def count_key(request):
    """Name what the article changelist counts: its filters and search, and whose articles.

    Not the page or the ordering, which leave the count as it is, and not the SQL,
    which holds the moment of the request when a stage is chosen.
    """
    filters = sorted(
        (name, tuple(values)) for name, values in request.GET.lists() if name not in NOT_FILTERS
    )
    words = searched_for(request.GET.get(SEARCH_VAR, ""))
    mine = StageFilter.MINE in request.GET.getlist(StageFilter.parameter_name)
    whose = request.user.pk if mine or not sees_everyones_articles(request.user) else None
    return f"admin:news.article:{filters!r}:{words!r}:{whose}"


@admin.register(Article)
class ArticleAdmin(
    FoldedSearchMixin,
    PublishingCalendarMixin,
    PendingDraftAdminMixin,
    RevisionsAdminMixin,
    WorkflowAdminMixin,
    VietnameseSlugAdmin,
):
    form = ArticleAdminForm
    change_list_template = "admin/news/article/change_list.html"
    list_display = [
        "title",
        "state",
        "published_at",
        "category",
        "author",
        "photo_count",
        "featured_mark",
    ]
    list_filter = [
        StageFilter,
        "category",
        "featured",
        ("published_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["category", "created_by"]
    # Searched through the public search's index: see FoldedSearchMixin.
    search_fields = ["title", "lead", "body", "author_name"]
    date_hierarchy = "published_at"
    # Fast at any size: no count of the unfiltered list, the filtered count remembered,
    # deep pages fetched by key (core.pagination), the date hierarchy bounded
    # (newsroom.bounded_date_hierarchy).
    show_full_result_count = False
    list_per_page = 50
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["creator", "created_at", "last_editor", "updated_at"]
    # Only publishers decide when and whether an article is on the site and on top.
    publisher_fields = ["published_at", "expires_at", "featured"]
    inlines = [PhotoInline]
    actions = ["submit_selected", "approve_selected", "publish_selected", "archive_selected"]
    actions += ["trash_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "author_name"]}),
        (_("On Google, Facebook and Zalo"), {"fields": ["share_preview"]}),
        (_("Publication"), {"fields": ["category", "published_at", "expires_at", "featured"]}),
        (
            _("History"),
            {
                "fields": ["creator", "created_at", "last_editor", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/css/news.css"]}
        js = ["admin/js/article_form.js"]

    # --- who sees and changes what: the workflow decides -------------------------------

    revisions = revisions

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Subqueries, not a GROUP BY over every article: only the rows of
                # the page shown are counted.
                photo_total=photo_count(),
                photo_missing=photo_count(image__isnull=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "featured_mark", "body_html"]
        fields.append("share_preview")
        if not request.user.has_perm("news.publish_article"):
            fields += self.publisher_fields
        return fields

    def get_fieldsets(self, request, obj=None):
        """Show what a person may not change as readers will see it: the body rendered."""
        shown = {}
        if not request.user.has_perm("news.publish_article"):
            shown["featured"] = "featured_mark"
        if obj is not None and not self.has_change_permission(request, obj):
            shown["body"] = "body_html"
        return [
            (name, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("preview"))
    def share_preview(self, article):
        image = article.photos.with_file().first() if article.pk else None
        return render_to_string(
            "admin/news/article/share_preview.html",
            {
                "site_url": settings.SITE_URL.rstrip("/"),
                "path": article.get_absolute_url() if article.slug else "/tin-tuc/…/",
                "title": article.title,
                "description": article.lead,
                "image": image,
                "limits": SHARE_LIMITS,
                "warnings": share_warnings(article.title, article.lead, image),
            },
        )

    @admin.display(description=_("body"))
    def body_html(self, article):
        # Sanitised when it was saved (news.models.Article.save).
        return mark_safe(article.body)  # noqa: S308

    # --- list ---------------------------------------------------------------------------

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The count is remembered until the content changes (core.pagination).
        return NewsroomPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_key=count_key(request),
            found=getattr(request, "newsroom_search", None),
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The date hierarchy offers the periods of the list before the search: finding a
        # search's first and last matches would read every match.
        found = getattr(request, "newsroom_search", None)
        changelist.dated_queryset = found[1] if found else changelist.queryset
        if found and not changelist.multi_page and not changelist.show_all:
            # Django reads a list of one page without its paginator: a search's page is
            # still read from the search index.
            changelist.result_list = changelist.paginator.page(1).object_list
        return changelist

    def action_checkbox(self, obj):
        # Django's markup, written directly: rendering a form widget through the template
        # engine for each row was a third of the list's time.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=_("featured"), ordering="featured")
    def featured_mark(self, article):
        return yes_no(article.featured)

    @admin.display(description=_("photos"), ordering="photo_total")
    def photo_count(self, article):
        if article.photo_missing:
            return format_html(
                '{} <span title="{}">(⚠ {})</span>',
                article.photo_total,
                _("Photos without an image file"),
                article.photo_missing,
            )
        return article.photo_total

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            share_url=request.build_absolute_uri(obj.get_share_url()) if obj else "",
            share_days=SHARE_MAX_AGE.days,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("calendar/", view(self.calendar_view), name="news_article_calendar"),
            *self.revision_urls(),
            *self.pending_urls(),
            *super().get_urls(),
        ]


@admin.register(TrashedArticle)
class TrashedArticleAdmin(FoldedSearchMixin, TrashAdminMixin, admin.ModelAdmin):
    list_display = ["title", *TrashAdminMixin.list_display[1:]]
    search_fields = ["title"]
    # The read-only page each title links to: the article as it went into the trash.
    fields = ["title", "lead", "body_html", "author_name", "category", "published_at"]
    readonly_fields = ["body_html"]

    @admin.display(description=_("body"))
    def body_html(self, article):
        return mark_safe(article.body)  # noqa: S308  sanitised when it was saved
