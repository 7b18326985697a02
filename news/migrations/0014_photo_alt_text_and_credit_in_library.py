"""Alt text and credit describe the image: keep them on the library image only.

Until now a placement (news.Photo) kept its own copy of both. What editors typed is
kept: a library image without alt text or credit takes its first placement's (by id).
Where the image and a placement both have one and they differ, the image's is kept:
it is what the library, its search and every other article already show, while a
placement's copy was only ever shown in its own article.

Backwards, every placement gets its image's alt text and credit again.
"""

import re
import unicodedata

from django.db import migrations

WORDS = ("alt_text", "credit")

# Copies of photos.models.normalize_credit and core.text.fold as they were written.
_CREDIT_PREFIX = re.compile(
    r"^(?:ảnh\s*chụp|nguồn\s*ảnh|tác\s*giả\s*ảnh|ảnh|anh|nguồn|nguon|photo|foto)\s*[:：\-–—]\s*",
    re.IGNORECASE,
)


def normalize_credit(value):
    credit = " ".join(unicodedata.normalize("NFC", value or "").split())
    while True:
        if credit.startswith("(") and credit.endswith(")"):
            credit = credit[1:-1].strip()
        stripped = _CREDIT_PREFIX.sub("", credit, count=1).strip()
        if stripped == credit:
            return credit
        credit = stripped


def fold(value):
    decomposed = unicodedata.normalize("NFD", str(value).translate(str.maketrans("đĐ", "dD")))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


def into_images(apps, schema_editor):
    Photo = apps.get_model("news", "Photo")
    Image = apps.get_model("photos", "Image")
    images, described = {}, {}  # image id -> the image; those given a placement's words
    placements = Photo.objects.filter(image__isnull=False).exclude(alt_text="", credit="")
    for photo in placements.select_related("image").order_by("pk"):
        image = images.setdefault(photo.image_id, photo.image)
        for name in WORDS:
            if not getattr(image, name).strip() and getattr(photo, name).strip():
                setattr(image, name, getattr(photo, name))
                described[image.pk] = image
    for image in described.values():
        image.credit = normalize_credit(image.credit)
        words = [image.caption, image.alt_text, image.credit, image.original_name]
        image.search_text = fold(" ".join(words))
    Image.objects.bulk_update(described.values(), [*WORDS, "search_text"], batch_size=500)


def into_placements(apps, schema_editor):
    Photo = apps.get_model("news", "Photo")
    placements = Photo.objects.filter(image__isnull=False).select_related("image")
    photos = []
    for photo in placements.iterator(chunk_size=500):
        photo.alt_text, photo.credit = photo.image.alt_text, photo.image.credit
        photos.append(photo)
    Photo.objects.bulk_update(photos, WORDS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_rich_text_field"),
        ("photos", "0001_library"),
    ]

    operations = [
        migrations.RunPython(into_images, into_placements),
        migrations.RemoveField(model_name="photo", name="alt_text"),
        migrations.RemoveField(model_name="photo", name="credit"),
    ]
