from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from core import cache, redirects, workflow

        cache.connect_signals()
        # Each table of an address model records its former slugs by a trigger.
        post_migrate.connect(
            redirects.install_triggers, sender=self, dispatch_uid="core.redirects.triggers"
        )
        # Every workflowed model declares its permissions and step model, or start-up says so.
        checks.register(workflow.check_models)
