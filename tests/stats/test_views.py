import datetime
import logging

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory

from news.models import Article
from stats import online
from stats.models import ArticleDay, SiteDay
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
# 23:30 on 24 March in UTC is already 25 March in Bắc Kạn.
LATE = datetime.datetime(2025, 3, 24, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _written_at_once(settings):
    """Write each view as it is counted, so that a test reads it in the database."""
    settings.STATS_FLUSH_SECONDS = 0


def beacon(client, article=None, agent=BROWSER, origin="http://testserver", **headers):
    data = {"article": str(article.pk) if article else ""}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post("/luot-xem/", data, HTTP_USER_AGENT=agent, **headers)


@time_machine.travel(LATE, tick=False)
def test_a_view_counts_for_the_article_and_the_site_on_vietnam_s_day(client):
    article = make_article()
    for number in range(3):
        assert beacon(client, article, REMOTE_ADDR=f"203.0.113.{number}").status_code == 204
    assert beacon(client).status_code == 204
    (row,) = ArticleDay.objects.all()
    assert (row.article, row.day, row.views) == (article, datetime.date(2025, 3, 25), 3)
    assert SiteDay.objects.get().views == 4
    assert SiteDay.objects.totals() == {"today": 4, "total": 4}


def test_nothing_about_the_reader_is_kept(client):
    article = make_article()
    response = beacon(client, article, REMOTE_ADDR="203.0.113.7")
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]
    stored = [repr(row.__dict__) for row in [*ArticleDay.objects.all(), *SiteDay.objects.all()]]
    assert not any("203.0.113.7" in text or "Mozilla" in text for text in stored)


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/131.0",
    ],
)
def test_obvious_bots_are_not_counted(client, agent):
    article = make_article()
    assert beacon(client, article, agent=agent).status_code == 204
    assert ArticleDay.objects.count() == 0
    assert SiteDay.objects.count() == 0


@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [("https://evil.example", None), (None, None), (None, "cross-site"), ("null", None)],
)
def test_only_this_site_s_pages_may_report_views(client, origin, fetch_site):
    article = make_article()
    headers = {"HTTP_SEC_FETCH_SITE": fetch_site} if fetch_site else {}
    assert beacon(client, article, origin=origin, **headers).status_code == 403
    assert ArticleDay.objects.count() == SiteDay.objects.count() == 0


