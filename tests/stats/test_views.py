import datetime

import pytest
import time_machine

from news.models import Article
from stats.models import ArticleDay, SiteDay
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
# 23:30 on 24 March in UTC is already 25 March in Bắc Kạn.
LATE = datetime.datetime(2025, 3, 24, 23, 30, tzinfo=datetime.UTC)


def beacon(client, article=None, agent=BROWSER, origin="http://testserver", **headers):
    data = {"article": str(article.pk) if article else ""}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post("/luot-xem/", data, HTTP_USER_AGENT=agent, **headers)


@time_machine.travel(LATE, tick=False)
def test_a_view_counts_for_the_article_and_the_site_on_vietnam_s_day(client):
    article = make_article()
    for _ in range(3):
        assert beacon(client, article).status_code == 204
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


def test_a_view_is_one_update_once_the_day_s_row_exists(client, django_assert_num_queries):
    article = make_article()
    beacon(client, article)
    # Is the article published? Then one UPDATE for the site, one for the article.
    with django_assert_num_queries(3):
        beacon(client, article)
    assert ArticleDay.objects.get().views == 2
