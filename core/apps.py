from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from django.conf import settings

        from core import cache, database

        cache.connect_signals()
        if any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
            database.install()
