from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from django.core import checks

        from core import cache, workflow

        cache.connect_signals()
        # Every workflowed model declares its permissions and step model, or start-up says so.
        checks.register(workflow.check_models)
