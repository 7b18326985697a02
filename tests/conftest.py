import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start each test with a cache as a running site has it over an empty database.

    Nothing (rate limits, the identity) leaks from one test to the next. The
    blank identity is there already, as it would be after the first page, so
    that page query budgets count the page's own queries; tests/about measure
    the identity's queries with a cold cache.
    """
    from about.identity import CACHE_KEY, blank_identity

    cache.clear()
    cache.set(CACHE_KEY, blank_identity())
    yield
    cache.clear()
