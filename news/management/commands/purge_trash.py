from django.core.management.base import BaseCommand
from django.db import transaction

from news.models import TRASH_DAYS, Article


class Command(BaseCommand):
    help = f"Delete for good the articles that have been in the trash for {TRASH_DAYS} days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            expired = list(Article.all_objects.purgeable().order_by("deleted_at"))
            for article in expired:
                self.stdout.write(f"{'Would delete' if dry_run else 'Deleting'}: {article.title}")
            if not dry_run:
                Article.all_objects.filter(pk__in=[article.pk for article in expired]).delete()
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(expired)} article(s) {verb}.")
