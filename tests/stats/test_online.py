import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.test import RequestFactory

from stats import online

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
OTHER_BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
# 10:00 in Bắc Kạn, at the start of a 30-second bucket.
TEN = datetime.datetime(2025, 3, 25, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(params=["local", "redis"])
def shared_cache(request, settings):
    """Count with local memory, and with a real Redis server as several processes share it."""
    if request.param == "redis":
        url = os.environ.get("TEST_REDIS_URL")
        if not url:
            pytest.skip("TEST_REDIS_URL is not set: run through tests/with-redis.sh (make test)")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "portal",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


def reader(address="203.0.113.7", agent=BROWSER):
    return RequestFactory().post("/luot-xem/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def at(moment, **delta):
    return time_machine.travel(moment + datetime.timedelta(**delta), tick=False)


def test_a_reader_is_counted_once_however_many_pages_they_open(shared_cache):
    with at(TEN):
        for _ in range(5):
            online.seen(reader())
    with at(TEN, seconds=45):
        online.seen(reader())
    with at(TEN, minutes=2):
        online.seen(reader())
        assert online.count() == 1


def test_readers_are_told_apart_by_address_and_browser(shared_cache):
    with at(TEN):
        online.seen(reader("203.0.113.7"))
        online.seen(reader("203.0.113.8"))
        online.seen(reader("203.0.113.7", agent=OTHER_BROWSER))
        online.seen(reader("2001:db8::1"))
        assert online.count() == 4


def test_behind_proxies_the_reader_s_address_is_the_one_counted(shared_cache, settings):
    settings.NUM_PROXIES = 1
    with at(TEN):
        for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]:
            request = reader("10.0.0.1")  # the proxy
            request.META["HTTP_X_FORWARDED_FOR"] = address
            online.seen(request)
        assert online.count() == 3


def test_a_reader_is_online_for_five_minutes_after_their_last_page(shared_cache):
    with at(TEN, seconds=29):  # the end of a bucket: still counted five minutes later
        online.seen(reader())
    with at(TEN, minutes=5, seconds=29):
        assert online.count() == 1
    with at(TEN, minutes=5, seconds=30):
        assert online.count() == 0


def test_a_reader_who_comes_back_is_online_from_their_latest_page(shared_cache):
    with at(TEN):
        online.seen(reader())
        online.seen(reader("203.0.113.8"))
    with at(TEN, minutes=4):
        online.seen(reader())
        assert online.count() == 2
    with at(TEN, minutes=6):
        assert online.count() == 1
    with at(TEN, minutes=9):
        assert online.count() == 1
    with at(TEN, minutes=9, seconds=30):
        assert online.count() == 0
    with at(TEN, minutes=20):
        online.seen(reader())
        assert online.count() == 1


def test_the_name_of_a_reader_changes_every_day_and_hides_the_address(shared_cache):
    with at(TEN):
        today = online.visitor_key(reader())
        assert online.visitor_key(reader()) == today
    with at(TEN, days=1):
        assert online.visitor_key(reader()) != today
    assert "203.0.113.7" not in today
    assert len(today) == 32


def test_readers_seen_by_another_process_are_counted_here(shared_cache):
    if shared_cache != "redis":
        pytest.skip("Processes share only a shared cache: local memory is each process's own.")
    online.seen(reader("203.0.113.7"))
    # Another worker process receives the beacons of this reader and of another one.
    script = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from stats import online\n"
        f"agent = {BROWSER!r}\n"
        "for address in ['203.0.113.7', '203.0.113.9']:\n"
        "    online.seen(RequestFactory().post('/', REMOTE_ADDR=address, HTTP_USER_AGENT=agent))\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
    }
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    assert online.count() == 2


def test_a_cache_that_is_away_costs_the_count_not_the_page(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    online.seen(reader())
    assert online.count() is None
    logged = caplog.text
    assert "ConnectionError" in logged
    assert "203.0.113.7" not in logged
    assert online.visitor_key(reader()) not in logged
