"""The planner's statistics are kept by the portal: after bulk writes, and by SQLite's
PRAGMA optimize as connections close or stay open (core/statistics.py)."""

import sqlite3
from contextlib import closing

import pytest
from django.db import connection

from core import statistics
from core.backends.sqlite3.base import DatabaseWrapper
from news.models import Category

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's PRAGMA optimize")


def statistics_rows(table):
    """Return how many statistics rows the database keeps about the table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
            return cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def categories(first, count):
    return [Category(name=f"Chuyên mục {n}", slug=f"chuyen-muc-{n}") for n in range(first, count)]


def test_a_bulk_load_is_analysed_once_committed(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(statistics, "LOADED_ROWS", 20)
    # What earlier tests wrote through this connection is not this test's load.
    monkeypatch.delattr(connection, "planner_writes", raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        Category.objects.bulk_create(categories(0, 19))
    assert statistics_rows("news_category") == 0
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        Category.objects.bulk_create(categories(19, 25))
    # Gathered after the commit, never on rows that may yet be rolled back.
    assert statistics_rows("news_category") == 0
    for callback in waiting:
        callback()
    assert statistics_rows("news_category") > 0


def database_file(tmp_path):
    """Return a connection of the portal's SQLite backend to a file database with a table
    of 700 rows in seven categories, indexed by category. It stays open between requests."""
    database = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3"), "CONN_MAX_AGE": None}
    )
    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE article (id INTEGER PRIMARY KEY, category INTEGER)")
        cursor.execute("CREATE INDEX article_category ON article (category)")
        cursor.executemany(
            "INSERT INTO article (category) VALUES (%s)", [(n % 7,) for n in range(700)]
        )
        # A lookup whose plan depends on how many rows a category holds.
        cursor.execute("SELECT id FROM article WHERE category = %s", [3])
    return database


def file_statistics(tmp_path):
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as raw:
        if not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return []
        return raw.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall()


@sqlite_only
def test_a_closing_sqlite_connection_leaves_the_statistics_its_queries_needed(tmp_path):
    database = database_file(tmp_path)
    assert file_statistics(tmp_path) == []
    database.close()
    assert file_statistics(tmp_path) == [("article", "article_category", "700 100")]


@sqlite_only
def test_a_sqlite_connection_kept_open_gathers_them_now_and_then(tmp_path, monkeypatch):
    database = database_file(tmp_path)
    database.close_if_unusable_or_obsolete()  # as a request ends
    assert file_statistics(tmp_path) == []
    monkeypatch.setattr(statistics, "OPTIMIZE_EVERY", 0)
    database.close_if_unusable_or_obsolete()
    assert database.connection is not None
    assert file_statistics(tmp_path) == [("article", "article_category", "700 100")]
    database.close()
