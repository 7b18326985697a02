from django.contrib import admin
from django.db import models
from django.db.models.functions import Concat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.names import staff_name
from core.validators import ImageUploadField
from photos import usage
from photos.models import Image


class UsageFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", _("Placed in articles")), ("no", _("Not placed in any article"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(use_count__gt=0)
        if self.value() == "no":
            return queryset.filter(use_count=0)
        return queryset


class UploaderFilter(admin.SimpleListFilter):
    title = _("uploaded by")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My uploads"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(uploaded_by=request.user)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The photo library: every image uploaded, from the photo rows and from CKEditor."""

    list_display = ["thumbnail", "title", "credit", "uploader", "uploaded_at", "usage"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [UploaderFilter, UsageFilter, ("uploaded_at", admin.DateFieldListFilter)]
    list_select_related = ["uploaded_by"]
    list_per_page = 30
    # Searched through get_search_results (accent-insensitive); needed for autocomplete.
    search_fields = ["search_text"]
    search_help_text = _("Caption, alternative text, credit or file name, with or without accents.")
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    add_fields = ["file", "caption", "alt_text", "credit"]
    change_fields = [
        "preview",
        "caption",
        "alt_text",
        "credit",
        "details",
        "uploader",
        "uploaded_at",
        "used_in",
    ]

    class Media:
        css = {"all": ["photos/css/library.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_usage()

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def get_fields(self, request, obj=None):
        return self.change_fields if obj else self.add_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = ["preview", "details", "uploader", "uploaded_at", "used_in"]
        if not self.has_change_permission(request, obj):
            fields += ["caption", "alt_text", "credit"]
        return fields

    # Everyone sees what visible_to() gives them; only its uploader or an editor changes an image.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        # An image shown in an article's body is in use as much as one in its photo rows.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for use in usage.uses():
                protected.extend(use.protecting(image))
        return deleted, counts, perms_needed, protected

    # --- columns and read-only fields ------------------------------------------------------

    @admin.display(description=_("preview"))
    def thumbnail(self, image):
        return format_html(
            '<img class="library-thumb" src="{}" alt="" loading="lazy">', image.thumbnail_url
        )

    @admin.display(description=_("caption"), ordering="caption")
    def title(self, image):
        return image.caption or image.original_name or "—"

    @admin.display(
        description=_("uploaded by"),
        ordering=Concat("uploaded_by__last_name", "uploaded_by__first_name"),
    )
    def uploader(self, image):
        return staff_name(image.uploaded_by, nobody="—")

    @admin.display(description=_("in articles"), ordering="use_count")
    def usage(self, image):
        return image.use_count or "—"

    @admin.display(description=_("image"))
    def preview(self, image):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img class="library-preview" src="{}" '
            'alt="{}"></a>',
            image.file.url,
            image.url,
            image.alt,
        )

    @admin.display(description=_("file"))
    def details(self, image):
        return format_html(
            "{} · {} × {} px · {}",
            image.original_name or image.file.name,
            image.width,
            image.height,
            ngettext("%(count)d rendition", "%(count)d renditions", len(image.renditions))
            % {"count": len(image.renditions)},
        )

    @admin.display(description=_("used in"))
    def used_in(self, image):
        places = [place for use in usage.uses() for place in use.places(image)]
        if not places:
            return _("Not used in any article yet.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{1}">{0}</a></li>', places),
        )
