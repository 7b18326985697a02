"""The portal's middleware: Content-Security-Policy, and a 503 page while the database is away."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import InterfaceError, OperationalError

from news import views as news_views
from news.models import Article
from tests.factories import admin_url, make_article, make_user
from tests.servers import run_once

# --- Content-Security-Policy -------------------------------------------------


def policy(response):
    return dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in response["Content-Security-Policy"].split("; ")
    )


@pytest.mark.django_db
def test_public_pages_get_a_strict_policy_without_a_nonce(client):
    article = make_article()
    for path in ["/", "/tin-tuc/", article.get_absolute_url(), "/xa-ho-tro/"]:
        directives = policy(client.get(path))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "nonce" not in client.get(path)["Content-Security-Policy"]


@pytest.mark.django_db
def test_public_policy_is_the_same_on_every_response_so_pages_can_be_cached(client):
    article = make_article()
    first = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert client.get(article.get_absolute_url())["Content-Security-Policy"] == first


@pytest.mark.django_db
def test_public_pages_carry_no_inline_script_or_event_handler(client):
    article = make_article()
    for path in ["/", "/tin-tuc/", article.get_absolute_url(), "/xa-ho-tro/"]:
        html = client.get(path).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/ld+json"' in opening, path
        assert " onclick=" not in html and " onload=" not in html


@pytest.mark.django_db
def test_admin_pages_keep_the_strict_policy_except_where_ckeditor_runs(client):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(make_user("publisher"))
    assert policy(client.get(admin_url("changelist")))["script-src"] == "'self'"
    for url in [admin_url("add"), admin_url("change", article.pk)]:
        directives = policy(client.get(url))
        assert directives["script-src"] == "'self' 'unsafe-inline'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'self'"


# --- The database away -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        OperationalError("database is locked"),
        InterfaceError("connection already closed"),
    ],
)
def test_readers_get_a_vietnamese_503_page_with_retry_after(client, monkeypatch, error):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(news_views.ArticleListView, "get_queryset", fail)
    response = client.get("/tin-tuc/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "Cổng thông tin tạm thời gián đoạn" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_not_hidden_behind_the_503_page(client, monkeypatch):
    monkeypatch.setattr(
        news_views.ArticleListView, "get_queryset", lambda self: 1 / 0, raising=True
    )
    with pytest.raises(ZeroDivisionError):
        client.get("/tin-tuc/")


def test_a_restarted_or_stopped_postgresql_never_gives_a_500(postgres_server, portal_server):
    postgres_server.migrate()
    # Every request reaches the database: no stored page answers for it.
    portal = portal_server(
        DATABASE_URL=postgres_server.url, DJANGO_CONN_MAX_AGE="600", DJANGO_PAGE_CACHE="0"
    )
    assert portal.get("/tin-tuc/")[0] == 200

    # Restarted between two requests: the kept connection is found dead and replaced.
    postgres_server.stop()
    postgres_server.start()
    assert portal.get("/tin-tuc/")[0] == 200

    # Away: readers get the 503 page, the readiness check fails, liveness still answers.
    postgres_server.stop()
    status, headers, text = portal.get("/tin-tuc/")
    assert (status, headers["Retry-After"]) == (503, "30")
    assert "Cổng thông tin tạm thời gián đoạn" in text
    assert portal.get("/readyz")[0] == 503
    assert portal.get("/healthz")[:3:2] == (200, "ok")

    # Back: the portal recovers by itself, from the first request on.
    postgres_server.start()
    assert portal.get("/tin-tuc/")[0] == 200
    assert portal.get("/readyz")[0] == 200


def test_a_database_that_never_answers_fails_fast_instead_of_holding_the_worker(portal_server):
    # A port that takes the connection and then says nothing, like a hung server.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        portal = portal_server(
            DATABASE_URL=f"postgres://portal@127.0.0.1:{port}/portal",
            DJANGO_DB_CONNECT_TIMEOUT="2",
        )
        status, headers, _ = portal.get("/tin-tuc/", timeout=15)
        assert (status, headers["Retry-After"]) == (503, "30")
        assert portal.get("/healthz", timeout=5)[0] == 200


def timed(portal, path):
    started = time.monotonic()
    status, headers, text = portal.get(path, timeout=30)
    return status, time.monotonic() - started, text


@run_once
def test_a_hung_postgresql_is_answered_with_503_within_seconds_and_stored_pages_still_fly(
    postgres_server, portal_server, tmp_path
):
    postgres_server.migrate()
    portal = portal_server(
        threads=4, DATABASE_URL=postgres_server.url, DJANGO_CONN_MAX_AGE="600",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )  # fmt: skip
    # The connections are open and kept; the home page is stored.
    for path in ["/", "/", "/api/v1/categories"]:
        assert portal.get(path)[0] == 200
    assert portal.get("/")[1]["X-Cache"] == "HIT"

    postgres_server.hang()
    try:
        # Eight readers at once on pages that need the database, on four threads.
        paths = [f"/tin-tuc/bai-{number}/" for number in range(6)] + ["/api/v1/categories"] * 2
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda path: timed(portal, path), paths))
        assert [(status, seconds < 5.5) for status, seconds, _ in answers] == [(503, True)] * 8
        assert any("Cổng thông tin tạm thời gián đoạn" in text for _, _, text in answers)
        # Meanwhile stored pages and liveness answer at once; readiness says why not.
        for path in ["/", "/healthz"]:
            status, seconds, _ = timed(portal, path)
            assert status == 200 and seconds < 0.5
        status, seconds, text = timed(portal, "/readyz")
        assert (status, text) == (503, "database not answering") and seconds < 0.5
        # The next reader is not kept waiting again.
        status, seconds, _ = timed(portal, "/tin-tuc/bai-sau/")
        assert status == 503 and seconds < 0.5
    finally:
        postgres_server.resume()

    # Continued: the portal asks again after a few seconds and recovers by itself.
    deadline = time.monotonic() + 15
    while portal.get("/readyz")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert portal.get("/readyz")[0] == 200
    assert portal.get("/api/v1/categories")[0] == 200


# --- What no view can take ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tim-kiem/?q=a%00b", "/api/v1/articles?category=%00", "/a%00/"])
def test_a_nul_character_gets_the_bad_request_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Không đọc được yêu cầu" in response.content.decode()
