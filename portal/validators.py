"""Validation of uploaded images, shared by every model that stores photos."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]

validate_image_extension = FileExtensionValidator(
    IMAGE_EXTENSIONS,
    message=_("Only JPEG, PNG, WebP or GIF images can be uploaded (this file is “%(extension)s”)."),
)


@deconstructible
class ImageLimitsValidator:
    """Refuse files over 10 MB or 40 megapixels, or that are not real raster images."""

    def __call__(self, file):
        if getattr(file, "_committed", False):
            return  # Already in storage: it was checked when it was uploaded.
        if file.size > MAX_IMAGE_BYTES:
            raise ValidationError(
                _("The image is larger than 10 MB. Please upload a smaller file."),
                code="image_too_large",
            )
        position = file.tell() if hasattr(file, "tell") else 0
        try:
            file.seek(0)
            with Image.open(file) as image:
                width, height = image.size
        except (OSError, Image.DecompressionBombError, ValueError) as error:
            raise ValidationError(
                _("The file is not a valid image."), code="invalid_image"
            ) from error
        finally:
            file.seek(position)
        if width * height > MAX_IMAGE_PIXELS:
            raise ValidationError(
                _("The image has more than 40 megapixels. Please resize it."),
                code="image_too_many_pixels",
            )

    def __eq__(self, other):
        return isinstance(other, ImageLimitsValidator)


validate_image_limits = ImageLimitsValidator()


class ImageUploadField(forms.ImageField):
    """An image form field that checks extensions against the portal's own list."""

    default_validators = [validate_image_extension]
