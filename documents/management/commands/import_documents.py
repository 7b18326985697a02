from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from core import workflow
from documents import tasks
from documents.importing import BadRows, import_row, read_folder


class Command(BaseCommand):
    help = (
        "Import documents from FOLDER/documents.csv and the files it names: publish them "
        "and read their text (OCR included). Nothing is written if any row is bad; a "
        "document with the same number, issuing body and date is updated, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="FOLDER")
        parser.add_argument(
            "--status",
            choices=["published", "draft"],
            default="published",
            help="Publish the new documents (default) or leave them as drafts.",
        )
        parser.add_argument(
            "--no-extract",
            action="store_true",
            help="Queue the reading of the files for the task worker instead of waiting for it.",
        )

    def handle(self, *args, folder, status, no_extract, **options):
        try:
            rows = read_folder(folder)
        except OSError as error:
            raise CommandError(f"{folder}: cannot read documents.csv: {error}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{folder}/documents.csv is not UTF-8: {error}") from None
        except BadRows as error:
            for problem in error.args[0]:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing was imported: {len(error.args[0])} bad rows in {folder}/documents.csv."
            ) from None
        show = options["verbosity"] > 0
        to_read, counts = [], {"created": 0, "updated": 0}
        with transaction.atomic():
            for row in tqdm(rows, desc="Importing", unit="document", disable=not show):
                document, new_file, created = import_row(row, workflow.SYSTEM)
                counts["created" if created else "updated"] += 1
                if new_file is not None:
                    to_read.append(new_file.pk)
                if status == "published" and workflow.is_allowed(
                    workflow.SYSTEM, document, workflow.Action.PUBLISH
                ):
                    workflow.perform(document, workflow.Action.PUBLISH, workflow.SYSTEM)
        if no_extract:
            for pk in to_read:
                tasks.read_file.enqueue(pk)
        else:
            for pk in tqdm(to_read, desc="Reading files", unit="file", disable=not show):
                tasks.read_now(pk)
        if show:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {counts['created']} new and {counts['updated']} updated documents; "
                    f"{len(to_read)} files {'queued' if no_extract else 'read'}."
                )
            )
