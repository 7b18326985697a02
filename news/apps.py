from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from news.roles import sync_roles

    sync_roles()


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        # Keep the groups' permissions in step with the code after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="news.sync_roles")
