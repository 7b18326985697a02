from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from photos import imaging
from photos.models import Image


class RawOutput:
    """Let tqdm redraw its line on a command's output, which otherwise ends every write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")

    def flush(self):
        self.wrapper.flush()


def is_current(image):
    """Return True if the image has the renditions the widths in use call for."""
    widths = [rendition["width"] for rendition in image.renditions]
    return bool(image.width) and widths == imaging.rendition_widths(image.width)


class Command(BaseCommand):
    help = (
        "Make the WebP and JPEG/PNG renditions of the library images that lack them "
        "(every image with --all). Running it again does nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Make every image's renditions again."
        )

    def handle(self, *args, all=False, **options):
        images = Image.objects.order_by("pk")
        todo = [image for image in images if all or not is_current(image)]
        failed = 0
        for image in tqdm(todo, desc="Renditions", unit="image", file=RawOutput(self.stderr)):
            try:
                with transaction.atomic():
                    image.rebuild_renditions()
            except (OSError, ValueError, ValidationError) as error:
                failed += 1
                self.stderr.write(f"{image.file.name}: {error}")
        done = len(todo) - failed
        summary = f"{done} image(s) given renditions, {len(images) - len(todo)} already had them."
        if failed:
            raise CommandError(f"{summary} {failed} image(s) could not be read.")
        self.stdout.write(summary)
