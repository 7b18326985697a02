"""What pages outside {% picture %} need to know of a photo: its address, size and type.

Social cards, structured data and feed enclosures show one file: the largest
rendition (made when the image was saved), or the original where there is none.
"""

import contextlib
import mimetypes


def photo_meta(photo, request=None, with_length=False):
    """Return {"url", "width", "height", "type", "alt"} of a photo's image, and "length".

    url is absolute when a request is given; length (in bytes, asked with with_length,
    which opens the file's storage) is None if the file is missing.
    """
    image = photo.image
    if image.renditions:
        largest = image.renditions[-1]
        name, width, height = largest["fallback"], largest["width"], largest["height"]
    else:
        name, width, height = image.file.name, image.width, image.height
    url = image.file.storage.url(name)
    length = None
    if with_length:
        with contextlib.suppress(OSError):
            length = image.file.storage.size(name)
    return {
        "url": request.build_absolute_uri(url) if request is not None else url,
        "width": width,
        "height": height,
        "type": mimetypes.guess_type(name)[0] or "image/jpeg",
        "length": length,
        "alt": photo.alt,
    }
