"""manage.py rebuild_renditions: renditions for images that lack them, once."""

import io

import pytest
from django.core.management import CommandError, call_command

from photos.models import Image
from tests.factories import image_upload, make_image

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_images_without_renditions_get_them_once(settings):
    made = make_image(image_upload("rong.jpg", size=(1000, 500), image_format="JPEG"))
    expected = made.renditions
    storage = made.file.storage
    for name in made.stored_names() - {made.file.name}:
        storage.delete(name)
    Image.objects.filter(pk=made.pk).update(renditions=[], width=None, height=None)
    make_image()  # already has its renditions

    out, err = run()
    made.refresh_from_db()
    assert out.strip() == "1 image(s) given renditions, 1 already had them."
    assert "Renditions: 100%" in err  # the progress bar
    assert made.renditions == expected
    assert (made.width, made.height) == (1000, 500)
    assert all(storage.exists(name) for name in made.stored_names())

    out, _ = run()
    assert out.strip() == "0 image(s) given renditions, 2 already had them."


def test_all_makes_every_rendition_again_without_leaving_old_files():
    image = make_image()
    names = image.stored_names()
    out, _ = run("--all")
    image.refresh_from_db()
    assert out.strip() == "1 image(s) given renditions, 0 already had them."
    assert image.stored_names() == names
    assert all(image.file.storage.exists(name) for name in names)


def test_an_unreadable_original_is_reported_and_the_command_fails():
    image = make_image()
    image.file.storage.delete(image.file.name)
    with pytest.raises(CommandError, match="1 image\\(s\\) could not be read"):
        run("--all")
