from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news.models import Article, Category, Photo

# Django's slug helper turns "đ" into "dj" and drops other Vietnamese letters;
# this script folds the title the way portal.text.slugify_vi does first.
VIETNAMESE_SLUG_JS = ["admin/js/urlify.js", "admin/js/vietnamese_urlify.js"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = VIETNAMESE_SLUG_JS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 1
    fields = ["thumbnail", "image", "caption", "alt_text", "credit", "position", "order"]
    readonly_fields = ["thumbnail"]

    @admin.display(description=_("preview"))
    def thumbnail(self, photo):
        if photo.image:
            return format_html('<img class="photo-thumb" src="{}" alt="">', photo.image.url)
        if photo.pk:
            return format_html(
                '<strong class="photo-missing">⚠ {}</strong>', _("No image file: attach it")
            )
        return "—"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "published_at",
        "category",
        "photo_count",
        "featured",
    ]
    list_filter = ["status", "category", "featured", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "author_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [PhotoInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "author_name"]}),
        (
            _("Publication"),
            {"fields": ["category", "status", "published_at", "featured"]},
        ),
        (
            _("History"),
            {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        js = VIETNAMESE_SLUG_JS
        css = {"all": ["admin/css/news.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                photo_total=Count("photos"),
                photo_missing=Count("photos", filter=Q(photos__image="")),
            )
        )

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

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
