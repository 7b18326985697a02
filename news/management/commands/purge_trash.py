from django.core.management.base import BaseCommand
from django.db import transaction
from reversion.models import Revision, Version

from news.models import TRASH_DAYS, Article, Photo


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
                pks = [article.pk for article in expired]
                photos = Photo.objects.filter(article__in=pks).exclude(image="")
                files = [(photo.image.storage, photo.image.name) for photo in photos]
                # The article's history goes too, with the photo versions it holds.
                revisions = Version.objects.get_for_model(Article).filter(
                    object_id__in=[str(pk) for pk in pks]
                )
                Revision.objects.filter(pk__in=revisions.values("revision_id")).delete()
                Article.all_objects.filter(pk__in=pks).delete()
                # Files go only once the rows are gone for good.
                transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(expired)} article(s) {verb}.")
