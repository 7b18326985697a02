"""`manage.py backup` and `manage.py restore`: a round trip brings everything back."""

import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import tarfile

import pytest
import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Revision, Version

from communes.models import Commune, CommuneSupport
from core.workflow import perform
from news.models import Article, ArticleTransition, Photo
from portal.backups import postgres_command_env, sha256_of
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


# --- What a backup holds, and archives that must not be restored ---------------


def test_the_archive_is_for_its_owner_only_and_logs_nobody_in(newsroom, tmp_path, client):
    publisher = get_user_model().objects.get(username="tongbientap")
    client.force_login(publisher)
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    archive = tmp_path / "sao-luu.tar.gz"
    previous = os.umask(0o022)
    try:
        call_command("backup", output=str(archive))
    finally:
        os.umask(previous)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        database = tar.extractfile(f"database.{'sqlite3' if sqlite() else 'dump'}").read()
    assert session_key.encode() not in database
    wipe(newsroom)
    call_command("restore", str(archive))
    assert not Session.objects.exists()
    assert get_user_model().objects.filter(username="tongbientap").exists()


def sqlite():
    return connection.vendor == "sqlite"


def rebuilt(archive, destination, database=None, manifest=lambda manifest: None):
    """Copy the archive with another database file and a changed manifest, checksums redone."""
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source if m.isfile()}
    data = json.loads(members.pop("manifest.json"))
    if database is not None:
        members[data["database"]["file"]] = database.read_bytes()
    for entry in data["files"]:
        content = members[entry["path"]]
        entry["size"], entry["sha256"] = len(content), hashlib.sha256(content).hexdigest()
    manifest(data)
    with tarfile.open(destination, "w:gz") as copy:
        for name, content in {"manifest.json": json.dumps(data).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            copy.addfile(info, io.BytesIO(content))


def migrations_table_only(archive, workdir):
    """Return a dump of this database's migrations table alone, as a backup would hold it."""
    path = workdir / "chi-co-bang-migration"
    if sqlite():
        whole = workdir / "toan-bo.sqlite3"
        with tarfile.open(archive) as tar:
            whole.write_bytes(tar.extractfile("database.sqlite3").read())
        dump = sqlite3.connect(path, autocommit=True)
        dump.execute("ATTACH DATABASE ? AS whole", (str(whole),))
        dump.execute("CREATE TABLE django_migrations AS SELECT * FROM whole.django_migrations")
        dump.execute("DETACH DATABASE whole")
        dump.close()
    else:
        args, env = postgres_command_env()
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--table=django_migrations", "--file", path],
            env=env, check=True,
        )  # fmt: skip
    return path


def assert_refused(archive, match, force=True):
    before = everything(settings.MEDIA_ROOT)
    arguments = [str(archive), "--force"] if force else [str(archive)]
    with pytest.raises(CommandError, match=f"{match}.*Nothing was changed"):
        call_command("restore", *arguments)
    assert everything(settings.MEDIA_ROOT) == before


@pytest.fixture
def archive(newsroom, tmp_path):
    path = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(path))
    return path


def test_a_manifest_naming_a_database_that_is_not_in_the_archive_is_refused(archive, tmp_path):
    def elsewhere(manifest):
        manifest["database"]["file"] = "khong-co.sqlite3"

    forged = tmp_path / "gia.tar.gz"
    rebuilt(archive, forged, manifest=elsewhere)
    wipe(settings.MEDIA_ROOT)  # an empty site: no --force needed, and still refused
    assert_refused(forged, "does not list the database", force=False)


@pytest.mark.parametrize("listed", [False, True])
def test_a_manifest_naming_a_file_elsewhere_on_disk_is_refused(archive, tmp_path, listed):
    other = migrations_table_only(archive, tmp_path)

    def elsewhere(manifest):
        manifest["database"]["file"] = str(other)
        if listed:
            entry = {"path": str(other), "size": other.stat().st_size, "sha256": sha256_of(other)}
            manifest["files"].append(entry)

    forged = tmp_path / "gia.tar.gz"
    rebuilt(archive, forged, manifest=elsewhere)
    reason = "names a file outside the archive" if listed else "does not list the database"
    assert_refused(forged, reason)


def test_a_database_without_the_portal_s_tables_is_refused_before_it_replaces_anything(
    archive, tmp_path
):
    forged = tmp_path / "gia.tar.gz"
    rebuilt(archive, forged, database=migrations_table_only(archive, tmp_path))
    assert_refused(forged, "lacks tables of its migrations: .*news_article")


def test_a_database_other_than_the_manifest_says_is_refused(archive, tmp_path):
    def other_migrations(manifest):
        manifest["migrations"]["news"] = "0001_initial"

    forged = tmp_path / "gia.tar.gz"
    rebuilt(archive, forged, manifest=other_migrations)
    assert_refused(forged, "not the one its manifest describes")


def test_a_truncated_archive_is_refused_in_words(archive, tmp_path):
    cut = tmp_path / "bi-cat.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused(cut, "damaged or cut short")
