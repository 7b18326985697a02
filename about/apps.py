from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AboutConfig(AppConfig):
    name = "about"
    verbose_name = _("About the union")

    def ready(self):
        from about import identity  # noqa: F401  (connects the cache's signal handlers)
