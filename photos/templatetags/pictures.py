"""{% picture %}: a library image (or a photo placing one) as a responsive <picture>."""

from django import template

register = template.Library()


@register.inclusion_tag("photos/picture.html")
def picture(image, sizes="100vw", loading="lazy", alt=None):
    """Render <picture> with WebP and JPEG/PNG srcsets from the renditions made on save.

    `image` is a photos.Image or anything with the same url, width, height, alt
    and sources() (a news Photo). Nothing is resized here: an image without
    renditions yet is shown as its original. `loading="eager"` is for the one
    image above the fold; every other image loads lazily.
    """
    sources = image.sources()
    largest = sources[-1] if sources else None
    return {
        "src": largest["fallback_url"] if largest else image.url,
        "width": largest["width"] if largest else image.width,
        "height": largest["height"] if largest else image.height,
        "alt": image.alt if alt is None else alt,
        "sizes": sizes,
        "loading": "eager" if loading == "eager" else "lazy",
        "webp_srcset": ", ".join(f"{source['webp_url']} {source['width']}w" for source in sources),
        "fallback_srcset": ", ".join(
            f"{source['fallback_url']} {source['width']}w" for source in sources
        ),
    }
