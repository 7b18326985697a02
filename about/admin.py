from django.contrib import admin
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from about.identity import current_identity
from about.models import Department, IntroPage, Officer, PortalIdentity, RelatedPortal
from core.admin import VietnameseSlugAdmin
from core.validators import ImageUploadField

IMAGE_UPLOADS = {models.ImageField: {"form_class": ImageUploadField}}


class RelatedPortalInline(admin.TabularInline):
    model = RelatedPortal
    extra = 1
    fields = ["name", "name_en", "url", "order"]


@admin.register(PortalIdentity)
class PortalIdentityAdmin(admin.ModelAdmin):
    """One record: the list goes straight to it, and it can be neither added twice nor deleted."""

    inlines = [RelatedPortalInline]
    formfield_overrides = IMAGE_UPLOADS
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

    def has_add_permission(self, request):
        # Asked on every admin page (the menu): the cached identity answers without a query.
        return super().has_add_permission(request) and current_identity().pk is None

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if PortalIdentity.objects.exists():
            url = reverse("admin:about_portalidentity_change", args=[PortalIdentity.IDENTITY_PK])
            return HttpResponseRedirect(url)
        if self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:about_portalidentity_add"))
        return super().changelist_view(request, extra_context)

    def response_post_save_change(self, request, obj):
        # Back to the record itself: there is no list to go back to.
        return HttpResponseRedirect(request.path)

    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(
            reverse("admin:about_portalidentity_change", args=[PortalIdentity.IDENTITY_PK])
        )


@admin.register(IntroPage)
class IntroPageAdmin(VietnameseSlugAdmin):
    list_display = ["title", "parent", "order", "is_visible", "has_english"]
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
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "is_leadership", "order", "phone", "email"]
    list_editable = ["order"]
    search_fields = ["name", "officers__name"]
    inlines = [OfficerInline]
    fields = [("name", "name_en"), "is_leadership", "order", ("phone", "email")]
