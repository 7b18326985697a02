"""One-file backups of the portal: a consistent database dump and every media file.

An archive is a gzipped tar file holding `manifest.json` (versions, date,
database vendor, and each file's size and SHA-256), the database
(`database.sqlite3`, copied with SQLite's online backup API, or
`database.dump`, pg_dump's custom format) and `media/…`, the files under
MEDIA_ROOT. `backup` writes one (`manage.py backup`); `restore` checks it
whole before it changes anything, then replaces the database and the media
folder (`manage.py restore`).
"""

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core import cache, statistics

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# Apps whose rows make a database "not empty"; migrate alone fills only
# Django's own tables (content types, permissions, the newsroom's groups).
CONTENT_APPS = ["news", "communes", "reversion"]


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(media_root):
    """Yield (archive name, path) of every file under media_root, in a stable order."""
    media_root = Path(media_root)
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path


# --- Database ----------------------------------------------------------------


def postgres_command_env():
    """Return (connection arguments, environment) for pg_dump and psql."""
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def run(command, **kwargs):
    try:
        return subprocess.run(command, check=True, capture_output=True, **kwargs)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client programs)."
        ) from error
    except subprocess.CalledProcessError as error:
        stderr = error.stderr.decode(errors="replace") if error.stderr else ""
        raise BackupError(f"{command[0]} failed: {stderr.strip()}") from error


def dump_database(destination):
    """Write a consistent copy of the database to destination; return the tool's version."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(destination) as target:
            connection.connection.backup(target)
        target.close()
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        args, env = postgres_command_env()
        run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-acl", "--file", destination],
            env=env,
        )
        return run(["pg_dump", "--version"]).stdout.decode().strip()
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def load_database(source):
    """Replace the whole database with the dump at source, in one transaction."""
    if connection.vendor == "sqlite":
        connection.close()
        connection.ensure_connection()
        # One step of the online backup API copies every page in one transaction.
        with sqlite3.connect(source) as dump:
            dump.backup(connection.connection)
        dump.close()
        return
    args, env = postgres_command_env()
    script = run(["pg_restore", "--no-owner", "--no-acl", "--file", "-", source], env=env).stdout
    connection.close()
    replace_schema = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    run(
        ["psql", *args, "--quiet", "--no-psqlrc", "--single-transaction",
         "--set", "ON_ERROR_STOP=1", "--file", "-"],
        input=replace_schema + script,
        env=env,
    )  # fmt: skip


def database_is_empty():
    """Return True if no table holds a user account or any of the portal's content."""
    tables = set(connection.introspection.table_names())
    models = [get_user_model()]
    for label in CONTENT_APPS:
        models += list(apps.get_app_config(label).get_models())
    return not any(
        model._base_manager.exists() for model in models if model._meta.db_table in tables
    )


def migrations_applied():
    """Return the last migration applied for each app, as the manifest records them."""
    if not MigrationRecorder(connection).has_table():
        return {}
    latest = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- Backup ------------------------------------------------------------------


def create_backup(output):
    """Write the backup archive to output (through a temporary file); return the manifest."""
    output = Path(output)
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    with tempfile.TemporaryDirectory(prefix="portal-backup.") as workdir:
        database_path = Path(workdir) / DATABASE_FILES[vendor]
        tool = dump_database(str(database_path))
        members = [(DATABASE_FILES[vendor], database_path)]
        members += list(media_files(settings.MEDIA_ROOT))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "versions": {
                "django": django.get_version(),
                "python": platform.python_version(),
                "database_tool": tool,
            },
            "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
            "migrations": migrations_applied(),
            "files": [
                {"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)}
                for name, path in members
            ],
        }
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(timezone.now().timestamp())
                archive.addfile(info, fileobj=io.BytesIO(data))
                for name, path in members:
                    archive.add(path, arcname=name, recursive=False)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- Restore -----------------------------------------------------------------


def safe_member_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def unpack_verified(archive_path, staging):
    """Unpack the archive into staging, checking every file against the manifest.

    Return the manifest; raise BackupError, with staging partly filled, if
    anything is missing, extra, altered or unsafe.
    """
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 (closed by `with` below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a backup archive: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
            expected = {entry["path"]: entry for entry in manifest["files"]}
            vendor = manifest["database"]["vendor"]
        except (KeyError, TypeError, ValueError, tarfile.TarError) as error:
            raise BackupError(f"{archive_path} has no readable manifest.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database; this portal uses {connection.vendor}."
            )
        seen = set()
        for member in archive:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            if entry is None or not member.isfile() or not safe_member_name(member.name):
                raise BackupError(f"Unexpected entry in the archive: {member.name}")
            target = Path(staging) / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, open(target, "wb") as copy:
                for block in iter(lambda: source.read(1024 * 1024), b""):  # noqa: B023
                    digest.update(block)
                    copy.write(block)
            if target.stat().st_size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"Checksum mismatch: {member.name} is damaged.")
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"Missing from the archive: {', '.join(missing)}")
    return manifest


def restore_backup(archive_path, force=False):
    """Replace the database and the media folder with the archive's; return its manifest.

    Everything is checked before anything changes: the archive (checksums),
    the database vendor, and that the database and the media folder are
    empty unless force. The database is replaced in one transaction; the
    media folder is swapped in once the database is in place.
    """
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so the final swap is a rename on one file system.
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        manifest = unpack_verified(archive_path, staging)
        if not force:
            if not database_is_empty():
                raise BackupError(
                    "The database is not empty; restore into an empty one, or pass --force "
                    "to replace its content."
                )
            if next(media_files(media_root), None) is not None:
                raise BackupError(
                    f"The media folder {media_root} is not empty; empty it, or pass --force "
                    "to replace it."
                )
        load_database(str(staging / manifest["database"]["file"]))
        # The rows came through SQLite's backup API or psql, which Django's connection
        # never sees: the stored pages must be told by hand, and the planner given
        # statistics at once (PostgreSQL restores none; until autovacuum gets to them its
        # plans are guesses).
        cache.content_changed()
        statistics.analyse()
        ContentType.objects.clear_cache()  # the restored rows may number them differently
        restored_media = staging / MEDIA_PREFIX.rstrip("/")
        restored_media.mkdir(exist_ok=True)
        old_media = staging / "previous-media"
        if media_root.exists():
            media_root.rename(old_media)
        restored_media.rename(media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
