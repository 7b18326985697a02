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
        from django.db.models.signals import post_migrate

        from core import cache, database, redirects, statistics, workflow

        cache.connect_signals()
        # Each table of an address model records its former slugs by a trigger.
        post_migrate.connect(
            redirects.install_triggers, sender=self, dispatch_uid="core.redirects.triggers"
        )
        # Every workflowed model declares its permissions and step model, or start-up says so.
        checks.register(workflow.check_models)
        if any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
            database.install()
        connection_created.connect(statistics.watch, dispatch_uid="core.statistics.watch")
        for connection in connections.all(initialized_only=True):
            statistics.watch(connection)
