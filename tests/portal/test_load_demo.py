"""load_demo's placeholder photos: library images, made once."""

import pytest
from django.core.management import call_command

from news.models import Photo
from photos.models import Image

pytestmark = pytest.mark.django_db


def test_placeholder_photos_go_into_the_library_once(capsys):
    call_command("load_demo")
    call_command("load_demo")
    capsys.readouterr()
    photos = list(Photo.objects.select_related("image"))
    assert len(photos) == 2
    assert Image.objects.count() == len(photos)
    for photo in photos:
        image = photo.image
        assert image.caption == photo.caption
        assert image.credit == photo.credit == "dữ liệu mẫu, ảnh minh hoạ tạo tự động"
        assert image.file.name.isascii()
        assert [rendition["width"] for rendition in image.renditions] == [480, 800, 1200]