def test_same_origin_fetch_metadata_is_enough(client):
    article = make_article()
    response = beacon(client, article, origin=None, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 204
    assert ArticleDay.objects.get().views == 1


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "1 OR 1=1", "9" * 40, "999999"])
def test_only_a_published_article_id_is_accepted(client, value):
    make_article()
    response = client.post(
        "/luot-xem/", {"article": value}, HTTP_USER_AGENT=BROWSER, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 400
    assert ArticleDay.objects.count() == SiteDay.objects.count() == 0


def test_a_draft_is_not_counted(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert beacon(client, draft).status_code == 400


def test_the_beacon_takes_only_post(client):
    assert client.get("/luot-xem/").status_code == 405


@time_machine.travel(LATE, tick=False)
def test_a_reader_counts_once_a_day_for_an_article_and_for_every_page(client):
    article, other = make_article(), make_article()
    for _ in range(5):
        beacon(client, article, REMOTE_ADDR="203.0.113.7")
    beacon(client, other, REMOTE_ADDR="203.0.113.7")
    beacon(client, article, REMOTE_ADDR="203.0.113.8")  # another reader
    assert ArticleDay.objects.get(article=article).views == 2
    assert ArticleDay.objects.get(article=other).views == 1
    assert SiteDay.objects.get().views == 7  # page views: every one
    with time_machine.travel(LATE + datetime.timedelta(days=1), tick=False):
        beacon(client, article, REMOTE_ADDR="203.0.113.7")  # the next day counts again
    assert [row.views for row in ArticleDay.objects.filter(article=article).order_by("-day")] == [
        1,
        2,
    ]


def test_one_address_cannot_buy_an_article_a_place_among_the_most_read(client, monkeypatch):
    monkeypatch.setattr("stats.counting.ARTICLE_VIEWS_PER_ADDRESS", 3)
    monkeypatch.setattr("stats.counting.PAGE_VIEWS_PER_ADDRESS", 5)
    article = make_article()
    # A script that changes its User-Agent at every post is a new reader each time.
    for number in range(10):
        beacon(client, article, agent=f"{BROWSER} {number}", REMOTE_ADDR="203.0.113.7")
    assert ArticleDay.objects.get().views == 3
    assert SiteDay.objects.get().views == 5
    beacon(client, article, REMOTE_ADDR="203.0.113.9")  # other addresses still count
    assert ArticleDay.objects.get().views == 4


def test_views_are_written_in_batches_not_one_write_a_beacon(
    client, settings, django_assert_num_queries
):
    settings.STATS_FLUSH_SECONDS = 3600
    articles = [make_article(), make_article()]
    beacon(client, articles[0])  # the first may write what the process counted before
    with django_assert_num_queries(20):  # each beacon: is the article published? Nothing else.
        for number in range(20):
            beacon(client, articles[number % 2], REMOTE_ADDR=f"203.0.113.{number}")
    settings.STATS_FLUSH_SECONDS = 0
    beacon(client, REMOTE_ADDR="198.51.100.1")  # due: everything is written at once
    assert sorted(ArticleDay.objects.values_list("views", flat=True)) == [10, 11]
    assert SiteDay.objects.get().views == 22


def test_a_reader_s_views_make_them_online_once(client):
    article = make_article()
    for _ in range(3):
        beacon(client, article, REMOTE_ADDR="203.0.113.7")
    beacon(client, REMOTE_ADDR="203.0.113.8")
    assert client.get("/luot-xem/thong-ke/").json()["online"] == 2


@pytest.mark.parametrize(
    "agent", ["", "Googlebot/2.1", "curl/8.5.0", "Mozilla/5.0 HeadlessChrome/131"]
)
def test_bots_are_not_online(client, agent):
    beacon(client, agent=agent)
    assert client.get("/luot-xem/thong-ke/").json() == {"online": 0, "today": 0, "total": 0}


def test_a_refused_report_makes_nobody_online(client):
    beacon(client, origin="https://evil.example")
    client.post("/luot-xem/", {"article": "abc"}, HTTP_USER_AGENT=BROWSER, HTTP_ORIGIN=ORIGIN)
    assert client.get("/luot-xem/thong-ke/").json()["online"] == 0


def test_nothing_that_names_a_reader_reaches_the_database_or_the_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    article = make_article()
    beacon(client, article, REMOTE_ADDR="203.0.113.7")
    beacon(client, REMOTE_ADDR="203.0.113.7")
    reader = RequestFactory().post("/luot-xem/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER)
    hashed = online.visitor_key(reader)
    assert client.get("/luot-xem/thong-ke/").json()["online"] == 1  # the cache knows them
    stored = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            stored.extend(repr(row) for row in cursor.fetchall())
    assert any("Tỉnh đoàn tổ chức" in row for row in stored)  # the dump does hold the content
    for text in ["\n".join(stored), caplog.text]:
        assert "203.0.113.7" not in text
        assert "Android 14" not in text
        assert hashed not in text


@time_machine.travel(LATE, tick=False)
def test_the_figures_are_views_today_and_ever_and_readers_online(client):
    SiteDay.objects.create(day=datetime.date(2025, 3, 24), views=1_234_560)
    beacon(client, make_article(), REMOTE_ADDR="203.0.113.7")
    beacon(client, REMOTE_ADDR="203.0.113.8")
    response = client.get("/luot-xem/thong-ke/")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"online": 2, "today": 2, "total": 1_234_562}


def test_the_figures_are_computed_once_in_thirty_seconds(client, django_assert_num_queries):
    start = datetime.datetime(2025, 3, 25, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        beacon(client)
        # The day's views and all views: one query; readers online come from the cache.
        with django_assert_num_queries(1):
            first = client.get("/luot-xem/thong-ke/")
        assert first.json()["today"] == 1
        beacon(client)
    later = start + datetime.timedelta(seconds=29)
    with time_machine.travel(later, tick=False), django_assert_num_queries(0):
        assert client.get("/luot-xem/thong-ke/").json()["today"] == 1
    later = start + datetime.timedelta(seconds=31)
    with time_machine.travel(later, tick=False), django_assert_num_queries(1):
        assert client.get("/luot-xem/thong-ke/").json()["today"] == 2


def test_the_figures_may_be_kept_thirty_seconds_but_never_by_the_page_cache(client):
    beacon(client)
    response = client.get("/luot-xem/thong-ke/")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=30"}
    assert "X-Cache" not in response  # core/cache.py neither stores nor serves it
    assert response.cookies == {}
    assert client.head("/luot-xem/thong-ke/").status_code == 200
    assert client.post("/luot-xem/thong-ke/").status_code == 405


def test_every_page_has_the_statistics_block_waiting_for_its_figures(client):
    page = client.get("/").content.decode()
    block = page[page.index('<section class="footer-stats"') :]
    block = block[: block.index("</section>")]
    assert 'data-stats-url="/luot-xem/thong-ke/"' in block
    assert "Thống kê truy cập" in block
    for label, name in [("Đang truy cập", "online"), ("Hôm nay", "today")]:
        assert f'<dt>{label}</dt><dd data-stat="{name}">–</dd>' in block
    assert '<dt>Tổng lượt truy cập</dt><dd data-stat="total">–</dd>' in block


def test_without_the_cache_views_are_counted_and_the_figures_still_shown(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    settings.PAGE_CACHE_ENABLED = False
    assert beacon(client).status_code == 204
    response = client.get("/luot-xem/thong-ke/")
    assert response.status_code == 200
    assert response.json() == {"online": None, "today": 1, "total": 1}
