from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from news.models import Article, Category
from portal.pagination import ArchivePaginator

PAGE_SIZE = 12
HOME_LATEST = 10
HOME_FEATURED = 4
OTHER_NEWS = 6


class PublishedArticleMixin:
    """Show only what readers may see, with what list pages need in one query."""

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticleMixin, ListView):
    template_name = "news/home.html"
    context_object_name = "latest_articles"

    def get_queryset(self):
        return super().get_queryset()[:HOME_LATEST]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured_articles"] = list(
            super().get_queryset().filter(featured=True)[:HOME_FEATURED]
        )
        return context


class ArchivePaginationMixin:
    """Page through the archive at a cost that does not grow with it (portal.pagination)."""

    paginate_by = PAGE_SIZE
    paginator_class = ArchivePaginator

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, count_key=self.count_key(), **kwargs)

    def count_key(self):
        return self.request.path


class ArticleListView(ArchivePaginationMixin, PublishedArticleMixin, ListView):
    pass


class CategoryDetailView(ArchivePaginationMixin, PublishedArticleMixin, ListView):
    template_name = "news/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleDetailView(DetailView):
    """The article as readers see it. Previews are this page with another get_object()."""

    preview = False

    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context.update(
            preview=self.preview,
            body_parts=article.body_with_photos(article.photos.with_file()),
            other_articles=(
                Article.objects.published().for_listing().exclude(pk=article.pk)[:OTHER_NEWS]
            ),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            private_page(response)
        return response


def private_page(response):
    """Keep a preview out of search engines and caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """Any article the staff member may see in the admin, drafts included."""

    preview = True

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).select_related("category")


class SharedArticleView(ArticleDetailView):
    """The one article a signed share link names, for someone without an account."""

    preview = True
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except signing.SignatureExpired:
            reason = "expired"
        except signing.BadSignature:
            reason = "invalid"
        response = render(request, "news/preview_invalid.html", {"reason": reason}, status=403)
        return private_page(response)

    def get_object(self, queryset=None):
        articles = Article.objects.select_related("category")
        try:
            return articles.from_share_token(self.kwargs["token"])
        except Article.DoesNotExist:
            raise Http404 from None
