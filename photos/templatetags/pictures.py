"""{% picture %} and {% thumbnail %}: a library image (or a photo placing one) as a <picture>."""

from django import template

register = template.Library()

# A card's thumbnail: a quarter of the page on a wide screen, under half of a phone's.
THUMBNAIL_SIZES = "(min-width: 48rem) 14rem, 40vw"


def srcset(sources, key):
    return ", ".join(f"{source[key]} {source['width']}w" for source in sources)


@register.inclusion_tag("photos/picture.html")
def picture(image, sizes="100vw", loading="lazy", alt=None):
    """Render <picture> with WebP and JPEG/PNG srcsets from the renditions made on save.

    `image` is a photos.Image, a photos.Picture, or anything with the same url, width,
    height, alt and sources() (a news Photo). Nothing is resized here: an image without
    renditions yet is shown as its original. `loading="eager"` is for the one image
    above the fold; every other image loads lazily. The srcsets are worked out here, as
    text, and the template places them: a list draws dozens of pictures.
    """
    sources = [source if isinstance(source, dict) else vars(source) for source in image.sources()]
    largest = sources[-1] if sources else None
    return {
        "url": largest["fallback_url"] if largest else image.url,
        "width": largest["width"] if largest else image.width,
        "height": largest["height"] if largest else image.height,
        "webp_srcset": srcset(sources, "webp_url"),
        "fallback_srcset": srcset(sources, "fallback_url"),
        "sizes": sizes,
        "alt": image.alt if alt is None else alt,
        "eager": loading == "eager",
    }


@register.inclusion_tag("photos/picture.html")
def thumbnail(photo, eager=False):
    """Render a list card's photo; `eager` only for the first card above the fold."""
    return picture(photo, sizes=THUMBNAIL_SIZES, loading="eager" if eager else "lazy")
