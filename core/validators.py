"""Validation of uploaded images, shared by every model and view that stores photos.

Everything here reads the file's size and header only: an image is refused for
its size, its real format or its pixel count before Pillow decodes any pixel,
so a small file claiming 40,000 × 40,000 pixels costs nothing.
"""

import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
# Pillow's format names, with the extension a file of that format is stored under.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

validate_image_extension = FileExtensionValidator(
    IMAGE_EXTENSIONS,
    message=_("Only JPEG, PNG, WebP or GIF images can be uploaded (this file is “%(extension)s”)."),
)


@dataclass(frozen=True)
class ImageHeader:
    format: str  # a key of IMAGE_FORMATS
    width: int
    height: int
    frames: int

    @property
    def extension(self):
        return IMAGE_FORMATS[self.format]


def too_many_pixels():
    return ValidationError(
        _("The image has more than 40 megapixels. Please resize it."),
        code="image_too_many_pixels",
    )


def read_image_header(file):
    """Return the ImageHeader of an uploaded file, or raise a ValidationError saying why not.

    Only the four web formats are tried (Pillow's other readers never see the
    file), and only the header is read: no pixel is decoded here.
    """
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than 10 MB. Please upload a smaller file."),
            code="image_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 megapixels; refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                header = ImageHeader(
                    image.format, *image.size, frames=getattr(image, "n_frames", 1)
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            _("The file is not a JPEG, PNG, WebP or GIF image, or it is damaged."),
            code="invalid_image",
        ) from error
    finally:
        file.seek(position)
    # An animation is decoded frame by frame: every frame counts.
    if header.width * header.height * header.frames > MAX_IMAGE_PIXELS:
        raise too_many_pixels()
    return header


@deconstructible
class ImageLimitsValidator:
    """Refuse files over 10 MB or 40 megapixels, or that are not JPEG, PNG, WebP or GIF."""

    def __call__(self, file):
        if getattr(file, "_committed", False):
            return  # Already in storage: it was checked when it was uploaded.
        read_image_header(file)

    def __eq__(self, other):
        return isinstance(other, ImageLimitsValidator)


validate_image_limits = ImageLimitsValidator()


class ImageUploadField(forms.ImageField):
    """An image form field that checks size, format and pixels before Pillow decodes the file."""

    default_validators = [validate_image_extension]

    def to_python(self, data):
        if data in self.empty_values:
            return None
        read_image_header(data)
        return super().to_python(data)
