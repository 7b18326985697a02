from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from news import search
from news.models import Article
from portal import cache

CHUNK = 500
SEARCH_COLUMNS = ["search_title", "search_lead", "search_body"]


class Command(BaseCommand):
    help = (
        "Fold every article's title, lead and body again into the search columns and rebuild "
        "the database's search index: after bulk inserts or SQL that bypassed save(). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, no_progress=False, **options):
        articles = Article.all_objects.order_by("pk")
        changed = 0
        with transaction.atomic():
            rows = articles.values_list("pk", "title", "lead", "body", *SEARCH_COLUMNS)
            progress = tqdm(
                total=articles.count(),
                unit=" articles",
                disable=no_progress,
                mininterval=1,
                file=self.stderr._out,
            )
            batch = []
            for pk, title, lead, body, *stored in rows.iterator(chunk_size=CHUNK):
                fields = search.index_fields(title, lead, body)
                if [fields[name] for name in SEARCH_COLUMNS] != stored:
                    batch.append(Article(pk=pk, **fields))
                if len(batch) >= CHUNK:
                    changed += self.write(batch)
                progress.update()
            changed += self.write(batch)
            progress.close()
            search.rebuild_sqlite_index()
            # Bulk writes send no signals: search pages stored before are stale now.
            cache.content_changed()
        self.stdout.write(
            f"{changed} article{'' if changed == 1 else 's'} refolded; the search index is rebuilt."
        )

    def write(self, batch):
        # No save(): refolding is not an edit, so no new version or revision.
        count = len(batch)
        if batch:
            Article.all_objects.bulk_update(batch, SEARCH_COLUMNS)
            batch.clear()
        return count
