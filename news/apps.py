from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_search_index(sender, using="default", **kwargs):
    from news.search import repair_after_migrate

    repair_after_migrate(using)


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from core import notifications, workflow
        from core.cache import register_scheduled_change
        from news.models import Article, next_change
        from news.photos import ArticleImages
        from photos import usage

        # The photo library asks news where its images are used.
        usage.register(ArticleImages())
        # Moves of articles are told to the newsroom by e-mail.
        workflow.register_notifier(Article, notifications.after_transition)
        # Scheduled articles appear, and expiring ones leave, without a write.
        register_scheduled_change(next_change)
        # Altering the articles' table on SQLite drops the search index's triggers.
        post_migrate.connect(
            _repair_search_index, sender=self, dispatch_uid="news.repair_search_index"
        )
