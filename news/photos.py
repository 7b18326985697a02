"""What pages outside the photo include need to know of a photo: its address, size and type.

templates/includes/photo_img.html draws photos; this is the one other place that reads
the Photo's file, for social cards, structured data and feed enclosures.
"""

import contextlib
import mimetypes


def photo_meta(photo, request=None, with_length=False):
    """Return {"url", "width", "height", "type", "alt"} of a photo's image, and "length".

    url is absolute when a request is given; length (in bytes, asked with with_length,
    which opens the file's storage) is None if the file is missing.
    """
    url = photo.image.url
    length = None
    if with_length:
        with contextlib.suppress(OSError):
            length = photo.image.size
    return {
        "url": request.build_absolute_uri(url) if request is not None else url,
        "width": photo.width,
        "height": photo.height,
        "type": mimetypes.guess_type(photo.image.name)[0] or "image/jpeg",
        "length": length,
        "alt": photo.alt,
    }
