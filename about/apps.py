from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AboutConfig(AppConfig):
    name = "about"
    verbose_name = _("About the union")

    def ready(self):
        from about.identity import next_identity_change
        from core.cache import register_scheduled_change

        # Pages show the identity of the day: they change when the next one begins.
        register_scheduled_change(next_identity_change)
