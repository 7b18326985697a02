import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.validators import read_image_header
from photos.models import Image


def stored_files(storage, folder):
    """Yield the names of every file under folder in storage."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield str(PurePosixPath(folder, name))
    for name in sorted(folders):
        yield from stored_files(storage, str(PurePosixPath(folder, name)))


def modified_time(storage, name):
    try:
        return storage.get_modified_time(name)
    except NotImplementedError:
        return timezone.now()


class Command(BaseCommand):
    help = (
        "Bring the images django-ckeditor's own uploader left under CKEDITOR_UPLOAD_PATH "
        "into the photo library, where they stay (article bodies link to them). Files that "
        "are not images are listed, not imported. Running it again imports nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would happen.")

    def handle(self, *args, dry_run=False, **options):
        storage, folder = default_storage, settings.CKEDITOR_UPLOAD_PATH.rstrip("/")
        if not storage.exists(folder):
            self.stdout.write(f"No folder {folder}/: nothing to import.")
            return
        known = set(Image.objects.values_list("file", flat=True))
        imported, refused = [], []
        for name in stored_files(storage, folder):
            if name in known or PurePosixPath(name).stem.endswith("_thumb"):
                continue  # in the library already, or django-ckeditor's own thumbnail
            try:
                with storage.open(name) as file:
                    header = read_image_header(file)
            except (OSError, ValidationError) as error:
                refused.append(name)
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.stderr.write(f"Not imported: {name}: {reason}")
                continue
            if PurePosixPath(name).suffix.lower().lstrip(".") not in {header.extension, "jpeg"}:
                refused.append(name)
                self.stderr.write(f"Not imported: {name}: a {header.format} file under this name")
                continue
            imported.append(name)
            self.stdout.write(f"{'Would import' if dry_run else 'Importing'}: {name}")
            if not dry_run:
                with transaction.atomic():
                    image = Image(
                        file=name,
                        width=header.width,
                        height=header.height,
                        original_name=unicodedata.normalize("NFC", PurePosixPath(name).name),
                        uploaded_at=modified_time(storage, name),
                    )
                    image.save()
                    image.rebuild_renditions()
        verb = "would be imported" if dry_run else "imported"
        summary = f"{len(imported)} image(s) {verb}, {len(refused)} file(s) left alone."
        if refused:
            raise CommandError(
                f"{summary} Check the files left alone and delete them if they are not yours."
            )
        self.stdout.write(summary)
