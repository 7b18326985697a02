"""The migrations that move photo files into the photo library (news 0007–0009)."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Version

from news.models import Photo
from photos.models import Image
from tests.factories import image_bytes

BEFORE = [("news", "0006_published_has_time")]
REVERSION = [("reversion", "0002_add_index_on_version_for_content_type_and_db")]


def migrate(targets):
    """Migrate to targets; return the models as they were then (with reversion's)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets + REVERSION).apps


@pytest.mark.django_db(transaction=True)
def test_photo_files_and_their_revisions_move_into_the_library(settings):
    old = migrate(BEFORE)
    try:
        name = "photos/2023/01/Ảnh_đẹp.jpg"
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True)
        path.write_bytes(image_bytes(size=(90, 60), image_format="JPEG"))
        author = old.get_model("auth", "User").objects.create(username="tacgia")
        article = old.get_model("news", "Article").all_objects.create(
            title="Hội nghị", slug="hoi-nghi", lead="Sapo.", created_by=author
        )
        OldPhoto = old.get_model("news", "Photo")
        with_file = OldPhoto.objects.create(
            article=article, image=name, caption="Hội nghị", credit="Ảnh: Huyện đoàn Ba Bể"
        )
        imported = OldPhoto.objects.create(article=article, caption="Ảnh nhập từ cổng cũ", order=1)
        content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="news", model="photo"
        )[0]
        revision = old.get_model("reversion", "Revision").objects.create(
            date_created=timezone.now(), comment=""
        )
        fields = {"article": article.pk, "image": name, "width": None, "height": None}
        fields.update(caption="Hội nghị", alt_text="", credit="Ảnh: Ba Bể", position=0, order=0)
        old.get_model("reversion", "Version").objects.create(
            revision=revision,
            object_id=str(with_file.pk),
            content_type=content_type,
            db="default",
            format="json",
            serialized_data=json.dumps(
                [{"model": "news.photo", "pk": with_file.pk, "fields": fields}]
            ),
            object_repr="Hội nghị",
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    image = Image.objects.get()
    # The file stays where it was; its size is read from it; the credit loses its prefix.
    assert image.file.name == name
    assert (image.width, image.height) == (90, 60)
    assert (image.caption, image.credit, image.original_name) == (
        "Hội nghị",
        "Huyện đoàn Ba Bể",
        "Ảnh_đẹp.jpg",
    )
    assert image.uploaded_by.username == "tacgia"
    assert "huyen doan ba be" in image.search_text
    assert Photo.objects.get(pk=with_file.pk).image == image
    assert Photo.objects.get(pk=imported.pk).image is None
    # Old revisions still read, now pointing at the library.
    version = Version.objects.get()
    assert version.field_dict["image_id"] == image.pk
    assert version.field_dict["credit"] == "Ba Bể"
