import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from core import routers
from news.models import Article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def router(settings):
    settings.DATABASE_REPLICAS = ["replica_1", "replica_2"]
    return routers.ReplicaRouter()


def test_reads_go_to_the_replicas(router):
    assert {router.db_for_read(Article) for _ in range(50)} == {"replica_1", "replica_2"}


@pytest.mark.django_db
def test_reads_in_a_transaction_go_to_the_primary(router):
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"


def test_reads_pinned_to_the_primary_go_there(router):
    with routers.primary():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) != "default"


def test_writes_and_migrations_go_to_the_primary_only(router):
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "news")
    assert not router.allow_migrate("replica_1", "news")


def test_without_replicas_everything_is_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert routers.ReplicaRouter().db_for_read(Article) == "default"


def test_replica_urls_become_database_aliases_that_tests_mirror():
    replicas = routers.replica_databases(
        "postgres://portal@replica-a:5432/portal, postgres://portal@replica-b:5432/portal",
        conn_max_age=600,
    )
    assert list(replicas) == ["replica_1", "replica_2"]
    assert replicas["replica_2"]["HOST"] == "replica-b"
    assert replicas["replica_1"]["CONN_MAX_AGE"] == 600
    assert replicas["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert routers.replica_databases("") == {}


def test_a_configured_replica_serves_reads_and_the_primary_the_rest(tmp_path):
    """Two SQLite files stand for a primary and a replica that has not caught up."""
    script = """
import django
django.setup()
from django.db import connections, transaction
from news.models import Category
from core import routers
for alias in ("default", "replica_1"):
    with connections[alias].schema_editor() as editor:
        editor.create_model(Category)
Category.objects.create(name="Chỉ có ở máy chính")
with transaction.atomic():
    in_transaction = Category.objects.count()
with routers.primary():
    pinned = Category.objects.count()
print(Category.objects.count(), in_transaction, pinned)
"""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URLS": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["0", "1", "1"]
