from django.core.management.base import BaseCommand
from django.db import transaction
from reversion.models import Revision, Version

from news.models import TRASH_DAYS, Article
from photos.models import Image


class Command(BaseCommand):
    help = (
        f"Delete for good the articles that have been in the trash for {TRASH_DAYS} days. "
        "Their photos' images stay in the photo library."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            expired = list(Article.all_objects.purgeable().order_by("deleted_at"))
            for article in expired:
                self.stdout.write(f"{'Would delete' if dry_run else 'Deleting'}: {article.title}")
            pks = [article.pk for article in expired]
            # The images go on living in the library, where they may be reused or deleted.
            freed = Image.objects.filter(placements__article__in=pks).exclude(
                placements__article__in=Article.all_objects.exclude(pk__in=pks)
            )
            freed_count = freed.distinct().count()
            if not dry_run:
                # The article's history goes too, with the photo versions it holds.
                revisions = Version.objects.get_for_model(Article).filter(
                    object_id__in=[str(pk) for pk in pks]
                )
                Revision.objects.filter(pk__in=revisions.values("revision_id")).delete()
                Article.all_objects.filter(pk__in=pks).delete()
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(expired)} article(s) {verb}.")
        if freed_count:
            self.stdout.write(
                f"{freed_count} library image(s) {'would be' if dry_run else 'are'} no longer "
                "placed in any article; they stay in the photo library (filter “not placed in "
                "any article”), where an editor may reuse or delete them."
            )
