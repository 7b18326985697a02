import functools
import io
import os
import shutil
import tempfile

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# Real servers for tests that need them: a PostgreSQL to stop, the portal under gunicorn.
pytest_plugins = ["tests.servers"]


def pytest_configure(config):
    """Give the run a content version of its own.

    Without Redis the processes of one machine share the content version through files
    in DJANGO_CACHE_DIR (var/cache): a server running from the same checkout (make run)
    or another test run would change it under a test, and a test clearing the caches
    would clear theirs. Servers the tests start inherit the folder.
    """
    folder = tempfile.mkdtemp(prefix="portal-test-cache-")
    config.add_cleanup(functools.partial(shutil.rmtree, folder, ignore_errors=True))
    os.environ["DJANGO_CACHE_DIR"] = folder
    if "generation" in django_settings.CACHES:
        django_settings.CACHES["generation"]["LOCATION"] = folder
    if "counters" in django_settings.CACHES:
        django_settings.CACHES["counters"]["LOCATION"] = os.path.join(folder, "counters")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Static files come from the apps' folders: WhiteNoise would otherwise scan what
    # `make serve` collected (thousands of files) for every test client.
    settings.STATIC_ROOT = tmp_path / "static"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start each test with caches as a running site has them over an empty database.

    No stored page, remembered value or rate limit leaks from one test to the next (the
    database was rolled back under them).
    """
    # Every cache, not only this thread's: a live server's thread keeps its own handles,
    # and the shared counters outlive the tests that wrote them.
    for alias in django_settings.CACHES:
        caches[alias].clear()
    yield
    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def rendered_fresh(settings):
    """Turn the page cache off, to count what rendering a page costs."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def no_mail_server(settings):
    """The production set-up (a database queue, SMTP) with nothing listening for SMTP."""
    from tests.factories import closed_port

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    return settings


@pytest.fixture(scope="class")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run load_demo once for the tests of a class; roll it back after the last of them.

    Each test still runs in a transaction of its own inside this one, so what a test
    writes (load_demo again, an edit) is gone before the next.
    """
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
