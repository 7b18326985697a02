from django.core.management.base import BaseCommand
from django.db import transaction

from news.models import Article
from portal import cache
from portal.richtext import sanitize_html


class Command(BaseCommand):
    help = (
        "Clean every stored article body again with the current sanitiser: after changing "
        "its allow-list, or for rows written without save() (bulk inserts, SQL). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the bodies that would change."
        )

    def handle(self, *args, dry_run=False, **options):
        changed = 0
        with transaction.atomic():
            rows = Article.all_objects.values_list("pk", "body").order_by("pk")
            for pk, body in rows.iterator(chunk_size=500):
                clean = sanitize_html(body)
                if clean != body:
                    changed += 1
                    if not dry_run:
                        # No save(): cleaning is not an edit, so no new version or revision.
                        Article.all_objects.filter(pk=pk).update(body=clean)
            if changed and not dry_run:
                cache.content_changed()
        verb = "would change" if dry_run else "cleaned"
        self.stdout.write(f"{changed} article bod{'y' if changed == 1 else 'ies'} {verb}.")
