"""Library images placed inside rich text (CKEditor's image button), served as renditions.

Stored text names each library image twice: `data-image` holds the image's id, the one
reference that never changes, and `src` its largest rendition as it is today (what feeds,
the API and the editor show). `link_images()` writes both whenever the text is saved, from
either of them, so that an image put in by address (a pasted link to the library, an
older body) is linked too and an address whose renditions were made again is refreshed.

Pages never show that `src`: `pictures()` turns each linked image into the <picture> of
{% picture %}, WebP and JPEG renditions with their sizes, lazy unless asked otherwise.
Images that are not the library's (another site's address) stay as written.
"""

import html
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string

from photos.imaging import RENDITIONS_DIR
from photos.models import Image
from photos.templatetags.pictures import picture

ATTRIBUTE = "data-image"
# In sanitised HTML (core.html) every attribute is double-quoted and escaped.
_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTES = re.compile(r'([\w-]+)="([^"]*)"')
# A rendition's name: the original's stem, "-", its width.
_WIDTH_SUFFIX = re.compile(r"-\d+$")


def _attributes(tag):
    return {name: html.unescape(value) for name, value in _ATTRIBUTES.findall(tag)}


def _tag(attributes):
    written = " ".join(
        f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items()
    )
    return f"<img {written}>"


def stored_key(src):
    """Return the library key (photos.Image.stored_key) an address shows, or None.

    "/media/renditions/thu-vien/2025/hoi-nghi-ab12cd-1200.jpg" and
    "/media/thu-vien/2025/hoi-nghi-ab12cd.jpg" both name "thu-vien/2025/hoi-nghi-ab12cd".
    """
    if not src.startswith(settings.MEDIA_URL):
        return None
    path = PurePosixPath(src.removeprefix(settings.MEDIA_URL).split("?")[0].split("#")[0])
    if not path.suffix or ".." in path.parts:
        return None
    if path.parts[0] == RENDITIONS_DIR:
        path = PurePosixPath(*path.parts[1:])
        path = path.with_name(_WIDTH_SUFFIX.sub("", path.stem) + path.suffix)
    return str(path.with_suffix(""))


def _found(tags):
    """Return the library images the tags name, by id and by stored key (one query)."""
    ids, keys = set(), set()
    for attributes in tags:
        if attributes.get(ATTRIBUTE, "").isdigit():
            ids.add(int(attributes[ATTRIBUTE]))
        key = stored_key(attributes.get("src", ""))
        if key:
            keys.add(key)
    if not ids and not keys:
        return {}, {}
    condition = Q(pk__in=ids)
    for key in keys:
        condition |= Q(file__startswith=key + ".")
    images = list(Image.objects.filter(condition))
    return {image.pk: image for image in images}, {image.stored_key: image for image in images}


def _image_of(attributes, by_id, by_key):
    reference = attributes.get(ATTRIBUTE, "")
    image = by_id.get(int(reference)) if reference.isdigit() else None
    if image is None:
        image = by_key.get(stored_key(attributes.get("src", "")))
    return image


def link_images(text):
    """Return sanitised text with each library image's id and current address written in."""
    if "<img" not in text:
        return text
    tags = {tag: _attributes(tag) for tag in _IMG.findall(text)}
    by_id, by_key = _found(tags.values())

    def linked(match):
        attributes = dict(tags[match[0]])
        image = _image_of(attributes, by_id, by_key)
        if image is None:
            attributes.pop(ATTRIBUTE, None)
        else:
            attributes["src"] = image.url
            attributes[ATTRIBUTE] = str(image.pk)
        return _tag(attributes)

    return _IMG.sub(linked, text)


def pictures(blocks, sizes, eager_first=False):
    """Return the blocks of sanitised text with each linked image drawn as a <picture>.

    One query for every image of every block, none if no block has one. eager_first:
    the first block's first image is above the fold; every other image loads lazily.
    """
    tags = [_attributes(tag) for block in blocks for tag in _IMG.findall(block)]
    linked = [attributes for attributes in tags if ATTRIBUTE in attributes]
    if not linked:
        return list(blocks)
    by_id, _ = _found([{ATTRIBUTE: attributes[ATTRIBUTE]} for attributes in linked])
    return [
        _draw(block, by_id, sizes, eager=eager_first and index == 0) if "<img" in block else block
        for index, block in enumerate(blocks)
    ]


def _draw(block, by_id, sizes, eager):
    """Return the block with its linked images drawn; the first eager if asked."""
    waiting = [eager]

    def draw(match):
        attributes = _attributes(match[0])
        reference = attributes.get(ATTRIBUTE, "")
        image = by_id.get(int(reference)) if reference.isdigit() else None
        if image is None:  # deleted since: the text shows what it was given
            return match[0]
        loading = "eager" if waiting.pop() else "lazy"
        waiting.append(False)
        context = picture(image, sizes=sizes, loading=loading, alt=attributes.get("alt"))
        return render_to_string("photos/picture.html", context)

    return _IMG.sub(draw, block)
