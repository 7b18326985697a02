"""The admin site of the portal: its header, and the accounts' pages with the staff form."""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Concat
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from core.admin import WithoutLinkRowsMixin, yes_no
from core.names import staff_name
from portal.forms import StaffAccountForm


def _site_header():
    from about.identity import current_identity

    return gettext("%(name)s portal") % {"name": current_identity().name}


# Read at each page, so that a change of the union's name shows at once.
admin.site.site_header = lazy(_site_header, str)()
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content management")
# The index and the breadcrumbs lead everywhere; at 1366 px the lists and the
# photo table need the width the navigation sidebar would take.
admin.site.enable_nav_sidebar = False


# Django stores each permission's name in English when it migrates ("Can add unit"); the
# admin words it from the model's own translated names instead.
ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def permission_name(permission):
    """Return "<app> | <what the permission allows>" in the language being shown."""
    model = permission.content_type.model_class()
    if model is None:  # a model since removed: its row outlives it
        return permission.name
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    declared = dict(opts.permissions)
    if permission.codename in declared:
        what = declared[permission.codename]
    elif action in ACTIONS and model_name == opts.model_name:
        what = ACTIONS[action] % {"thing": opts.verbose_name}
    else:
        what = gettext(permission.name)
    return f"{opts.app_config.verbose_name} | {what}"


class PermissionNamesMixin:
    """Offer the permissions of the apps the admin shows, named in Vietnamese.

    Libraries whose models the admin leaves out (login attempts, the mail queue,
    revisions) have permissions too, which would give nobody anything, in English.
    """

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.related_model is Permission:
            shown = {model._meta.app_label for model in self.admin_site._registry}
            queryset = kwargs.get("queryset", Permission.objects)
            kwargs["queryset"] = queryset.filter(content_type__app_label__in=shown).select_related(
                "content_type"
            )
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = permission_name
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class GroupAdmin(WithoutLinkRowsMixin, PermissionNamesMixin, auth_admin.GroupAdmin):
    pass


class UserAdmin(WithoutLinkRowsMixin, PermissionNamesMixin, auth_admin.UserAdmin):
    list_display = ["username", "name", "email", "roles", "staff"]
    # What a leader, who may see the accounts but not change them, is shown of one.
    view_fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("active", "staff", "superuser", "groups", "own_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.view_fieldsets
        return super().get_fieldsets(request, obj)

    @admin.display(description=_("active"))
    def active(self, user):
        return yes_no(user.is_active)

    @admin.display(description=_("superuser status"))
    def superuser(self, user):
        return yes_no(user.is_superuser)

    @admin.display(description=_("user permissions"))
    def own_permissions(self, user):
        permissions = user.user_permissions.select_related("content_type")
        return ", ".join(permission_name(permission) for permission in permissions) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("name"), ordering=Concat("last_name", "first_name"))
    def name(self, user):
        return staff_name(user, nobody="—")

    @admin.display(description=_("role"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "—"

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, user):
        return yes_no(user.is_staff)

    def get_urls(self):
        view = self.admin_site.admin_view(self.add_staff_view)
        return [
            path("them-can-bo/", view, name="auth_user_add_staff"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # Django's own form (a username and a password) is for superusers; others add
        # staff members with a name, an e-mail address and a role.
        if not request.user.is_superuser:
            return HttpResponseRedirect(reverse("admin:auth_user_add_staff"))
        return super().add_view(request, form_url, extra_context)

    def add_staff_view(self, request):
        """Add a staff member in a role; they get an e-mail to choose their password."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffAccountForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = form.save()
            self.message_user(
                request,
                _(
                    "%(name)s can now log in as %(role)s: an e-mail to choose a password "
                    "was sent to %(email)s."
                )
                % {
                    "name": staff_name(user),
                    "role": form.cleaned_data["role"],
                    "email": user.email,
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Add a staff member"),
            "form": form,
            "roles_url": reverse("admin-roles"),
        }
        return TemplateResponse(request, "admin/auth/user/add_staff.html", context)


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
admin.site.unregister(User)
admin.site.register(User, UserAdmin)

# The mail queue's records are for operators (manage.py db_worker and its log), in English
# and with tracebacks: they stay out of the newsroom's admin.
admin.site.unregister(DBTaskResult)
