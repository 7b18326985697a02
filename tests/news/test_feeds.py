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
    make_identity,
    make_photo,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 25, 8, 0, tzinfo=datetime.UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def test_rss_lists_published_news_with_absolute_links_lead_and_cover(client):
    make_identity()  # the union's name, as leaders entered it
    category = make_category(name="Công tác Đoàn")
    article = make_article(
        title="Tổng kết <năm> & định hướng",
        lead="Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị.",
        category=category,
        author_name="Ngọc Tú",
    )
    make_photo(article, caption="Ảnh không có tệp", with_file=False)
    cover = make_photo(article, caption="Ảnh bìa", position=1)
    channel, (item,) = rss_items(client, "/rss/")
    assert channel.findtext("title") == "Tỉnh đoàn Bắc Kạn"
    assert channel.findtext("language") == "vi"
    assert channel.findtext("link") == "http://testserver/"
    assert item.findtext("title") == "Tổng kết <năm> & định hướng"
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("description") == "Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị."
    assert item.findtext("category") == "Công tác Đoàn"
    # The largest rendition made of the photo when it was saved (JPEG for an opaque PNG).
    shown = cover.image.renditions[-1]["fallback"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"http://testserver/media/{shown}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == cover.image.file.storage.size(shown) > 0
    assert item.findtext("pubDate").endswith("+0700")


def test_atom_feed_is_valid_xml_with_the_same_entries(client):
    article = make_article(title="Tin Atom")
    response = client.get("/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Tin Atom"
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}summary") == article.lead


def test_category_feeds_hold_only_their_category(client):
    make_identity()  # the union's name, as leaders entered it
    youth, children = make_category(name="Thanh niên"), make_category(name="Thiếu nhi")
    make_article(title="Tin thanh niên", category=youth)
    make_article(title="Tin thiếu nhi", category=children)
    channel, items = rss_items(client, f"/chuyen-muc/{youth.slug}/rss/")
    assert [item.findtext("title") for item in items] == ["Tin thanh niên"]
    assert channel.findtext("title") == "Thanh niên · Tỉnh đoàn Bắc Kạn"
    atom = ET.fromstring(client.get(f"/chuyen-muc/{children.slug}/atom/").content)
    assert [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")] == [
        "Tin thiếu nhi"
    ]
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("stage", HIDDEN_STAGES)
@pytest.mark.parametrize("url", ["/rss/", "/atom/", "/chuyen-muc/{slug}/rss/"])
def test_articles_readers_may_not_see_are_in_no_feed(client, stage, url):
    category = make_category()
    make_article_at(Stage.LIVE, NOW, title="Tin công khai", category=category)
    make_article_at(Stage(stage), NOW, title="Tin ẩn", category=category)
    content = client.get(url.format(slug=category.slug)).content.decode()
    assert "Tin công khai" in content
    assert "Tin ẩn" not in content


def test_pages_link_their_feeds(client):
    category = make_category()
    page = client.get(category.get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert f'href="/chuyen-muc/{category.slug}/rss/"' in page
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/rss/"' in footer
    assert 'href="/atom/"' in footer
