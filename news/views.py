import datetime

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, MonthArchiveView, TemplateView

from core import cache
from core import search as site_search
from core.crawlers import not_for_crawlers
from core.pagination import PAGE_SIZE, ArchivePaginationMixin
from core.preview import StaffPreviewMixin, private_page
from news import pending, search
from news.forms import SearchForm
from news.models import Article, Category, shown_subjects, subject_links
from news.photos import photo_meta

HOME_LATEST = 10
HOME_FEATURED = 4
HOME_SECTION = 4
OTHER_NEWS = 6
RELATED_NEWS = 4
# What the search page shows of each other source (documents…) before a link to the rest.
OTHER_RESULTS = 5
# The newest articles remembered for every page: the home page's latest news and its
# category sections are drawn from them, and article pages take their other news from
# the first of them. Of a category, enough for an article's related news.
NEWEST = 60
NEWEST_OF_CATEGORY = RELATED_NEWS + 1


class PublishedArticleMixin:
    """Show only what readers may see, with what list pages need (cover photos included)."""

    def get_queryset(self):
        return Article.objects.cards()


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recent = newest_articles()
        sections = {}
        for article in recent:
            if article.category_id:
                section = sections.setdefault(article.category_id, [])
                if len(section) < HOME_SECTION:
                    section.append(article)
        featured = Article.objects.cards().filter(featured=True)[:HOME_FEATURED]
        categories = list(Category.objects.all())
        context.update(
            # The menu's categories too, so the page loads them once.
            nav_categories=categories,
            featured_articles=list(featured),
            latest_articles=recent[:HOME_LATEST],
            category_sections=[
                (category, sections[category.pk])
                for category in categories
                if category.pk in sections
            ],
        )
        return context


class ArticleListView(ArchivePaginationMixin, PublishedArticleMixin, ListView):
    pass


class CategoryDetailView(ArchivePaginationMixin, PublishedArticleMixin, ListView):
    template_name = "news/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleMonthView(PublishedArticleMixin, MonthArchiveView):
    """/tin-tuc/<year>/<month>/: a month's news, by Vietnam's calendar."""

    date_field = "published_at"
    month_format = "%m"
    allow_empty = True
    paginate_by = PAGE_SIZE
    template_name = "news/article_archive_month.html"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The page shows no list of days: spare the query.
        return []


def newest_articles(category_id=None):
    """Return the newest published articles, of one category if given, with their covers.

    Every article page shows some of them, and the home page its latest news and category
    sections, so they are read once per content version (core.cache.remember: exact,
    not timed) and shared by all these pages.
    """

    def newest():
        articles = Article.objects.cards()
        if category_id is not None:
            articles = articles.filter(category=category_id)[:NEWEST_OF_CATEGORY]
        else:
            articles = articles[:NEWEST]
        return tuple(article.as_card() for article in articles)

    return cache.remember(f"news:newest:{category_id}", newest)


def related_articles(article):
    """Return published articles of the same category or about the same subjects, newest first.

    Subjects are what other apps link articles to (communes: news.models.subject_links).
    Most articles are linked to none: theirs are their category's newest.
    """
    if not article.linked_to_subjects:
        same_category = newest_articles(article.category_id) if article.category_id else []
        return [other for other in same_category if other.pk != article.pk][:RELATED_NEWS]
    condition = Q(pk__in=[])
    for link in subject_links():
        condition |= Q(pk__in=link.related(article.pk))
    if article.category_id:
        condition |= Q(category=article.category_id)
    return list(Article.objects.cards().filter(condition).exclude(pk=article.pk)[:RELATED_NEWS])


def other_articles(article, related):
    """Return the newest published articles, apart from this one and its related news."""
    shown = {article.pk, *(other.pk for other in related)}
    return [other for other in newest_articles() if other.pk not in shown][:OTHER_NEWS]


# How wide the article's images are drawn: its column, or the phone's width less margins.
ARTICLE_IMAGE_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"


class ArticleDetailView(DetailView):
    """The article as readers see it. Previews are this page with other rows."""

    model = Article
    preview = False

    def get_queryset(self):
        return self.rows(Article.objects.published())

    def rows(self, articles):
        return articles.for_reading()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        photos = self.photos_of(article)
        article.covers = photos[:1]
        related = related_articles(article)
        cover = article.cover_photo
        context.update(
            preview=self.preview,
            body_parts=article.body_with_photos(photos, ARTICLE_IMAGE_SIZES),
            image_sizes=ARTICLE_IMAGE_SIZES,
            cover_photo=cover,
            cover_image=photo_meta(cover, self.request) if cover else None,
            related_articles=related,
            other_articles=other_articles(article, related),
            subjects=shown_subjects(article),
        )
        return context

    def photos_of(self, article):
        """Return the article's photos that have a file, in reading order."""
        return list(article.photos.with_file())


class PendingDraftMixin:
    """Show a live article with its pending draft (news.pending), as it would be published."""

    def get_object(self, queryset=None):
        return self.with_draft(super().get_object(queryset))

    def with_draft(self, article):
        article.shown_draft = pending.pending_draft(article)
        if article.shown_draft is not None:
            pending.apply_fields(article.shown_draft, article)
        return article

    def photos_of(self, article):
        if article.shown_draft is None:
            return super().photos_of(article)
        return [photo for photo in pending.placements(article.shown_draft) if photo.image_id]


