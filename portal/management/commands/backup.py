from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive with a consistent dump of the database and every media file, "
        "with a manifest of versions and SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the archive to write (.tar.gz)")

    def handle(self, *args, output, **options):
        try:
            manifest = create_backup(output)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database and "
            f"{len(manifest['files']) - 1} media files ({size / 1e6:.1f} MB) to {output}."
        )
