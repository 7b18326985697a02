"""The admin site of the portal: its header, and the accounts' pages."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from core.admin import WithoutLinkRowsMixin, yes_no


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
    list_display = ["username", "email", "first_name", "last_name", "staff"]

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, user):
        return yes_no(user.is_staff)


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
admin.site.unregister(User)
admin.site.register(User, UserAdmin)

# The mail queue's records are for operators (manage.py db_worker and its log), in English
# and with tracebacks: they stay out of the newsroom's admin.
admin.site.unregister(DBTaskResult)