class ArticlePreviewView(PendingDraftMixin, StaffPreviewMixin, ArticleDetailView):
    """Any article the staff member may see in the admin, drafts included."""


@method_decorator(not_for_crawlers, name="dispatch")
class SharedArticleView(PendingDraftMixin, ArticleDetailView):
    """The one article a signed share link names, for someone without an account."""

    preview = True
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        status = 403
        try:
            return super().get(request, *args, **kwargs)
        except signing.SignatureExpired:
            reason = "expired"
        except signing.BadSignature:
            reason = "invalid"
        except Article.DoesNotExist:
            reason, status = "withdrawn", 404
        response = render(request, "news/preview_invalid.html", {"reason": reason}, status=status)
        return private_page(response)

    def render_to_response(self, context, **response_kwargs):
        return private_page(super().render_to_response(context, **response_kwargs))

    def get_object(self, queryset=None):
        # Taken down or trashed: Article.DoesNotExist, answered above.
        return self.with_draft(Article.objects.for_reading().from_share_token(self.kwargs["token"]))


class SearchPage:
    """A page of search results, like Django's Page but without a full count.

    Search reads only as far as the page asked for, so the number of pages is known
    only when the results end before COUNT_LIMIT or on this page.
    """

    def __init__(self, number):
        number = str(number or "1")
        self.number = int(number) if number.isdigit() else 1
        self.number = min(max(self.number, 1), search.RESULT_LIMIT // PAGE_SIZE)
        self.object_list = []

    def paginate(self, found, limit):
        self.count = len(found)
        self.more = self.count >= limit
        start = (self.number - 1) * PAGE_SIZE
        self.ids = found[start : start + PAGE_SIZE]
        if not self.ids and found:
            # Past the last page: show the last one.
            self.number = (self.count - 1) // PAGE_SIZE + 1
            start = (self.number - 1) * PAGE_SIZE
            self.ids = found[start : start + PAGE_SIZE]
        self.next_start = start + PAGE_SIZE
        # Counted exactly: the pages are known; the template says "Page 2 of 5".
        self.paginator = None if self.more else Paginator(found[: search.RESULT_LIMIT], PAGE_SIZE)
        self.counted = self.count - 1 if self.more else self.count

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        fits = self.number < search.RESULT_LIMIT // PAGE_SIZE
        return fits and self.count > self.next_start

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


class SearchView(TemplateView):
    """/tim-kiem/?q=…: the published articles holding every word, best first."""

    template_name = "news/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = list(Category.objects.all())
        form = SearchForm(self.request.GET, categories=categories, years=self.years())
        form.is_valid()
        data = form.cleaned_data
        terms = search.query_terms(data.get("q", ""))
        articles = Article.objects.published()
        if data.get("category"):
            articles = articles.filter(category=data["category"])
        published_between = None
        if data.get("year"):
            start = datetime.datetime(data["year"], 1, 1, tzinfo=timezone.get_current_timezone())
            published_between = (start, start.replace(year=start.year + 1))
            articles = articles.filter(
                published_at__gte=published_between[0], published_at__lt=published_between[1]
            )
        page = SearchPage(self.request.GET.get("page"))
        # One more than the page shows tells whether another page follows.
        limit = max(page.number * PAGE_SIZE, search.COUNT_LIMIT) + 1
        found = search.find(articles, terms, limit, published_between) if terms else []
        page.paginate(found, limit)
        shown = (
            Article.objects.published()
            .select_related("category")
            .defer("search_title", "search_lead", "search_body")
            .with_cover()
            .in_bulk(page.ids)
        )
        page.object_list = [shown[pk] for pk in page.ids if pk in shown]
        for article in page.object_list:
            article.title_highlighted = search.highlight(article.title, terms)
            article.snippet = search.snippet(article, terms)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            # What other apps find (documents…), on the first page only: core.search.
            other_results=self.other_results(terms) if terms and page.number == 1 else [],
            nav_categories=categories,
            form=form,
            # The selects are drawn by the template: Django's widgets cost more than the search.
            selected_category=data["category"].slug if data.get("category") else "",
            selected_year=str(data["year"]) if data.get("year") else "",
            query=data.get("q", ""),
            terms=terms,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            article_list=page.object_list,
            page_query=params.urlencode(),
        )
        return context

    def other_results(self, terms):
        """Return [(source, hits, more)] of every registered source that finds something."""
        results = []
        for source in site_search.sources():
            hits = source.find(terms, OTHER_RESULTS + 1)
            if hits:
                query = self.request.GET.get("q", "")
                more = source.more_url(query) if len(hits) > OTHER_RESULTS else None
                results.append((source, hits[:OTHER_RESULTS], more))
        return results

    def years(self):
        """Return the years readers may filter on, newest first."""
        first = (
            Article.objects.published()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        this_year = timezone.localdate().year
        since = timezone.localtime(first).year if first else this_year
        return range(this_year, since - 1, -1)
