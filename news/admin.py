import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news import revisions, views, workflow
from news.forms import ArticleAdminForm, TransitionForm
from news.models import TRASH_DAYS, Article, Category, Photo
from portal.validators import ImageUploadField

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
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}

    @admin.display(description=_("preview"))
    def thumbnail(self, photo):
        if photo.image:
            return format_html('<img class="photo-thumb" src="{}" alt="">', photo.image.url)
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


def sees_every_article(user):
    """Editors and publishers work on everyone's articles; contributors on their own."""
    return user.has_perm("news.review_article") or user.has_perm("news.publish_article")


class WorkflowFilter(admin.SimpleListFilter):
    title = _("workflow")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", _("Waiting for review")),
            ("approved", _("Approved, waiting for publication")),
            ("scheduled", _("Scheduled")),
            ("live", _("On the site now")),
            ("expired", _("Expired")),
            ("mine", _("My articles")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "approved":
                return queryset.filter(status=Article.Status.REVIEW, approved_at__isnull=False)
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
            case "expired":
                return queryset.filter(
                    status=Article.Status.PUBLISHED, expires_at__lte=timezone.now()
                )
            case "mine":
                return queryset.filter(created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/news/article/change_form.html"
    change_list_template = "admin/news/article/change_list.html"
    list_display = [
        "title",
        "state",
        "published_at",
        "category",
        "created_by",
        "photo_count",
        "featured",
    ]
    list_filter = [
        WorkflowFilter,
        "status",
        "category",
        "featured",
        ("published_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["category", "created_by"]
    search_fields = ["title", "lead", "author_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_by", "created_at", "updated_by", "updated_at"]
    # Only publishers decide when and whether an article is on the site and on top.
    publisher_fields = ["published_at", "expires_at", "featured"]
    inlines = [PhotoInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "author_name"]}),
        (
            _("Publication"),
            {"fields": ["category", "status", "published_at", "expires_at", "featured"]},
        ),
        (
            _("History"),
            {
                "fields": ["created_by", "created_at", "updated_by", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        js = VIETNAMESE_SLUG_JS
        css = {"all": ["admin/css/news.css"]}

    # --- who sees and changes what -------------------------------------------------

    def get_queryset(self, request):
        # Article.objects leaves out the trash; the trash has its own page.
        queryset = Article.objects.annotate(
            photo_total=Count("photos"),
            photo_missing=Count("photos", filter=Q(photos__image="")),
        ).order_by(*(self.get_ordering(request) or Article._meta.ordering))
        if not sees_every_article(request.user):
            queryset = queryset.filter(created_by=request.user)
        return queryset

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("news.publish_article"):
            fields += self.publisher_fields
        return fields

    # --- list -------------------------------------------------------------------------

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        if article.is_scheduled:
            return format_html(
                "{} <small>({})</small>",
                _("Scheduled"),
                timezone.localtime(article.published_at).strftime("%H:%M %d/%m/%Y"),
            )
        if article.status == Article.Status.PUBLISHED and article.is_expired:
            return _("Expired")
        if article.status == Article.Status.REVIEW and article.approved_at:
            return _("Approved, waiting for publication")
        return article.get_status_display()

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

    # --- saving: revisions and the no-lost-edits check ----------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Saved in the admin"))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_view_permission(request, article):
            extra_context = {**(extra_context or {}), **self.workflow_context(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, article):
        return {
            "workflow_transitions": workflow.allowed_transitions(request.user, article),
            "workflow_timeline": article.transitions.select_related("user"),
            "share_url": request.build_absolute_uri(views.share_url(article)),
            "share_days": views.SHARE_MAX_AGE.days,
        }

    # --- trash instead of delete --------------------------------------------------------

    def delete_model(self, request, obj):
        obj.move_to_trash(request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article.move_to_trash(request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%(title)s” was moved to the trash; a publisher can restore it for %(days)s days.")
            % {"title": obj_display, "days": TRASH_DAYS},
        )
        return HttpResponseRedirect(reverse("admin:news_article_changelist"))

    def get_deleted_objects(self, objs, request):
        # Only the articles go to the trash; their photos stay with them.
        to_trash = [str(article) for article in objs]
        return to_trash, {Article._meta.verbose_name_plural: len(to_trash)}, set(), []

    # --- extra pages ------------------------------------------------------------------

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        info = "news_article"
        return [
            path("trash/", view(self.trash_view), name=f"{info}_trash"),
            path(
                "<path:object_id>/workflow/<str:action>/",
                view(self.transition_view),
                name=f"{info}_transition",
            ),
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{info}_preview"),
            path(
                "<path:object_id>/revisions/", view(self.revisions_view), name=f"{info}_revisions"
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name=f"{info}_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{info}_restore",
            ),
            path(
                "<path:object_id>/restore-from-trash/",
                view(self.untrash_view),
                name=f"{info}_untrash",
            ),
            *super().get_urls(),
        ]

    def viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def change_url(self, article):
        return reverse("admin:news_article_change", args=[article.pk])

    def page_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
        }

    def transition_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.viewable_article(request, object_id)
        if not workflow.is_allowed(request.user, article, action):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(self.change_url(article))
        try:
            workflow.perform(
                article,
                action,
                request.user,
                comment=form.cleaned_data["comment"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s”: %(action)s.")
                % {"title": article.title, "action": workflow.TRANSITIONS[action].label},
            )
        return HttpResponseRedirect(self.change_url(article))

    def preview_view(self, request, object_id):
        return views.render_preview(request, self.viewable_article(request, object_id))

    def revisions_view(self, request, object_id):
        article = self.viewable_article(request, object_id)
        context = self.page_context(request, article, _("Revisions of “%s”") % article)
        context.update(
            versions=revisions.versions_of(article),
            can_restore=self.has_change_permission(request, article),
        )
        return TemplateResponse(request, "admin/news/article/revisions.html", context)

    def compare_view(self, request, object_id):
        article = self.viewable_article(request, object_id)
        versions = revisions.versions_of(article)
        try:
            old = get_object_or_404(versions, pk=int(request.GET.get("old", "")))
            new = get_object_or_404(versions, pk=int(request.GET.get("new", "")))
        except ValueError:
            raise Http404 from None
        if old.pk > new.pk:
            old, new = new, old
        context = self.page_context(request, article, _("Changes in “%s”") % article)
        context.update(old=old, new=new, changes=revisions.compare(old, new))
        return TemplateResponse(request, "admin/news/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.viewable_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        revisions.restore(article, version, request.user)
        messages.success(request, _("The earlier version was restored as a new revision."))
        return HttpResponseRedirect(self.change_url(article))

    def trash_view(self, request):
        if not request.user.has_perm("news.view_article"):
            raise PermissionDenied
        trashed = Article.all_objects.trashed().select_related("deleted_by")
        if not sees_every_article(request.user):
            trashed = trashed.filter(created_by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Trash"),
            "articles": trashed.order_by("-deleted_at"),
            "can_restore": request.user.has_perm("news.publish_article"),
            "trash_days": TRASH_DAYS,
        }
        return TemplateResponse(request, "admin/news/article/trash.html", context)

    def untrash_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("news.publish_article"):
            raise PermissionDenied
        article = get_object_or_404(Article.all_objects.trashed(), pk=unquote(object_id))
        if not article.can_be_restored():
            messages.error(request, _("This article stayed in the trash too long to be restored."))
            return HttpResponseRedirect(reverse("admin:news_article_trash"))
        article.restore_from_trash(request.user)
        messages.success(request, _("“%s” was taken out of the trash.") % article)
        return HttpResponseRedirect(self.change_url(article))
