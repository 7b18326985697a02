import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Start each test with no stored page: the database was rolled back under them."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def rendered_fresh(settings):
    """Turn the page cache off, to count what rendering a page costs."""
    settings.PAGE_CACHE_ENABLED = False
