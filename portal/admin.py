"""The admin site of the portal: its header, and the accounts' pages with the staff form."""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
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


class GroupAdmin(WithoutLinkRowsMixin, auth_admin.GroupAdmin):
    pass


class UserAdmin(WithoutLinkRowsMixin, auth_admin.UserAdmin):
    list_display = ["username", "name", "email", "roles", "staff"]

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
