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
    alt = image.alt if alt is None else alt
    eager = loading == "eager"
    loading = "eager" if eager else "lazy"
    priority = mark_safe(' fetchpriority="high"') if eager else ""
    if not sources:
        return format_html(
            '<picture><img src="{}" alt="{}"{} loading="{}" decoding="async"{}></picture>',
            image.url,
            alt,
            format_html(' width="{}" height="{}"', image.width, image.height)
            if image.width
            else "",
            loading,
            priority,
        )
    largest = sources[-1]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" loading="{}"'
        ' decoding="async"{}></picture>',
        ", ".join(f"{source['webp_url']} {source['width']}w" for source in sources),
        sizes,
        largest["fallback_url"],
        ", ".join(f"{source['fallback_url']} {source['width']}w" for source in sources),
        sizes,
        alt,
        largest["width"],
        largest["height"],
        loading,
        priority,
    )


# A card's thumbnail: a quarter of the page on a wide screen, under half of a phone's.
THUMBNAIL_SIZES = "(min-width: 48rem) 14rem, 40vw"


@register.simple_tag
def thumbnail(photo, eager=False):
    """Render a list card's photo; `eager` only for the first card above the fold."""
    return picture(photo, sizes=THUMBNAIL_SIZES, loading="eager" if eager else "lazy")
