"""`manage.py backup` and `manage.py restore`: a round trip brings everything back."""

import hashlib
import io
import json
import tarfile

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Revision, Version

from communes.models import Commune, CommuneSupport
from core.workflow import perform
from news.models import Article, ArticleTransition, Photo
from tests.factories import (
    make_article,
    make_category,
    make_commune,
    make_district,
    make_photo,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

Action = ArticleTransition.Action
Status = Article.Status


@pytest.fixture
def newsroom(settings):
    """A bit of everything the portal keeps, with photo files under MEDIA_ROOT."""
    publisher = make_user("publisher", username="tongbientap")
    contributor = make_user("contributor", username="ngoctu")
    photographers = Group.objects.create(name="Ban ảnh")
    contributor.groups.add(photographers)
    category = make_category()
    live = make_article(title="Đại hội Đoàn tỉnh Bắc Kạn", category=category)
    make_photo(live, caption="Toàn cảnh Đại hội")
    draft = make_article(title="Ra quân tình nguyện", status=Status.DRAFT, created_by=contributor)
    with reversion.create_revision():
        draft.lead = "Sáng 5/3, hơn 500 đoàn viên ra quân."
        draft.save()
    perform(draft, Action.SUBMIT, contributor)
    trashed = make_article(title="Bài đã xoá", status=Status.DRAFT)
    perform(trashed, Action.TRASH, publisher)
    make_support(make_program(2022), make_commune("Hiệp Lực", district=make_district()))
    return settings.MEDIA_ROOT


def everything(media_root):
    """Return what a restore must bring back, as plain data."""
    return {
        "users": sorted(
            (user.username, user.email, user.password, sorted(g.name for g in user.groups.all()))
            for user in get_user_model().objects.all()
        ),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "articles": sorted(
            (article.title, article.status, article.deleted_at is not None, article.lead)
            for article in Article.all_objects.all()
        ),
        "steps": sorted(ArticleTransition.objects.values_list("article__title", "action", "user")),
        "revisions": (Revision.objects.count(), Version.objects.count()),
        "photos": sorted(
            (
                photo.caption,
                photo.image.file.name,
                hashlib.sha256(photo.image.file.read()).hexdigest(),
            )
            for photo in Photo.objects.all()
        ),
        "communes": sorted(Commune.objects.values_list("name", "district__name")),
        "supports": sorted(CommuneSupport.objects.values_list("program__year", "commune__name")),
        "media": sorted(
            path.relative_to(media_root).as_posix()
            for path in media_root.rglob("*")
            if path.is_file()
        ),
    }


def wipe(media_root):
    call_command("flush", "--noinput")
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_then_restore_into_an_empty_site_brings_everything_back(newsroom, tmp_path):
    before = everything(newsroom)
    assert before["revisions"][1] > 0 and len(before["media"]) == 3  # an original, 2 renditions
    archive = tmp_path / "sao-luu.tar.gz"

    call_command("backup", output=str(archive))
    wipe(newsroom)
    assert everything(newsroom)["articles"] == []
    call_command("restore", str(archive))

    assert everything(newsroom) == before
    assert Article.objects.published().get().title == "Đại hội Đoàn tỉnh Bắc Kạn"
    assert Article.all_objects.get(title="Bài đã xoá").can_be_restored()


def test_readers_get_the_restored_site_at_once(newsroom, tmp_path, client):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    wipe(newsroom)
    assert "Đại hội Đoàn tỉnh Bắc Kạn" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "HIT"

    call_command("restore", str(archive))

    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Đại hội Đoàn tỉnh Bắc Kạn" in response.content.decode()


def planner_statistics(table):
    """Return how many statistics rows the database keeps about table's columns or indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def test_a_restored_database_has_the_planners_statistics_at_once(newsroom, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    wipe(newsroom)
    call_command("restore", str(archive))
    assert planner_statistics("news_article") > 0


def test_the_manifest_lists_versions_and_every_file_with_its_checksum(newsroom, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        for entry in manifest["files"]:
            data = tar.extractfile(entry["path"]).read()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (
                entry["size"],
                entry["sha256"],
            )
    assert manifest["database"]["vendor"] in {"sqlite", "postgresql"}
    assert manifest["versions"]["django"].startswith("6.1")
    assert manifest["migrations"]["news"].startswith("00")
    media = {entry["path"] for entry in manifest["files"] if entry["path"].startswith("media/")}
    # The photo's original and every rendition made from it.
    image = Photo.objects.get().image
    assert media == {"media/" + name for name in image.stored_names()}


def test_restore_refuses_a_site_that_is_not_empty_unless_forced(newsroom, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    before = everything(newsroom)
    make_article(title="Bài viết sau khi sao lưu")

    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(archive))
    assert Article.all_objects.filter(title="Bài viết sau khi sao lưu").exists()

    call_command("restore", str(archive), "--force")
    assert everything(newsroom) == before


def test_restore_refuses_a_media_folder_that_is_not_empty(newsroom, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    wipe(newsroom)
    (newsroom / "ghi-chu.txt").write_text("tệp lạ")

    with pytest.raises(CommandError, match="media folder .* is not empty"):
        call_command("restore", str(archive))
    assert not get_user_model().objects.exists()


def damaged_copy(archive, destination, name):
    """Copy the archive with one byte of the member `name` changed."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith(name):
                data = bytes([data[0] ^ 1]) + data[1:]
            copy.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("member", ["media/", "database."])
def test_a_damaged_archive_is_refused_before_anything_changes(newsroom, tmp_path, member):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    damaged = tmp_path / "hong.tar.gz"
    damaged_copy(archive, damaged, member)
    before = everything(newsroom)

    with pytest.raises(CommandError, match="Checksum mismatch.*Nothing was changed"):
        call_command("restore", str(damaged), "--force")
    assert everything(newsroom) == before


def test_a_file_that_is_no_archive_is_refused(db, tmp_path):
    not_an_archive = tmp_path / "ghi-chu.txt"
    not_an_archive.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(not_an_archive))
