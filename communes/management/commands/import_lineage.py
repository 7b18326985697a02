from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.csv_format import BadRowsError
from communes.lineage_file import SHIPPED, read_file, write_arrangement

LEVELS = ["provinces", "districts", "communes", "links"]


class Command(BaseCommand):
    help = (
        "Create or complete provinces, districts, communes and the links between them from "
        "a reorganisation file (by default the 2025 arrangement of Bắc Kạn into Thái "
        "Nguyên, shipped with the portal). Nothing is written if any entry is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.json", nargs="?", default=str(SHIPPED))
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            arrangement = read_file(file)
            with transaction.atomic():
                counts = write_arrangement(arrangement)
                if dry_run:
                    transaction.set_rollback(True)
        except BadRowsError as error:
            for message in error.errors:
                self.stderr.write(f"{file}: {message}")
            raise CommandError(
                f"{file}: {len(error.errors)} problem(s); nothing was imported."
            ) from None
        lines = []
        for level in LEVELS:
            done = [
                counts.get((level, outcome), 0) for outcome in ["created", "updated", "unchanged"]
            ]
            lines.append(f"{level}: {done[0]} created, {done[1]} updated, {done[2]} unchanged")
        prefix = "Dry run, nothing written. Would have: " if dry_run else "Imported. "
        self.stdout.write(self.style.SUCCESS(prefix + "; ".join(lines) + "."))
