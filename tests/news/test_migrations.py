"""The migrations that move photos into the photo library: files (news 0007–0009), words (0014)."""

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
    # Its credit lost the prefix too; the library image keeps credits now (0014).
    assert json.loads(version.serialized_data)[0]["fields"]["credit"] == "Ba Bể"


WORDS_BEFORE = [("news", "0013_rich_text_field")]
WORDS_AFTER = [("news", "0014_photo_alt_text_and_credit_in_library")]


@pytest.mark.django_db(transaction=True)
def test_alt_text_and_credit_move_onto_the_library_image_and_back():
    old = migrate(WORDS_BEFORE)
    try:
        OldImage, OldPhoto = old.get_model("photos", "Image"), old.get_model("news", "Photo")
        article = old.get_model("news", "Article").all_objects.create(
            title="Hội nghị", slug="hoi-nghi", lead="Sapo."
        )
        bare = OldImage.objects.create(file="photos/2026/01/a.jpg", original_name="a.jpg")
        described = OldImage.objects.create(
            file="photos/2026/01/b.jpg", alt_text="Đại biểu dự hội nghị", credit="Lan"
        )
        half = OldImage.objects.create(file="photos/2026/01/c.jpg", alt_text="Đoàn viên xếp hàng")

        def place(image, caption, alt_text, credit, position):
            return OldPhoto.objects.create(
                article=article,
                image=image,
                caption=caption,
                alt_text=alt_text,
                credit=credit,
                position=position,
            )

        # The first placement by id comes last in the article.
        first = place(bare, "Một", "Đoàn viên trồng cây", "Ảnh: Ngọc Tú", position=3)
        later = place(bare, "Hai", "Cây keo", "Người khác", position=0)
        differing = place(described, "Ba", "Chữ riêng", "Tú", position=1)
        filling = place(half, "Bốn", "", "Thu Hà", position=2)

        new = migrate(WORDS_AFTER)
        Image, Photo = new.get_model("photos", "Image"), new.get_model("news", "Photo")
        words = {image.pk: (image.alt_text, image.credit) for image in Image.objects.all()}
        assert words == {
            bare.pk: ("Đoàn viên trồng cây", "Ngọc Tú"),
            described.pk: ("Đại biểu dự hội nghị", "Lan"),  # the image's, where both had one
            half.pk: ("Đoàn viên xếp hàng", "Thu Hà"),
        }
        assert "doan vien trong cay ngoc tu" in Image.objects.get(pk=bare.pk).search_text
        assert {"alt_text", "credit"}.isdisjoint(f.name for f in Photo._meta.get_fields())
        assert list(Photo.objects.order_by("pk").values_list("caption", flat=True)) == [
            "Một",
            "Hai",
            "Ba",
            "Bốn",
        ]

        old = migrate(WORDS_BEFORE)
        placements = old.get_model("news", "Photo").objects.order_by("pk")
        assert list(placements.values_list("pk", "alt_text", "credit")) == [
            (first.pk, "Đoàn viên trồng cây", "Ngọc Tú"),
            (later.pk, "Đoàn viên trồng cây", "Ngọc Tú"),
            (differing.pk, "Đại biểu dự hội nghị", "Lan"),
            (filling.pk, "Đoàn viên xếp hàng", "Thu Hà"),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
