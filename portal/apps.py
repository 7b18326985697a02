from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from portal.roles import sync_roles

    sync_roles()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import checks  # noqa: F401 (registers the deploy check)

        # Keep the groups' permissions in step with the code after every migrate (sent per
        # app with models; the project has none, the newsroom's app is where roles begin).
        post_migrate.connect(
            _sync_roles, sender=apps.get_app_config("news"), dispatch_uid="portal.sync_roles"
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (portal/admin_site.py) as `admin.site`."""

    default = False  # the portal app's own configuration is PortalConfig
    default_site = "portal.admin_site.PortalAdminSite"
