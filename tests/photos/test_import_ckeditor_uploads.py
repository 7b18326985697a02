"""manage.py import_ckeditor_uploads: django-ckeditor's loose uploads into the library."""

import io

import pytest
from django.core.management import CommandError, call_command

from photos.models import Image
from tests.factories import IMAGES_DIR, image_bytes

pytestmark = pytest.mark.django_db


def put(settings, name, content):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ckeditor_uploads", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_old_uploads_join_the_library_in_place_and_hostile_files_are_reported(settings):
    put(
        settings,
        "uploads/2025/03/01/hoi-nghi.jpg",
        image_bytes(size=(900, 600), image_format="JPEG"),
    )
    put(settings, "uploads/2025/03/01/hoi-nghi_thumb.jpg", image_bytes(image_format="JPEG"))
    put(settings, "uploads/2025/03/02/poly.html", (IMAGES_DIR / "poly.gif").read_bytes())
    put(settings, "uploads/2025/03/02/ghi-chu.txt", b"not an image")

    out, err, failure = run("--dry-run")
    assert "Would import: uploads/2025/03/01/hoi-nghi.jpg" in out
    assert Image.objects.count() == 0

    out, err, failure = run()
    image = Image.objects.get()
    # Left where it is, since article bodies link to it; renditions made beside it.
    assert image.file.name == "uploads/2025/03/01/hoi-nghi.jpg"
    assert (image.width, image.height) == (900, 600)
    assert [rendition["width"] for rendition in image.renditions] == [480, 800, 900]
    assert "Not imported: uploads/2025/03/02/poly.html: a GIF file under this name" in err
    assert "Not imported: uploads/2025/03/02/ghi-chu.txt" in err
    assert failure.startswith("1 image(s) imported, 2 file(s) left alone.")

    out, err, failure = run()
    assert Image.objects.count() == 1
    assert failure.startswith("0 image(s) imported, 2 file(s) left alone.")


def test_nothing_to_import(settings):
    out, _, failure = run()
    assert failure is None
    assert out.strip() == "No folder uploads/: nothing to import."
