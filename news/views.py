from django.shortcuts import get_object_or_404
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


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["body_parts"] = article.body_with_photos(article.photos.with_file())
        context["other_articles"] = (
            Article.objects.published().for_listing().exclude(pk=article.pk)[:OTHER_NEWS]
        )
        return context
