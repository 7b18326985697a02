from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_search_index(sender, using="default", **kwargs):
    from documents.search import repair_after_migrate

    repair_after_migrate(using)


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from core import notifications, search, workflow
        from documents.models import Document
        from documents.views import search_source
        from news.models import register_subject_link

        # Moves of documents are told to the newsroom by e-mail, as articles' are.
        workflow.register_notifier(Document, notifications.after_transition)
        # The site's search page finds documents too.
        search.register(search_source())
        # A document's related news are shown on its page, and it on theirs.
        register_subject_link(Document._meta.get_field("articles"), shown=True)
        # Altering the documents' table on SQLite drops the search index's triggers.
        post_migrate.connect(
            _repair_search_index, sender=self, dispatch_uid="documents.repair_search_index"
        )
