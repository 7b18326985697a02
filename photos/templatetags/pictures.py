"""{% picture %}: a library image (or a photo placing one) as a responsive <picture>."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", loading="lazy", alt=None):
    """Render <picture> with WebP and JPEG/PNG srcsets from the renditions made on save.

    `image` is a photos.Image or anything with the same url, width, height, alt
    and sources() (a news Photo). Nothing is resized here: an image without
    renditions yet is shown as its original. `loading="eager"` is for the one
    image above the fold; every other image loads lazily.

    A list page draws dozens of these, so the markup is built here rather than by
    a template of its own.
    """
    sources = image.sources()
    if sources:
        largest = sources[-1]
        src, width, height = largest["fallback_url"], largest["width"], largest["height"]
    else:
        src, width, height = image.url, image.width, image.height
    webp = ", ".join(f"{source['webp_url']} {source['width']}w" for source in sources)
    fallback = ", ".join(f"{source['fallback_url']} {source['width']}w" for source in sources)
    eager = loading == "eager"
    return format_html(
        '<picture>{}<img src="{}"{} alt="{}"{} loading="{}" decoding="async"{}></picture>',
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', webp, sizes)
        if webp
        else "",
        src,
        format_html(' srcset="{}" sizes="{}"', fallback, sizes) if fallback else "",
        image.alt if alt is None else alt,
        format_html(' width="{}" height="{}"', width, height) if width else "",
        "eager" if eager else "lazy",
        mark_safe(' fetchpriority="high"') if eager else "",
    )


# A card's thumbnail: a quarter of the page on a wide screen, under half of a phone's.
THUMBNAIL_SIZES = "(min-width: 48rem) 14rem, 40vw"


@register.simple_tag
def thumbnail(photo, eager=False):
    """Render a list card's photo; `eager` only for the first card above the fold."""
    return picture(photo, sizes=THUMBNAIL_SIZES, loading="eager" if eager else "lazy")
