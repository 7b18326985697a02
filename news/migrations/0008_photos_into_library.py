"""Put every photo file into the photo library; point photos and their revisions at it.

Files stay where they are (their names are kept); `manage.py rebuild_renditions`
makes their renditions afterwards. Credits lose the "Ảnh:" prefix pages add.
"""

import json
import re
import unicodedata
from pathlib import PurePosixPath

from django.db import migrations

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


def image_size(storage, name):
    """Return the stored file's (width, height), or (None, None) if it cannot be read."""
    from PIL import Image

    try:
        with storage.open(name) as file, Image.open(file) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None, None


def photo_versions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_type = ContentType.objects.filter(app_label="news", model="photo").first()
    if content_type is None:
        return Version.objects.none()
    return Version.objects.filter(content_type=content_type, format="json")


def rewrite_versions(apps, change):
    """Apply change(fields) to the fields of every stored revision of a photo."""
    for version in photo_versions(apps).iterator():
        data = json.loads(version.serialized_data)
        for item in data:
            change(item["fields"])
        version.serialized_data = json.dumps(data)
        version.save(update_fields=["serialized_data"])


def into_library(apps, schema_editor):
    Photo = apps.get_model("news", "Photo")
    Image = apps.get_model("photos", "Image")
    storage = Image._meta.get_field("file").storage
    library = {}  # file name -> library image id
    for photo in Photo.objects.select_related("article").order_by("pk"):
        photo.credit = normalize_credit(photo.credit)
        name = photo.image.name if photo.image else ""
        if name and name not in library:
            width, height = photo.width, photo.height
            if not (width and height):
                width, height = image_size(storage, name)
            original_name = unicodedata.normalize("NFC", PurePosixPath(name).name)
            words = [photo.caption, photo.alt_text, photo.credit, original_name]
            library[name] = Image.objects.create(
                file=name,
                width=width,
                height=height,
                caption=photo.caption,
                alt_text=photo.alt_text,
                credit=photo.credit,
                original_name=original_name,
                uploaded_by_id=photo.article.created_by_id,
                uploaded_at=photo.article.created_at,
                renditions=[],
                search_text=fold(" ".join(words)),
            ).pk
        photo.library_image_id = library.get(name)
        photo.save(update_fields=["credit", "library_image"])

    def point_at_library(fields):
        fields["image"] = library.get(fields.get("image") or "")
        fields.pop("width", None)
        fields.pop("height", None)
        fields["credit"] = normalize_credit(fields.get("credit", ""))

    rewrite_versions(apps, point_at_library)


def out_of_library(apps, schema_editor):
    Photo = apps.get_model("news", "Photo")
    Image = apps.get_model("photos", "Image")
    names = dict(Image.objects.values_list("pk", "file"))
    for photo in Photo.objects.filter(library_image__isnull=False).select_related("library_image"):
        photo.image = photo.library_image.file.name
        photo.width, photo.height = photo.library_image.width, photo.library_image.height
        photo.save(update_fields=["image", "width", "height"])

    def point_at_file(fields):
        fields["image"] = names.get(fields.get("image"), "")

    rewrite_versions(apps, point_at_file)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_photo_library_image"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(into_library, out_of_library)]
