import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine

from news.models import Stage
from tests.factories import (
    HIDDEN_STAGES,
    make_article,
    make_article_at,
    make_category,
    make_commune,
    make_identity,
    make_program,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 25, 8, 0, tzinfo=datetime.UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        element.findtext(f"{SITEMAP}loc"): element.findtext(f"{SITEMAP}lastmod") for element in root
    }


def all_urls(client):
    urls = {}
    for section in locations(client, "/sitemap.xml"):
        urls.update(locations(client, section))
    return urls


@time_machine.travel(NOW, tick=False)
def test_the_sitemap_lists_every_public_page_with_its_last_change(client):
    category = make_category(name="Công tác Đoàn")
    program = make_program(2022)
    commune = make_commune(name="Hiệp Lực")
    article = make_article(
        title="Tin xã", category=category, published_at=NOW - datetime.timedelta(days=2)
    )
    program.articles.add(article)
    commune.articles.add(article)
    assert set(locations(client, "/sitemap.xml")) == {
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "articles", "categories", "programs", "communes", "documents")
    }
    urls = all_urls(client)
    assert urls[f"http://testserver{article.get_absolute_url()}"] == "2025-03-25"
    assert urls[f"http://testserver{category.get_absolute_url()}"] == "2025-03-23"
    assert urls[f"http://testserver{program.get_absolute_url()}"] == "2025-03-23"
    assert urls[f"http://testserver{commune.get_absolute_url()}"] == "2025-03-23"
    for page in ("/", "/tin-tuc/", "/xa-ho-tro/", "/doc-nhieu/"):
        assert f"http://testserver{page}" in urls


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("stage", HIDDEN_STAGES)
def test_articles_readers_may_not_see_are_in_no_sitemap(client, stage):
    shown = make_article_at(Stage.LIVE, NOW, title="Tin công khai")
    hidden = make_article_at(Stage(stage), NOW, title="Tin ẩn")
    urls = all_urls(client)
    assert f"http://testserver{shown.get_absolute_url()}" in urls
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    news = client.get("/sitemap-tin-moi.xml").content.decode()
    assert shown.get_absolute_url() in news
    assert hidden.get_absolute_url() not in news


@time_machine.travel(NOW, tick=False)
def test_the_google_news_sitemap_holds_the_last_48_hours(client):
    make_identity()  # the union's name, as leaders entered it
    fresh = make_article(title="Tin <mới> & nóng", published_at=NOW - datetime.timedelta(hours=47))
    make_article(title="Tin cũ", published_at=NOW - datetime.timedelta(hours=49))
    response = client.get("/sitemap-tin-moi.xml")
    root = ET.fromstring(response.content)
    (url,) = root.findall(f"{SITEMAP}url")
    assert url.findtext(f"{SITEMAP}loc") == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Tỉnh đoàn Bắc Kạn"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert news.findtext(f"{NEWS}publication_date") == "2025-03-23T16:00:00+07:00"
    assert news.findtext(f"{NEWS}title") == "Tin <mới> & nóng"


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/xem-truoc/", "/luot-xem/"):
        assert f"Disallow: {path}" in lines
    # Search results are kept out of the index by their noindex, which crawlers must read.
    assert not any(line.startswith("Disallow: /tim-kiem") for line in lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-tin-moi.xml" in lines
