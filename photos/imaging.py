"""Pillow work on library images: a clean original, and renditions in a few widths.

Everything here runs when an image is saved (or by `manage.py rebuild_renditions`),
never on a reader's request. Files are first checked by core.validators, which
reads only their header. Memory is bounded: a JPEG larger than MAX_DECODED_PIXELS is
decoded at a half, a quarter or an eighth of its size by the decoder itself, and a
process works on one image at a time, always in the same thread (`in_image_thread()`).
"""

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from core.validators import IMAGE_FORMATS, read_image_header

# Widths of the renditions; an image narrower than one is never enlarged to it.
RENDITION_WIDTHS = (480, 800, 1200)
# A JPEG with more pixels is decoded reduced (and kept so as the original): 16 MP holds a
# phone's 12 MP photo whole, and a 40 MP camera's at 10 MP, still eight times the pixels
# of the widest rendition. Decoded whole, a 40 MP photo took a worker from 102 to 400 MB
# (tests/bench/upload_memory.py; docs/benchmarks.md has the figures).
MAX_DECODED_PIXELS = 16_000_000
# Image work runs in one thread per process: a worker holds one decoded photo at a time,
# not one per request thread, and the memory freed after each is reused by the next
# (the C allocator keeps an arena per thread that does such work).
_image_thread = None


def _start_image_thread():
    global _image_thread
    _image_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="images")


_start_image_thread()
# A process forked from this one (a gunicorn worker) gets a thread of its own.
os.register_at_fork(after_in_child=_start_image_thread)
RENDITIONS_DIR = "renditions"
JPEG_OPTIONS = {"quality": 85, "progressive": True, "optimize": True, "comment": b""}
WEBP_OPTIONS = {"quality": 80, "method": 4}
# Originals are kept at a higher quality: they are the library's master copy.
ORIGINAL_OPTIONS = {
    "JPEG": {**JPEG_OPTIONS, "quality": 92, "optimize": False},
    "PNG": {"optimize": False},
    "WEBP": {**WEBP_OPTIONS, "quality": 92},
    "GIF": {"comment": b""},
}


@dataclass
class PreparedImage:
    """An upload decoded once: its clean re-encoded bytes and the pixels renditions start from."""

    content: bytes
    extension: str
    width: int
    height: int
    pixels: Image.Image  # first frame, upright, RGB or RGBA


def in_image_thread(function, *args):
    """Return function(*args), run after this process's other image work, in its thread."""
    return _image_thread.submit(function, *args).result()


def decode_reduced(image):
    """Have the JPEG decoder scale a photo over MAX_DECODED_PIXELS down by 2, 4 or 8.

    The decoder works at the smaller size (Pillow's draft mode), so the full-size pixels
    are never in memory; other formats are decoded whole (they are rarely that large).
    """
    if image.format != "JPEG":
        return
    width, height = image.size
    scale = 1
    while scale < 8 and (width // scale) * (height // scale) > MAX_DECODED_PIXELS:
        scale *= 2
    if scale > 1:
        image.draft(image.mode, (width // scale, height // scale))


def has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info


def upright(image):
    """Return the first frame turned by its EXIF orientation, as RGB or RGBA.

    Of the metadata only the colour profile stays (in `info`), and only where
    it still describes the pixels.
    """
    image.seek(0)
    icc_profile = image.info.get("icc_profile") if image.mode in {"RGB", "RGBA", "P"} else None
    # In place, and converted only when needed: a 40 MP photo is 120 MB in memory per copy.
    ImageOps.exif_transpose(image, in_place=True)
    mode = "RGBA" if has_alpha(image) else "RGB"
    clean = image if image.mode == mode else image.convert(mode)
    clean.info = {"icc_profile": icc_profile} if icc_profile else {}
    return clean


def prepare(file):
    """Decode an upload once and re-encode it in its own format, without metadata.

    Re-encoding drops whatever rides along with the pixels: EXIF (GPS position,
    camera serial numbers), comments, and anything appended after the image
    data, such as a script in a GIF/HTML polyglot.
    """
    header = read_image_header(file)
    file.seek(0)
    with Image.open(file, formats=[header.format]) as image:
        decode_reduced(image)
        buffer = io.BytesIO()
        if header.frames > 1:
            # Animations keep their frames; GIF and WebP frames carry no EXIF.
            options = ORIGINAL_OPTIONS[header.format]
            image.save(buffer, format=header.format, save_all=True, **options)
            pixels = upright(image)
        else:
            pixels = upright(image)
            options = {**ORIGINAL_OPTIONS[header.format], **pixels.info}
            # Pillow turns RGBA into a palette with a transparent colour for GIF itself.
            encodable = pixels
            if header.format == "JPEG" and pixels.mode != "RGB":
                encodable = pixels.convert("RGB")
            encodable.save(buffer, format=header.format, **options)
    return PreparedImage(buffer.getvalue(), header.extension, *pixels.size, pixels=pixels)


def rendition_widths(width):
    """Return the widths to make for an image this wide: never wider than the image itself."""
    widths = [candidate for candidate in RENDITION_WIDTHS if candidate < width]
    largest = min(width, RENDITION_WIDTHS[-1])
    return widths if largest in widths else [*widths, largest]


def rendition_name(original_name, width, extension):
    """Return where a rendition of a stored original goes: renditions/<its path>-<width>.<ext>."""
    path = PurePosixPath(original_name)
    return str(PurePosixPath(RENDITIONS_DIR, path.parent, f"{path.stem}-{width}.{extension}"))


def encode(image, image_format):
    buffer = io.BytesIO()
    options = WEBP_OPTIONS if image_format == "WEBP" else JPEG_OPTIONS
    if image_format == "PNG":
        options = {"optimize": True}
    image.save(buffer, format=image_format, **options, **image.info)
    return buffer.getvalue()


def make_renditions(pixels, original_name, storage):
    """Store WebP and JPEG (PNG where transparent) renditions; return their descriptions.

    Each description is {"width", "height", "webp", "fallback"}, the last two
    being storage names; existing files of the same names are replaced.
    """
    fallback_format = "PNG" if pixels.mode == "RGBA" else "JPEG"
    renditions = []
    source = pixels
    # Widest first, each made from the one before: resizing a 40 MP original once is enough.
    for width in reversed(rendition_widths(pixels.width)):
        height = max(1, round(pixels.height * width / pixels.width))
        if width != source.width:
            # reducing_gap shrinks by whole factors first: much faster, as sharp to the eye.
            source = source.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        files = {}
        for key, image_format in (("webp", "WEBP"), ("fallback", fallback_format)):
            name = rendition_name(original_name, width, IMAGE_FORMATS[image_format])
            if storage.exists(name):
                storage.delete(name)
            files[key] = storage.save(name, ContentFile(encode(source, image_format)))
        renditions.insert(0, {"width": width, "height": height, **files})
    return renditions


def open_stored(file):
    """Return the upright pixels of a stored original, for rebuilding its renditions."""
    file.open("rb")
    try:
        with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
            decode_reduced(image)
            return upright(image)
    finally:
        file.close()
