from datetime import timedelta

from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from news.models import Article, Category

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


class ArticleListView(PublishedArticleMixin, ListView):
    paginate_by = PAGE_SIZE


class CategoryDetailView(PublishedArticleMixin, ListView):
    paginate_by = PAGE_SIZE
    template_name = "news/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


def article_page_context(article):
    """Return what the article page shows besides the article; previews reuse it."""
    return {
        "body_parts": article.body_with_photos(article.photos.with_file()),
        "other_articles": (
            Article.objects.published().for_listing().exclude(pk=article.pk)[:OTHER_NEWS]
        ),
    }


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(article_page_context(self.object))
        return context


# Preview: the article page as readers would see it, for staff (through the
# admin) and for whoever holds a signed share link.
SHARE_SALT = "news.article-share"
SHARE_MAX_AGE = timedelta(days=7)


def share_url(article):
    """Return a link that shows this one article, read-only, for SHARE_MAX_AGE."""
    token = signing.dumps(article.pk, salt=SHARE_SALT)
    return reverse("news:article-share", kwargs={"token": token})


def private_page(response):
    """Keep a preview out of search engines and caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def render_preview(request, article):
    context = {"article": article, "object": article, "preview": True}
    context.update(article_page_context(article))
    return private_page(render(request, "news/article_detail.html", context))


@require_safe
def shared_preview(request, token):
    try:
        article_pk = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
    except signing.SignatureExpired:
        reason = "expired"
    except signing.BadSignature:
        reason = "invalid"
    else:
        article = get_object_or_404(Article.objects.select_related("category"), pk=article_pk)
        return render_preview(request, article)
    response = render(request, "news/preview_invalid.html", {"reason": reason}, status=403)
    return private_page(response)
