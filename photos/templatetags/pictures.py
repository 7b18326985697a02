"""{% picture %}: a library image (or a photo placing one) as a responsive <picture>."""

from html import escape

from django import template
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
    a template of its own, escaped by the standard library's html.escape (what
    Django's escape does, without its checks for lazy text).
    """
    sources = image.sources()
    alt = escape(image.alt if alt is None else alt)
    eager = loading == "eager"
    attributes = f'loading="{"eager" if eager else "lazy"}" decoding="async"'
    if eager:
        attributes += ' fetchpriority="high"'
    if not sources:
        size = f' width="{image.width}" height="{image.height}"' if image.width else ""
        return mark_safe(
            f'<picture><img src="{escape(image.url)}" alt="{alt}"{size} {attributes}></picture>'
        )
    sizes = escape(sizes)
    webp = escape(", ".join(f"{source['webp_url']} {source['width']}w" for source in sources))
    fallback = escape(
        ", ".join(f"{source['fallback_url']} {source['width']}w" for source in sources)
    )
    largest = sources[-1]
    return mark_safe(
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{escape(largest["fallback_url"])}" srcset="{fallback}" sizes="{sizes}"'
        f' alt="{alt}" width="{largest["width"]}" height="{largest["height"]}" {attributes}>'
        "</picture>"
    )


# A card's thumbnail: a quarter of the page on a wide screen, under half of a phone's.
THUMBNAIL_SIZES = "(min-width: 48rem) 14rem, 40vw"


@register.simple_tag
def thumbnail(photo, eager=False):
    """Render a list card's photo; `eager` only for the first card above the fold."""
    return picture(photo, sizes=THUMBNAIL_SIZES, loading="eager" if eager else "lazy")
