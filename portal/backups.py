"""One-file backups of the portal: a consistent database dump and every media file.

An archive is a gzipped tar file holding `manifest.json` (versions, date,
database vendor, the migrations applied, and each file's size and SHA-256),
the database (`database.sqlite3`, copied with SQLite's online backup API, or
`database.dump`, pg_dump's custom format) and `media/…`, the files under
MEDIA_ROOT. `backup` writes one (`manage.py backup`), readable by its owner
only and without the sessions (a restored copy logs nobody in); `restore`
checks it whole before it changes anything (every file against the manifest,
the database's migrations and tables), then replaces the database and the
media folder (`manage.py restore`).
"""

import hashlib
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
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
# Tables whose rows are left out: live credentials a backup must not hand out.
LEFT_OUT = ["django_session"]
SHA256 = re.compile(r"[0-9a-f]{64}")


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
        target = sqlite3.connect(destination, autocommit=True)
        try:
            connection.connection.backup(target)
            # A file of its own (no WAL beside it); the left-out rows are deleted and their
            # pages wiped, so no trace of them stays in the file.
            target.execute("PRAGMA journal_mode=DELETE")
            tables = {row[0] for row in target.execute("SELECT name FROM sqlite_master")}
            for table in LEFT_OUT:
                if table in tables:
                    target.execute(f'DELETE FROM "{table}"')
            target.execute("VACUUM")
        finally:
            target.close()
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        args, env = postgres_command_env()
        left_out = [f"--exclude-table-data={table}" for table in LEFT_OUT]
        run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-acl", *left_out,
             "--file", destination],
            env=env,
        )  # fmt: skip
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


