from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from django.conf import settings
        from django.core import checks
        from django.db import connections
        from django.db.backends.signals import connection_created

        from core import cache, database, statistics, workflow

        cache.connect_signals()
        # Every workflowed model declares its permissions and step model, or start-up says so.
        checks.register(workflow.check_models)
        if any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
            database.install()
        connection_created.connect(statistics.watch, dispatch_uid="core.statistics.watch")
        for connection in connections.all(initialized_only=True):
            statistics.watch(connection)
