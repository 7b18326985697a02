"""Pillow's work on library images: clean originals and renditions, made once on save."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw

from photos import imaging
from tests.factories import image_upload, make_image

pytestmark = pytest.mark.django_db

GPS = 0x8825
ORIENTATION = 0x0112


def phone_photo(size=(1600, 1200), orientation=6):
    """Return a JPEG as a phone writes it: GPS position and a sideways orientation in EXIF.

    The left half is red, the right half blue, so a turn shows in the pixels.
    """
    image = PILImage.new("RGB", size, (0, 0, 255))
    ImageDraw.Draw(image).rectangle([(0, 0), (size[0] // 2, size[1])], fill=(255, 0, 0))
    exif = PILImage.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Máy ảnh điện thoại"  # camera make
    exif.get_ifd(GPS).update({1: "N", 2: (22.0, 8.0, 51.0), 3: "E", 4: (105.0, 50.0, 2.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return SimpleUploadedFile("Đêm hội.jpg", buffer.getvalue(), content_type="image/jpeg")


def opened(image, name):
    with image.file.storage.open(name) as file:
        return PILImage.open(io.BytesIO(file.read()))


def test_the_exif_orientation_is_applied_and_the_gps_position_dropped():
    image = make_image(phone_photo())
    # Stored upright: a 1600 × 1200 photo taken sideways is 1200 wide.
    assert (image.width, image.height) == (1200, 1600)
    for name in image.stored_names():
        stored = opened(image, name)
        exif = stored.getexif()
        assert GPS not in exif, name
        assert ORIENTATION not in exif, name
        assert not exif, name
        assert stored.width < stored.height, name
        # Turned a quarter clockwise, the red left half is now on top.
        top = stored.convert("RGB").getpixel((stored.width // 2, stored.height // 8))
        assert top[0] > 200 and top[2] < 60, (name, top)
    with image.file.storage.open(image.file.name) as file:
        assert b"GPS" not in file.read()


@pytest.mark.parametrize(
    ("width", "expected"),
    [(2000, [480, 800, 1200]), (1200, [480, 800, 1200]), (640, [480, 640]), (300, [300])],
)
def test_renditions_come_in_a_few_widths_never_wider_than_the_image(width, expected):
    image = make_image(image_upload("rong.jpg", size=(width, width // 2), image_format="JPEG"))
    assert [rendition["width"] for rendition in image.renditions] == expected
    for rendition in image.renditions:
        webp, fallback = opened(image, rendition["webp"]), opened(image, rendition["fallback"])
        assert (webp.format, fallback.format) == ("WEBP", "JPEG")
        assert webp.size == fallback.size == (rendition["width"], rendition["height"])
        assert rendition["height"] == rendition["width"] // 2


def test_a_transparent_image_falls_back_to_png():
    buffer = io.BytesIO()
    PILImage.new("RGBA", (900, 600), (0, 120, 0, 0)).save(buffer, format="PNG")
    image = make_image(SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert [r["width"] for r in image.renditions] == [480, 800, 900]
    assert {opened(image, r["fallback"]).format for r in image.renditions} == {"PNG"}
    assert opened(image, image.renditions[0]["webp"]).mode == "RGBA"


def test_an_animated_gif_keeps_its_frames():
    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    frames = [PILImage.new("RGB", (40, 30), colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=200)
    image = make_image(SimpleUploadedFile("dong.gif", buffer.getvalue()))
    assert image.file.name.endswith(".gif")
    assert opened(image, image.file.name).n_frames == 3


def test_a_file_is_stored_under_the_extension_of_its_real_format():
    image = make_image(image_upload("that-ra-la-png.jpg"))
    assert image.file.name.endswith(".png")
    assert opened(image, image.file.name).format == "PNG"


def test_rendition_names_follow_the_original():
    assert imaging.rendition_name("photos/2026/11/anh-dep-1a2b3c4d.jpg", 480, "webp") == (
        "renditions/photos/2026/11/anh-dep-1a2b3c4d-480.webp"
    )


def test_a_photo_larger_than_the_decoding_limit_is_decoded_and_kept_reduced(monkeypatch):
    # The same rule as a 39.9 MP camera photo against the 16 MP limit, at a test's size: the
    # decoder scales it down by the smallest power of two that fits, and a sideways photo
    # is still turned upright.
    monkeypatch.setattr(imaging, "MAX_DECODED_PIXELS", 400_000)
    image = make_image(phone_photo(size=(1600, 1000), orientation=6))
    assert (image.width, image.height) == (500, 800)
    assert opened(image, image.file.name).size == (500, 800)
    assert [rendition["width"] for rendition in image.renditions] == [480, 500]
    # Smaller photos, and other formats, are decoded whole.
    assert make_image(phone_photo(size=(800, 500), orientation=1)).width == 800
    png = make_image(image_upload("ban-do.png", size=(1600, 1000), image_format="PNG"))
    assert png.width == 1600
