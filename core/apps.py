from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from core import cache, statistics

        cache.connect_signals()
        connection_created.connect(statistics.watch, dispatch_uid="core.statistics.watch")
        for connection in connections.all(initialized_only=True):
            statistics.watch(connection)
