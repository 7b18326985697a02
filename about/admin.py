from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from about.models import Department, IntroPage, Officer, PortalIdentity, RelatedPortal
from core.admin import VietnameseSlugAdmin
from core.validators import ImageUploadField
from core.widgets import ImagePreviewInput

# An uploaded logo or portrait is checked before it is decoded, and shown once it is stored.
IMAGE_UPLOADS = {models.ImageField: {"form_class": ImageUploadField, "widget": ImagePreviewInput}}
# Full names, addresses and the licence line run to a few hundred characters.
LONG_TEXT = 200


def last_changed(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y")


class TranslatedAdmin(admin.ModelAdmin):
    """The admin of an about.i18n.Translated model: it tells when the English is older.

    The change form warns, and the list's `english_older` column marks the rows.
    """

    @admin.display(description=_("English older than Vietnamese"))
    def english_older(self, row):
        if row.english_is_older():
            return _("last changed %(date)s") % {"date": last_changed(row.english_changed_at)}
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and obj.english_is_older():
            messages.warning(
                request,
                _("The English version is older than the Vietnamese one (last changed %(date)s).")
                % {"date": last_changed(obj.english_changed_at)},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class RelatedPortalInline(admin.TabularInline):
    model = RelatedPortal
    extra = 1
    fields = ["name", "name_en", "url", "order"]


@admin.register(PortalIdentity)
class PortalIdentityAdmin(TranslatedAdmin):
    """One record per identity the union has had; with only one, the list goes straight to it."""

    inlines = [RelatedPortalInline]
    formfield_overrides = IMAGE_UPLOADS
    list_display = ["__str__", "full_name", "valid_from", "formed_by_merger", "english_older"]
    fieldsets = [
        (
            _("Name"),
            {
                "fields": [
                    ("full_name", "full_name_en"),
                    ("short_name", "short_name_en"),
                    ("parent_organisation", "parent_organisation_en"),
                    "logo",
                ]
            },
        ),
        (_("Validity"), {"fields": ["valid_from", "formed_by_merger"]}),
        (
            _("Contact"),
            {"fields": [("address", "address_en"), "map_url", "phone", "email"]},
        ),
        (
            _("Responsibility and licence"),
            {"fields": ["content_responsible", ("licence", "licence_en")]},
        ),
        (
            _("Social pages"),
            {"fields": ["facebook_url", "zalo_url", "youtube_url", "tiktok_url"]},
        ),
    ]

    class Media:
        css = {"all": ["admin/css/identity.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # As wide as the admin's text areas: a full name or an address is seen whole.
        if isinstance(db_field, models.CharField) and db_field.max_length >= LONG_TEXT:
            field.widget.attrs["class"] = "vLargeTextField"
        return field

    def has_delete_permission(self, request, obj=None):
        # Identities that have begun are the history of published articles: only one
        # prepared for a later day may be deleted (and one at a time, not from the list).
        if obj is None or obj.valid_from is None or obj.valid_from <= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        records = list(PortalIdentity.objects.values_list("pk", flat=True)[:2])
        if len(records) == 1:
            return HttpResponseRedirect(
                reverse("admin:about_portalidentity_change", args=[records[0]])
            )
        if not records and self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:about_portalidentity_add"))
        return super().changelist_view(request, extra_context)

    def response_post_save_change(self, request, obj):
        # Back to the record itself: leaders check what the site will show.
        return HttpResponseRedirect(request.path)

    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(reverse("admin:about_portalidentity_change", args=[obj.pk]))


@admin.register(IntroPage)
class IntroPageAdmin(TranslatedAdmin, VietnameseSlugAdmin):
    list_display = ["title", "parent", "order", "is_visible", "has_english", "english_older"]
    list_editable = ["order", "is_visible"]
    list_select_related = ["parent"]
    list_filter = ["is_visible", "parent"]
    search_fields = ["title", "title_en"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "order", "is_visible", "body"]}),
        (_("Directory"), {"fields": ["shows_directory"]}),
        (_("English version"), {"fields": ["title_en", "body_en"]}),
    ]

    @admin.display(description=_("English version"), boolean=True)
    def has_english(self, page):
        return bool(page.title_en and page.body_en)


class OfficerInline(admin.StackedInline):
    model = Officer
    extra = 1
    formfield_overrides = IMAGE_UPLOADS
    fields = [("name", "order"), ("position", "position_en"), ("phone", "email"), "photo"]


@admin.register(Department)
class DepartmentAdmin(TranslatedAdmin):
    list_display = ["name", "is_leadership", "order", "phone", "email", "english_older"]
    list_editable = ["order"]
    search_fields = ["name", "officers__name"]
    inlines = [OfficerInline]
    fields = [("name", "name_en"), "is_leadership", "order", ("phone", "email")]
