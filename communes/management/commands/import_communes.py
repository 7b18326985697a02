from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.csv_format import BadRowsError, read_rows
from communes.importing import import_rows
from communes.spreadsheets import read_table

KINDS = ["program", "province", "district", "commune", "support"]


class Command(BaseCommand):
    help = (
        "Create or update districts, communes and supported communes from a CSV or Excel "
        "(.xlsx) file (the format export_communes writes). Nothing is written if any row "
        "is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv|FILE.xlsx")
        parser.add_argument(
            "--year", type=int, help="Import only the rows of this year; skip the others."
        )
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="Remove the supported communes of the file's years that it does not list.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    # The command's own words are English; the rows' problems are in the portal's language,
    # as the admin's import shows them, with dates day first.
    def handle(self, *args, file, year, remove_missing, dry_run, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file: {error}") from None
        try:
            programs, supports = read_rows(read_table(data, file), year=year)
            if year is not None and not programs:
                raise CommandError(f"{file}: no rows for {year}.")
            with transaction.atomic():
                counts = import_rows(programs, supports, remove_missing=remove_missing).counts
                if dry_run:
                    transaction.set_rollback(True)
        except BadRowsError as error:
            for message in error.errors:
                self.stderr.write(f"{file}: {message}")
            raise CommandError(
                f"{file}: {len(error.errors)} bad row(s); nothing was imported."
            ) from None

        lines = []
        for kind in KINDS:
            done = {
                outcome: counts.get((kind, outcome), 0)
                for outcome in ["created", "updated", "unchanged", "removed"]
            }
            line = (
                f"{kind}s: {done['created']} created, {done['updated']} updated, "
                f"{done['unchanged']} unchanged"
            )
            if done["removed"]:
                line += f", {done['removed']} removed"
            lines.append(line)
        prefix = "Dry run, nothing written. Would have: " if dry_run else "Imported. "
        self.stdout.write(self.style.SUCCESS(prefix + "; ".join(lines) + "."))
