from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Supported communes")

    def ready(self):
        from communes.models import Commune
        from news.models import register_subject_link

        # News about the same commune are related news of each other.
        register_subject_link(Commune._meta.get_field("articles"))
