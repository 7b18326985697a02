"""The portal's admin site: Django's, with a "view on site" redirect that keeps drafts private.

Django's redirect (`/admin/r/<content type>/<id>/`, contenttypes' shortcut view) sends any
staff member to the public address of any object, a draft's slug (its title) included.
Here it answers only for an object the user may see in its admin, and only when readers
may open it: each model with `get_absolute_url()` says so with `is_public()` (a model
that says nothing is never redirected to).
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.urls import path


def is_public(obj):
    """Return True if readers may open obj at its get_absolute_url() now."""
    declared = getattr(obj, "is_public", None)
    return callable(declared) and declared() is True


class PortalAdminSite(admin.AdminSite):
    def get_urls(self):
        own = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            own if getattr(pattern, "name", None) == "view_on_site" else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the public page of an object the user may see, if it is public."""
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not hasattr(model, "get_absolute_url"):
            raise Http404
        # The admin's own lookup: its queryset for this user, a malformed id found nowhere.
        obj = model_admin.get_object(request, object_id)
        # The same answer whatever the reason, so that a draft's existence is not told.
        if (
            obj is None
            or not model_admin.has_view_or_change_permission(request, obj)
            or not is_public(obj)
        ):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())
