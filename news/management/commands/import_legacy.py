import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import formats, timezone

from core import workflow
from news.legacy import LegacyFormatError, parse_file
from news.models import Article, Category, Photo


class Command(BaseCommand):
    help = "Import articles from the old portal's text export (one article per file)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
            help="Status of the new articles (default: draft).",
        )
        parser.add_argument("--category", metavar="SLUG", help="Slug of the articles' category.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created, write nothing."
        )

    def handle(self, *args, files, status, category, dry_run, **options):
        category_obj = None
        if category:
            try:
                category_obj = Category.objects.get(slug=category)
            except Category.DoesNotExist:
                raise CommandError(f"No category with slug {category!r}.") from None

        counts = {"created": 0, "skipped": 0, "failed": 0}
        # Keys met in this run, so a dry run counts a file given twice as a real run would.
        self.seen_keys = set()
        for path in files:
            try:
                outcome = self.import_file(path, status, category_obj, dry_run)
            except (LegacyFormatError, OSError) as error:
                counts["failed"] += 1
                self.stderr.write(self.style.ERROR(f"Error: {error}"))
                continue
            counts[outcome] += 1

        verb = "Would create" if dry_run else "Created"
        summary = (
            f"{verb} {counts['created']}, skipped {counts['skipped']} already imported, "
            f"failed {counts['failed']}."
        )
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def import_file(self, path, status, category, dry_run):
        legacy = parse_file(path)
        date = formats.date_format(timezone.localtime(legacy.published_at), "SHORT_DATE_FORMAT")
        description = (
            f"{legacy.title} ({date}, {len(legacy.paragraphs)} paragraphs, "
            f"{len(legacy.photos)} photo captions, byline {legacy.byline or '-'!r})"
        )
        if (
            legacy.key in self.seen_keys
            or Article.all_objects.filter(legacy_key=legacy.key).exists()
        ):
            self.stdout.write(f"Skipped {path}: already imported: {legacy.title}")
            return "skipped"
        self.seen_keys.add(legacy.key)
        if dry_run:
            self.stdout.write(f"Would create from {path}: {description}")
            for photo in legacy.photos:
                self.stdout.write(
                    f"  photo after paragraph {photo.position} (line {photo.line}): {photo.caption}"
                )
            return "created"
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment(f"Imported from the old portal: {path}")
            article = Article.objects.create(
                title=legacy.title,
                lead=legacy.lead,
                body=legacy.body_html,
                author_name=legacy.byline,
                category=category,
                published_at=legacy.published_at,
                legacy_key=legacy.key,
            )
            Photo.objects.bulk_create(
                Photo(article=article, caption=photo.caption, position=photo.position, order=index)
                for index, photo in enumerate(legacy.photos)
            )
            # Again now that the photos exist, so the revision holds their captions.
            reversion.add_to_revision(article)
            if status == Article.Status.PUBLISHED:
                workflow.perform(
                    article, workflow.Action.PUBLISH, workflow.SYSTEM, at=legacy.published_at
                )
        self.stdout.write(f"Created from {path}: {description}")
        return "created"
