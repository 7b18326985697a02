from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from news.roles import sync_roles

    sync_roles()


def _repair_search_index(sender, using="default", **kwargs):
    from news.search import repair_after_migrate

    repair_after_migrate(using)


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        # Keep the groups' permissions in step with the code after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="news.sync_roles")
        # Altering the articles' table on SQLite drops the search index's triggers.
        post_migrate.connect(
            _repair_search_index, sender=self, dispatch_uid="news.repair_search_index"
        )
