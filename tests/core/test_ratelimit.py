from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.test import RequestFactory

from core.ratelimit import RateLimit, client_address, client_key
from tests.servers import run_once


def request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "203.0.113.9"),
        (1, None, "203.0.113.9"),
        (1, "198.51.100.4", "198.51.100.4"),
        (1, "6.6.6.6, 198.51.100.4", "198.51.100.4"),
        (2, "6.6.6.6, 198.51.100.4, 10.0.0.2", "198.51.100.4"),
        (3, "198.51.100.4", "198.51.100.4"),
    ],
)
def test_the_client_is_found_behind_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    assert client_address(request(forwarded=forwarded)) == expected


def test_the_client_key_hides_the_address(settings):
    settings.NUM_PROXIES = 0
    key = client_key(request())
    assert "203" not in key and len(key) == 32
    assert key == client_key(request())
    assert key != client_key(request(remote="203.0.113.10"))


def test_a_limit_counts_per_name_and_resets_with_the_window():
    limit = RateLimit("test", 2, 3600)
    with time_machine.travel("2026-03-05 08:10 +07:00", tick=False) as clock:
        assert limit.hit("a") and limit.hit("a")
        assert limit.exceeded("a")
        assert not limit.hit("a")
        assert not limit.exceeded("b")
        clock.shift(3600)
        assert not limit.exceeded("a")
        assert limit.hit("a")


def test_events_counted_at_once_from_many_threads_let_exactly_the_limit_through():
    limit = RateLimit("test-threads", 10, 3600)
    with ThreadPoolExecutor(8) as pool:
        allowed = list(pool.map(lambda _: limit.hit("a"), range(40)))
    assert allowed.count(True) == 10


@run_once
def test_a_limit_holds_across_worker_processes_and_their_recycling(
    sqlite_database, portal_server, tmp_path
):
    # Three workers, each recycled after four requests: a limit kept in a worker's memory
    # would let through twelve per worker and start again at each recycling.
    portal = portal_server(
        workers=3, threads=2, args=["--max-requests", "4", "--max-requests-jitter", "0"],
        DATABASE_URL=sqlite_database, DJANGO_API_RATE="12/h",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )  # fmt: skip
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda _: portal.get("/api/v1/categories")[0], range(40)))
    assert statuses.count(200) == 12
    assert statuses.count(429) == 28
    assert portal.log_text().count("Autorestarting worker") >= 5
