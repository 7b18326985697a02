"""Upload limits read from the file's size and header only, before any pixel is decoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from core.validators import ImageUploadField, read_image_header
from tests.factories import fixture_upload, image_upload, oversized_png


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(image):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def refusal(upload):
    with pytest.raises(ValidationError) as refused:
        read_image_header(upload)
    return refused.value.code


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("huge-header-40000.png", "image_too_many_pixels"),
        ("bomb-13300.png", "image_too_many_pixels"),
        ("page.jpg", "invalid_image"),
        ("script.svg", "invalid_image"),
    ],
)
def test_hostile_files_are_refused_from_their_header(no_decoding, fixture, code):
    assert refusal(fixture_upload(fixture)) == code


def test_a_file_over_10_mb_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: pytest.fail("opened"))
    upload = SimpleUploadedFile("lon.png", oversized_png())
    assert refusal(upload) == "image_too_large"


def test_formats_beyond_the_four_web_ones_are_never_parsed():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    assert refusal(SimpleUploadedFile("anh.bmp", buffer.getvalue())) == "invalid_image"


def test_every_frame_of_an_animation_counts():
    frames = [Image.new("L", (2000, 2000), shade) for shade in range(0, 250, 20)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert refusal(SimpleUploadedFile("dong.gif", buffer.getvalue())) == "image_too_many_pixels"


def test_a_good_image_reports_its_real_format_and_size():
    header = read_image_header(image_upload("anh.jpg", size=(80, 60)))
    assert (header.format, header.extension, header.width, header.height) == ("PNG", "png", 80, 60)


def test_the_form_field_gives_a_vietnamese_reason(no_decoding):
    with pytest.raises(ValidationError) as refused:
        ImageUploadField().clean(fixture_upload("huge-header-40000.png"))
    assert "40 megapixel" in refused.value.messages[0]
