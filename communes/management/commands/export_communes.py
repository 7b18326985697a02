from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.csv_format import FILE_ENCODING, export_text
from communes.models import SupportProgram


class Command(BaseCommand):
    help = "Write a year's supported communes as CSV, the format import_communes reads."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The program's year (default: every program).")
        parser.add_argument(
            "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, year, output, **options):
        if year is not None and not SupportProgram.objects.filter(year=year).exists():
            raise CommandError(f"No support program for {year}.")
        text = export_text(year)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding=FILE_ENCODING, newline="")
        except OSError as error:
            raise CommandError(f"{output}: cannot write the file: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