def dump_contents(path, vendor):
    """Return (tables, last migration of each app) of a staged dump, without loading it."""
    if vendor == "sqlite":
        try:
            dump = sqlite3.connect(path)
            try:
                if dump.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError("The database in the archive is damaged.")
                tables = {
                    row[0]
                    for row in dump.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                rows = []
                if "django_migrations" in tables:
                    rows = dump.execute("SELECT app, name FROM django_migrations").fetchall()
            finally:
                dump.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database in the archive cannot be read: {error}") from error
        return tables, latest_migrations(rows)
    # pg_restore reads the dump's table of contents and one table's rows without a server.
    listing = run(["pg_restore", "--list", path]).stdout.decode()
    tables = set()
    for line in listing.splitlines():
        # "215; 1259 16390 TABLE public django_migrations portal"
        fields = line.split()
        if not line.startswith(";") and len(fields) >= 6 and fields[3:5] == ["TABLE", "public"]:
            tables.add(fields[5])
    rows = []
    if "django_migrations" in tables:
        data = run(
            ["pg_restore", "--data-only", "--table=django_migrations", "--file=-", path]
        ).stdout.decode()
        rows = copied_rows(data, "public.django_migrations", ["app", "name"])
    return tables, latest_migrations(rows)


def copied_rows(script, table, columns):
    """Return the given columns of the rows a pg_restore script COPYs into table."""
    rows, names = [], None
    for line in script.splitlines():
        if names is None:
            match = re.match(rf"COPY {re.escape(table)} \((.*)\) FROM stdin;$", line)
            if match:
                names = [name.strip().strip('"') for name in match.group(1).split(",")]
        elif line == "\\.":
            break
        else:
            values = dict(zip(names, line.split("\t"), strict=False))
            rows.append(tuple(values.get(column, "") for column in columns))
    return rows


def latest_migrations(rows):
    """Return {app: its last migration} from (app, name) rows, as the manifest records them."""
    latest = {}
    for app, name in rows:
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def expected_tables(migrations):
    """Return the tables a database at these migrations has; raise BackupError if unknown."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(f"{app}.{name}" for app, name in migrations.items()
                     if (app, name) not in loader.graph.nodes)  # fmt: skip
    if unknown:
        raise BackupError(
            "The archive was made by a newer version of the portal (unknown migrations: "
            f"{', '.join(unknown)}); restore it with that version."
        )
    state = loader.project_state(list(migrations.items()), at_end=True)
    return {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def check_dump(path, manifest):
    """Raise BackupError unless the staged dump is the portal's database the manifest names.

    Its migrations must be those the manifest lists, known to this code, and it must hold
    every table those migrations make.
    """
    tables, migrations = dump_contents(path, manifest["database"]["vendor"])
    if not migrations:
        raise BackupError("The database in the archive is not the portal's: it has no tables.")
    if migrations != manifest["migrations"]:
        raise BackupError(
            "The database in the archive is not the one its manifest describes "
            "(their migrations differ)."
        )
    missing = sorted(expected_tables(migrations) - tables)
    if missing:
        raise BackupError(
            f"The database in the archive lacks tables of its migrations: {', '.join(missing)}"
        )


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
    return latest_migrations(MigrationRecorder.Migration.objects.values_list("app", "name"))


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
            # Readable by its owner only, whatever the umask: it holds password hashes.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with open(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
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
    """Return True if name is a plain relative path, as `backup` writes them."""
    if not isinstance(name, str) or name in {"", ".", MANIFEST}:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_manifest(data, archive_path):
    """Return the manifest's files by archive name; raise BackupError if it is not sound.

    Every name must be a plain path inside the archive, with a size and a SHA-256, and the
    database must be the one file this vendor's backups hold, listed among them.
    """
    try:
        manifest = json.loads(data)
        vendor = manifest["database"]["vendor"]
        files = {}
        for entry in manifest["files"]:
            name, size, digest = entry["path"], entry["size"], entry["sha256"]
            if not safe_member_name(name) or name in files:
                raise BackupError(f"The manifest names a file outside the archive: {name!r}")
            if not isinstance(size, int) or size < 0 or not SHA256.fullmatch(str(digest)):
                raise BackupError(f"The manifest has no sound checksum for {name}.")
            files[name] = entry
        if not isinstance(manifest["migrations"], dict):
            raise TypeError("migrations")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(f"{archive_path} has no readable manifest.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    if vendor != connection.vendor:
        raise BackupError(
            f"The archive holds a {vendor} database; this portal uses {connection.vendor}."
        )
    database = DATABASE_FILES[vendor]
    if manifest["database"].get("file") != database or database not in files:
        raise BackupError(f"The manifest does not list the database as {database}.")
    return manifest, files


def unpack_verified(archive_path, staging):
    """Unpack the archive into staging, checking every file against the manifest.

    Return the manifest; raise BackupError, with staging partly filled, if
    anything is missing, extra, altered, unsafe or cut short.
    """
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 (closed by `with` below)
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a backup archive: {error}") from error
    try:
        with archive:
            return _unpack(archive, archive_path, Path(staging))
    except (EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(
            f"{archive_path} is damaged or cut short (an incomplete copy?): {error}"
        ) from error


def _unpack(archive, archive_path, staging):
    try:
        manifest_file = archive.extractfile(MANIFEST)
    except KeyError:
        manifest_file = None
    if manifest_file is None:
        raise BackupError(f"{archive_path} has no readable manifest.")
    manifest, expected = read_manifest(manifest_file.read(), archive_path)
    seen = set()
    for member in archive:
        if member.name == MANIFEST:
            continue
        entry = expected.get(member.name)
        if entry is None or member.name in seen or not member.isfile():
            raise BackupError(f"Unexpected entry in the archive: {member.name}")
        target = staging / member.name
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

    Everything is checked before anything changes: the archive (every file
    against the manifest's checksums, nothing else read), the database vendor,
    the dump itself (its migrations those of the manifest and known to this
    code, with every table they make), and that the database and the media
    folder are empty unless force. The database is replaced in one
    transaction; the media folder is swapped in once the database is in place.
    """
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so the final swap is a rename on one file system.
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        manifest = unpack_verified(archive_path, staging)
        # Only the file checked against the manifest, under the name this code gives it.
        dump = staging / DATABASE_FILES[manifest["database"]["vendor"]]
        check_dump(str(dump), manifest)
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
        load_database(str(dump))
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
