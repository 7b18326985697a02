from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.csv_format import FILE_ENCODING, BadRowsError, read_rows
from communes.importing import import_rows

KINDS = ["program", "province", "district", "commune", "support"]


class Command(BaseCommand):
    help = (
        "Create or update districts, communes and supported communes from a CSV file "
        "(the format export_communes writes). Nothing is written if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument(
            "--year", type=int, help="Import only the rows of this year; skip the others."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, file, year, dry_run, **options):
        try:
            # newline="": carriage returns inside cells are data, as the csv module expects.
            with open(file, encoding=FILE_ENCODING, newline="") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file: {error}") from None
        try:
            programs, supports = read_rows(text, year=year)
            if year is not None and not programs:
                raise CommandError(f"{file}: no rows for {year}.")
            with transaction.atomic():
                counts = import_rows(programs, supports)
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
                for outcome in ["created", "updated", "unchanged"]
            }
            lines.append(
                f"{kind}s: {done['created']} created, {done['updated']} updated, "
                f"{done['unchanged']} unchanged"
            )
        prefix = "Dry run, nothing written. Would have: " if dry_run else "Imported. "
        self.stdout.write(self.style.SUCCESS(prefix + "; ".join(lines) + "."))
