import datetime
import html
import json
import re
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import reversion
import time_machine
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from core import workflow
from news.models import Article
from stats.models import ArticleDay
from tests.factories import (
    ARTICLE_QUERIES,
    CATEGORY_QUERIES,
    COUNT_QUERIES,
    HOME_QUERIES,
    IDENTITY_QUERIES,
    LINKED_RELATED_QUERIES,
    LIST_QUERIES,
    NEWEST_QUERIES,
    NEXT_MOMENT_QUERIES,
    REFERENCE_ARTICLE,
    image_upload,
    make_article,
    make_category,
    make_commune,
    make_identity,
    make_image,
    make_intro_page,
    make_photo,
    make_program,
    make_support,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND = "Không tìm thấy trang"
PUBLIC_PAGES = ["/", "/tin-tuc/", "/tin-tuc/{article}/", "/chuyen-muc/{category}/"]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def make_articles(number, **fields):
    """Create published articles, the newest first in the returned list."""
    return [
        make_article(title=f"Tin số {index}", published_at=ago(hours=index + 1), **fields)
        for index in range(number)
    ]


def titles_on(response):
    """Return the article titles listed on a page (cards and other-news links), in order."""
    return re.findall(r'<a href="/tin-tuc/[^"]+/">([^<]+)</a>', response.content.decode())


def get_page(client, template, article=None, category=None):
    url = template.format(
        article=article.slug if article else "", category=category.slug if category else ""
    )
    return client.get(url)


def assert_not_found(response):
    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_FOUND in page
    assert '<html lang="vi">' in page
    assert 'href="/"' in page


# Home


def test_home_shows_featured_and_latest_news(client):
    category = make_category(name="Phong trào tình nguyện")
    featured = make_article(title="Tin nổi bật", featured=True, published_at=ago(days=3))
    latest = make_articles(11, category=category)
    response = client.get("/")
    page = response.content.decode()
    featured_block = page[page.index('id="featured-heading"') : page.index('id="latest-heading"')]
    latest_block = page[page.index('id="latest-heading"') : page.index('id="most-read-heading"')]
    assert "Tin nổi bật" in featured_block
    assert "Tin số 0" not in featured_block
    # Ten latest, newest first; the eleventh and the older featured one wait on /tin-tuc/.
    assert titles_on_block(latest_block) == [article.title for article in latest[:10]]
    assert featured.title not in latest_block
    assert "Phong trào tình nguyện" in latest_block
    assert 'href="/tin-tuc/"' in latest_block


def titles_on_block(html):
    return re.findall(r'<a href="/tin-tuc/[^"]+/">([^<]+)</a>', html)


def test_home_without_news_says_so(client):
    page = client.get("/").content.decode()
    assert "Tin nổi bật" not in page
    assert 'id="featured-heading"' not in page
    assert "Chưa có tin bài." in page


def test_home_shows_at_most_four_featured_articles(client):
    for index in range(6):
        make_article(title=f"Nổi bật {index}", featured=True, published_at=ago(hours=index + 1))
    page = client.get("/").content.decode()
    block = page[page.index('id="featured-heading"') : page.index('id="latest-heading"')]
    assert titles_on_block(block) == [f"Nổi bật {index}" for index in range(4)]


# News list and pagination


def test_news_list_is_newest_first_and_paginated(client):
    articles = make_articles(13)
    first = client.get("/tin-tuc/")
    assert titles_on(first) == [article.title for article in articles[:12]]
    assert "Trang 1 / 2" in first.content.decode()
    assert '<a rel="next" href="?page=2">Tin cũ hơn</a>' in first.content.decode()
    second = client.get("/tin-tuc/", {"page": "2"})
    assert titles_on(second) == ["Tin số 12"]
    assert '<a rel="prev" href="?page=1">Tin mới hơn</a>' in second.content.decode()
    assert "Trang 2 / 2" in second.content.decode()


def test_news_list_date_is_day_first_in_vietnam_time(client):
    # 20:00 UTC on 11 January is already 12 January in Bắc Kạn.
    make_article(published_at=datetime.datetime(2023, 1, 11, 20, 0, tzinfo=datetime.UTC))
    page = client.get("/tin-tuc/").content.decode()
    assert ">12/01/2023</time>" in page


@pytest.mark.parametrize(
    ("page", "status", "shown"),
    [
        ("", 200, "Tin số 0"),
        ("1", 200, "Tin số 0"),
        ("2", 200, "Tin số 12"),
        ("last", 200, "Tin số 12"),
        ("abc", 404, None),
        ("99999", 404, None),
        ("9" * 40, 404, None),
        ("-1", 404, None),
        ("0", 404, None),
        ("1.5", 404, None),
        ("1e3", 404, None),
        ("2; DROP TABLE news_article", 404, None),
        ("<script>", 404, None),
    ],
)
@pytest.mark.parametrize("url", ["/tin-tuc/", "/chuyen-muc/{category}/"])
def test_bad_page_numbers_give_a_page_or_a_404_never_a_500(client, url, page, status, shown):
    category = make_category()
    make_articles(13, category=category)
    response = client.get(url.format(category=category.slug), {"page": page})
    assert response.status_code == status
    if shown:
        assert shown in titles_on(response)
    else:
        assert_not_found(response)
        assert "<script>" not in response.content.decode()


def test_home_ignores_a_page_parameter(client):
    make_articles(2)
    response = client.get("/", {"page": "abc"})
    assert response.status_code == 200
    assert "Tin số 0" in titles_on(response)


# Category page


def test_category_page_lists_its_published_news_newest_first(client):
    category = make_category(name="Công tác Đoàn", description="Tin hoạt động các cơ sở đoàn.")
    other = make_category(name="Thiếu nhi")
    older = make_article(title="Tin cũ", category=category, published_at=ago(days=2))
    newer = make_article(title="Tin mới", category=category, published_at=ago(days=1))
    make_article(title="Tin thiếu nhi", category=other)
    make_article(title="Bản nháp", category=category, status=Article.Status.DRAFT)
    response = client.get("/chuyen-muc/cong-tac-doan/")
    page = response.content.decode()
    assert "<h1>Công tác Đoàn</h1>" in page
    assert "Tin hoạt động các cơ sở đoàn." in page
    assert titles_on(response) == [newer.title, older.title]


def test_category_page_is_paginated(client):
    category = make_category()
    make_articles(13, category=category)
    assert len(titles_on(client.get(f"/chuyen-muc/{category.slug}/"))) == 12
    assert titles_on(client.get(f"/chuyen-muc/{category.slug}/", {"page": 2})) == ["Tin số 12"]


def test_empty_category_says_so(client):
    category = make_category()
    page = client.get(category.get_absolute_url()).content.decode()
    assert "Chuyên mục này chưa có tin bài." in page


def test_categories_are_in_the_menu(client):
    make_category(name="Công tác Đoàn", order=2)
    make_category(name="Thiếu nhi", order=1)
    page = client.get("/").content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert nav.index("Thiếu nhi") < nav.index("Công tác Đoàn")
    assert 'href="/chuyen-muc/cong-tac-doan/"' in nav


# Article page


@pytest.fixture
def article():
    category = make_category(name="Công tác Đoàn")
    return make_article(
        title="Tổng kết công tác Đoàn năm 2022",
        lead="Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị tổng kết.",
        body="<p>Đoạn một.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>",
        author_name="Ngọc Tú",
        category=category,
        published_at=datetime.datetime(2023, 1, 11, 20, 0, tzinfo=datetime.UTC),
    )


def test_article_page_shows_date_title_lead_body_and_byline(client, article):
    response = client.get("/tin-tuc/tong-ket-cong-tac-doan-nam-2022/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<time datetime="2023-01-12T03:00:00+07:00">12/01/2023</time>' in page
    assert "<h1>Tổng kết công tác Đoàn năm 2022</h1>" in page
    assert "<title>Tổng kết công tác Đoàn năm 2022 ·" in page
    assert '<p class="lead">Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị tổng kết.</p>' in page
    assert 'href="/chuyen-muc/cong-tac-doan/">Công tác Đoàn</a>' in page
    order = [
        page.index(text)
        for text in (
            "<h1>",
            'class="lead"',
            "<p>Đoạn một.</p>",
            "<p>Đoạn ba.</p>",
            '<p class="byline">Ngọc Tú</p>',
            "</article>",
        )
    ]
    assert order == sorted(order)


def test_article_without_byline_prints_no_empty_byline(client, article):
    article.author_name = ""
    article.save()
    assert 'class="byline"' not in client.get(article.get_absolute_url()).content.decode()


def test_photos_stand_where_they_were_placed(client, article):
    make_photo(article, caption="Ảnh dưới sapo", position=0)
    make_photo(article, caption="Ảnh thứ hai sau đoạn hai", position=2, order=1)
    make_photo(article, caption="Ảnh thứ nhất sau đoạn hai", position=2, order=0)
    make_photo(article, caption="Ảnh cuối bài", position=9, credit="Thu Hà")
    page = client.get(article.get_absolute_url()).content.decode()
    order = [
        page.index(text)
        for text in (
            'class="lead"',
            "Ảnh dưới sapo</figcaption>",
            "<p>Đoạn một.</p>",
            "<p>Đoạn hai.</p>",
            "Ảnh thứ nhất sau đoạn hai</figcaption>",
            "Ảnh thứ hai sau đoạn hai</figcaption>",
            "<p>Đoạn ba.</p>",
            "Ảnh cuối bài",
            'class="byline"',
        )
    ]
    assert order == sorted(order)
    assert page.count("<figure") == 4
    assert '<span class="credit">(Ảnh: Thu Hà)</span>' in page


def test_a_photo_stands_after_the_paragraph_readers_count_to(client, article):
    article.body = (
        "<p>&nbsp;</p><p>Đoạn một.</p><p><br></p>"
        '<figure class="image"><img src="https://example.org/a.jpg" alt="Ảnh">'
        "<figcaption>Ảnh trong bài</figcaption></figure>"
        "<h2>Tiêu đề nhỏ</h2><p>Đoạn hai.</p><p>Đoạn ba.</p><p>Đoạn bốn.</p>"
    )
    article.save()
    make_photo(article, caption="Ảnh ở vị trí 3", position=3)

    page = client.get(article.get_absolute_url()).content.decode()

    # CKEditor's empty lines were dropped when it was saved.
    assert "&nbsp;" not in article.body and "<p><br></p>" not in article.body
    order = [
        page.index(text)
        for text in ("<p>Đoạn ba.</p>", "Ảnh ở vị trí 3</figcaption>", "<p>Đoạn bốn.</p>")
    ]
    assert order == sorted(order)


def test_photo_markup_is_a_figure_with_a_picture_alt_text_and_caption(client, article):
    photo = make_photo(article, caption="Bí thư Tỉnh đoàn chủ trì Hội nghị", alt_text="")
    make_photo(
        article, caption="Đại biểu thảo luận", alt_text="Một đại biểu đứng phát biểu", position=1
    )
    page = client.get(article.get_absolute_url()).content.decode()
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>", page, re.S)
    assert len(figures) == 2
    first, second = figures
    (rendition,) = photo.image.renditions  # a 64 px image is never enlarged
    assert re.search(
        rf'^\s*<picture><source type="image/webp" srcset="/media/{re.escape(rendition["webp"])} '
        rf'64w"[^>]*><img src="/media/{re.escape(rendition["fallback"])}"[^>]* alt="Bí thư Tỉnh '
        r'đoàn chủ trì Hội nghị" width="64" height="48" loading="eager"[^>]*></picture>\s*'
        r"<figcaption>Bí thư Tỉnh đoàn chủ trì Hội nghị</figcaption>\s*$",
        first,
    )
    assert 'alt="Một đại biểu đứng phát biểu"' in second
    assert 'loading="lazy"' in second


def test_library_images_in_the_body_are_served_as_renditions(client):
    opening = make_image(image_upload(size=(1000, 500)), alt_text="Lễ ra quân")
    later = make_image(image_upload(size=(900, 600)))
    # As CKEditor's image button puts them: the largest rendition's address; and one put in
    # by the original's address (an older body). Another site's image stays as written.
    article = make_article(
        body=(
            f'<figure class="image"><img src="{opening.url}" alt="Đoàn viên xếp hàng">'
            "<figcaption>Ra quân</figcaption></figure><p>Đoạn một.</p>"
            f'<p><img src="{later.file.url}" alt=""></p>'
            '<p><img src="https://example.org/anh.jpg" alt="Ảnh ngoài"></p>'
        )
    )
    page = client.get(article.get_absolute_url()).content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) == 2
    first, second = pictures
    webp = ", ".join(
        f"/media/{rendition['webp']} {rendition['width']}w" for rendition in opening.renditions
    )
    assert f'<source type="image/webp" srcset="{webp}"' in first
    assert [rendition["width"] for rendition in opening.renditions] == [480, 800, 1000]
    assert 'alt="Đoàn viên xếp hàng" width="1000" height="500" loading="eager"' in first
    assert 'alt="" width="900" height="600" loading="lazy"' in second
    assert '<img src="https://example.org/anh.jpg" alt="Ảnh ngoài">' in page
    assert later.file.url not in page


def test_a_body_keeps_its_library_images_when_their_renditions_change(client, monkeypatch):
    image = make_image(image_upload(size=(1000, 500)))
    article = make_article(body=f'<p><img src="{image.url}" alt="Ra quân"></p>')
    assert f'data-image="{image.pk}"' in article.body
    monkeypatch.setattr("photos.imaging.RENDITION_WIDTHS", (600, 960))
    image.rebuild_renditions()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{image.stored_key}-960.webp 960w" in page
    assert "-800." not in page
    # Saved again, the body names the new largest rendition for feeds and the editor.
    article.save()
    assert f'src="{image.url}"' in article.body
    assert image.url.endswith("-960.jpg")


def test_the_library_s_words_change_on_every_article_showing_the_image_at_once(client):
    image = make_image(caption="Lễ ra quân", alt_text="Đoàn viên xếp hàng", credit="Thu Hà")
    captioned = make_article(title="Ra quân ở Ba Bể")
    make_photo(captioned, image=image, caption="Đoàn viên Ba Bể ra quân")
    uncaptioned = make_article(title="Ra quân ở Chợ Đồn")
    make_photo(uncaptioned, image=image, caption="")
    urls = [captioned.get_absolute_url(), uncaptioned.get_absolute_url()]
    for url in urls:  # stored in the page cache
        assert "(Ảnh: Thu Hà)</span></figcaption>" in client.get(url).content.decode()

    image.caption, image.alt_text, image.credit = "Lễ ra quân hè", "Hàng trăm đoàn viên", "Tú"
    image.save()

    captioned_page, uncaptioned_page = (client.get(url).content.decode() for url in urls)
    for page in (captioned_page, uncaptioned_page):
        assert "(Ảnh: Tú)</span></figcaption>" in page
        assert "Thu Hà" not in page
        assert 'alt="Hàng trăm đoàn viên"' in page
        assert meta(page, "property", "og:image:alt") == "Hàng trăm đoàn viên"
    # The article's own caption stays; one left empty shows the library's as it is now.
    assert "<figcaption>Đoàn viên Ba Bể ra quân <span" in captioned_page
    assert "<figcaption>Lễ ra quân hè <span" in uncaptioned_page


def test_photo_without_file_shows_neither_broken_image_nor_caption(client, article):
    make_photo(article, caption="Ảnh nhập từ cổng cũ", with_file=False, position=1)
    make_photo(article, caption="Ảnh có tệp", position=2)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Ảnh nhập từ cổng cũ" not in page
    assert page.count("<figure") == 1
    assert 'src=""' not in page
    assert not re.search(r'<img src="/media/"', page)
    assert "Ảnh có tệp</figcaption>" in page


def test_photo_whose_file_went_missing_does_not_break_the_page(client, article):
    photo = make_photo(article, caption="Ảnh mất tệp")
    for name in photo.image.stored_names():
        photo.image.file.storage.delete(name)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<p>Đoạn ba.</p>" in response.content.decode()


def test_article_page_has_reading_tools_and_print_stylesheet(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    tools = page[page.index('<div class="article-tools"') :]
    tools = tools[: tools.index("</div>")]
    assert '<button type="button" data-print>In bài</button>' in tools
    # "Đọc bài" waits, hidden, for the browser to offer a Vietnamese voice.
    assert re.search(
        r'<button type="button" data-read-aloud data-stop-label="Dừng đọc" '
        r'aria-pressed="false" hidden>Đọc bài</button>',
        tools,
    )
    # The text size is the toolbar's, for the whole site: no second control here.
    assert "cỡ chữ" not in tools
    assert page.count('data-text-change="larger"') == 1
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    assert '<script src="/static/js/article.js" defer></script>' in page
    assert "data-article-text" in page


def test_reading_tools_are_wired_to_the_text_size_and_hidden_on_paper():
    def static_text(name):
        return Path(finders.find(name)).read_text(encoding="utf-8")

    prefs = static_text("js/prefs.js")
    article_script = static_text("js/article.js")
    site_css = static_text("css/site.css")
    print_css = static_text("css/print.css")
    # prefs.js sets the scale the stylesheet reads, and remembers it.
    assert "--text-scale" in prefs
    assert "localStorage" in prefs
    assert "font-size: calc(var(--text-scale, 1) * 100%)" in site_css
    assert "var(--article-font-size)" in site_css
    assert "window.print()" in article_script
    assert "speechSynthesis" in article_script
    assert ".article-tools" in print_css
    assert ".a11y-bar" in print_css
    assert ".site-nav" in print_css


def test_other_news_lists_other_published_articles(client, article):
    others = make_articles(8)
    make_article(title="Bản nháp khác", status=Article.Status.DRAFT)
    make_article(title="Tin hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=1))
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    block = page[page.index('id="other-news-heading"') :]
    assert "Tin khác</h2>" in block
    assert titles_on_block(block) == [other.title for other in others[:6]]
    assert article.title not in titles_on_block(block)


def test_only_article_has_no_other_news_block(client, article):
    assert "Tin khác" not in client.get(article.get_absolute_url()).content.decode()


# What the public may not see


def test_draft_is_not_found(client):
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT)
    assert_not_found(client.get(draft.get_absolute_url()))
    for url in ("/", "/tin-tuc/"):
        assert "Bản nháp" not in client.get(url).content.decode()


def test_draft_of_a_category_is_not_listed(client):
    category = make_category()
    make_article(title="Bản nháp", status=Article.Status.DRAFT, category=category)
    assert "Bản nháp" not in client.get(category.get_absolute_url()).content.decode()


def test_scheduled_article_appears_at_its_minute(client):
    category = make_category()
    seven = datetime.datetime(2023, 3, 26, 7, 0, tzinfo=LOCAL)
    with time_machine.travel(seven - datetime.timedelta(days=1), tick=False):
        make_article(title="Tin cũ hơn", category=category)
        scheduled = make_article(title="Tin hẹn giờ", published_at=seven, category=category)
    with time_machine.travel(seven - datetime.timedelta(seconds=1), tick=False):
        assert_not_found(client.get(scheduled.get_absolute_url()))
        for url in ("/", "/tin-tuc/", category.get_absolute_url()):
            assert "Tin hẹn giờ" not in titles_on(client.get(url))
        other = client.get(Article.objects.get(title="Tin cũ hơn").get_absolute_url())
        assert "Tin hẹn giờ" not in other.content.decode()
    with time_machine.travel(seven, tick=False):
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        for url in ("/", "/tin-tuc/", category.get_absolute_url()):
            assert "Tin hẹn giờ" in titles_on(client.get(url))
        other = client.get(Article.objects.get(title="Tin cũ hơn").get_absolute_url())
        assert "Tin hẹn giờ" in titles_on_block(other.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "/tin-tuc/khong-co-bai-nay/",
        "/chuyen-muc/khong-co-chuyen-muc/",
        "/tin-tuc/công-tác-đoàn/",
        "/khong-co-trang-nay/",
    ],
)
def test_unknown_addresses_get_the_vietnamese_not_found_page(client, url):
    make_article()
    assert_not_found(client.get(url))


# Every public page


@pytest.mark.parametrize("template", PUBLIC_PAGES + ["/khong-co/"])
def test_public_pages_are_accessible_vietnamese_and_free_of_editor_assets(client, template):
    category = make_category()
    article = make_article(category=category, body="<p>Đoạn một.</p>")
    make_photo(article)
    response = get_page(client, template, article, category)
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert '<a class="skip-link" href="#main">Chuyển đến nội dung chính</a>' in page
    assert '<main id="main"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "ckeditor" not in page.lower()
    # Only the site's own small external scripts (a strict CSP allows no inline script),
    # and structured data; no inline event handlers.
    # prefs.js alone runs before the page is drawn, to apply the reader's text size and contrast.
    for script in re.findall(r"<script[^>]*>", page):
        assert re.fullmatch(
            r'<script src="/static/js/(site|article)\.js" defer[^>]*>'
            r'|<script src="/static/js/prefs\.js">'
            r'|<script type="application/ld\+json">',
            script,
        ), script
    without_data = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    assert not re.search(r"<script[^>]*>\s*[^<\s]", without_data)
    assert not re.search(r"\son[a-z]+=", page)
    for image in re.findall(r"<img [^>]*>", page):
        # The logo beside the site's name is decorative; every photo says what it shows.
        assert re.search(r'alt="[^"]+"', image) or 'class="brand-logo"' in image


TOOLBAR_PAGES = [
    "/",
    "/tin-tuc/",
    "/tin-tuc/{article}/",
    "/chuyen-muc/{category}/",
    "/tim-kiem/?q=doan",
    "/doc-nhieu/",
    "/xa-ho-tro/",
    "/xa-ho-tro/2023/",
    "/xa-ho-tro/xa/{commune}/",
    "/gioi-thieu/",
    "/gioi-thieu/{intro}/",
    "/lien-he/",
    "/hoi-dap/",
    "/hoi-dap/gui-cau-hoi/",
    "/hoi-dap/theo-doi/",
    "/so-do-cong/",
    "/khong-co/",
]


@pytest.mark.parametrize("template", TOOLBAR_PAGES + ["/en/gioi-thieu/", "/en/lien-he/"])
def test_every_public_page_has_the_accessibility_toolbar_and_shortcuts(client, template):
    category = make_category()
    article = make_article(category=category)
    commune = make_commune()
    make_support(make_program(2023), commune)
    intro = make_intro_page()
    url = template.format(
        article=article.slug, category=category.slug, commune=commune.slug, intro=intro.slug
    )
    page = client.get(url).content.decode()
    head = page[: page.index("</head>")]
    # The remembered size and contrast apply before the stylesheets draw anything.
    assert head.index('<script src="/static/js/prefs.js"></script>') < head.index("stylesheet")
    header = page[page.index('<header class="site-header"') : page.index("</header>")]
    toolbar = header[: header.index('class="brand"')]
    for control in [
        'data-text-change="smaller"',
        'data-text-change="default"',
        'data-text-change="larger"',
        'data-contrast aria-pressed="false"',
        'href="/so-do-cong/#phim-tat"',
    ]:
        assert toolbar.count(control) == 1, control
    for keys in ["Alt+Shift+H", "Alt+Shift+S", "Alt+Shift+M"]:
        assert page.count(f'aria-keyshortcuts="{keys}"') == 1, keys
    assert 'href="/" aria-keyshortcuts="Alt+Shift+H"' in header
    assert 'id="header-search" name="q" aria-keyshortcuts="Alt+Shift+S"' in header
    assert 'href="/so-do-cong/" aria-keyshortcuts="Alt+Shift+M"' in page
    if not url.startswith("/en/"):
        for label in [
            'role="group" aria-label="Công cụ trợ năng"',
            '<span class="visually-hidden">Giảm cỡ chữ</span>',
            '<span class="visually-hidden">Cỡ chữ mặc định</span>',
            '<span class="visually-hidden">Tăng cỡ chữ</span>',
            '<span aria-hidden="true">◐</span> Tương phản cao</button>',
            ">Phím tắt</a>",
        ]:
            assert label in toolbar, label


# A fixed number of queries, whatever the amount of data


def measure(django_assert_num_queries, client, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def archive(number, categories=20, photos=3, revisions=3):
    """Make many articles with categories, photos, revisions and communes linked to them."""
    categories = [make_category(name=f"Chuyên mục {index}") for index in range(categories)]
    program = make_program(2024)
    communes = [make_commune(f"Xã {index}") for index in range(5)]
    articles = make_articles(number, featured=True)
    for index, article in enumerate(articles):
        article.category = categories[index % 3]
        for _ in range(revisions):
            with reversion.create_revision():
                article.save()
        for order in range(photos):
            make_photo(article, caption=f"Ảnh {order}", with_file=order % 2 == 0, order=order)
        program.articles.add(article)
        communes[index % 5].articles.add(article)
    return categories, articles


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("number", [3, 30])
def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, number):
    categories, articles = archive(number)
    for index, article in enumerate(articles):
        ArticleDay.objects.create(article=article, day=timezone.localdate(), views=index + 1)
    # The first page after a change reads the newest articles, the identity and the next
    # scheduled moment.
    first_home = HOME_QUERIES + NEWEST_QUERIES + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES
    for expected in (first_home, HOME_QUERIES):
        response = measure(django_assert_num_queries, client, "/", expected)
        page = response.content.decode()
        # Photos 0 and 2 of each article have a file: every card shows a thumbnail.
        cards = min(number, 4) + min(number, 10) + min(number, 12)
        assert page.count('class="card-photo"') == cards
        assert len(re.findall(r'<ol class="ranked">\s*(?:<li>.*?</li>)', page, re.S)) == 1
    first_list = LIST_QUERIES + COUNT_QUERIES
    response = measure(django_assert_num_queries, client, "/tin-tuc/", first_list)
    assert len(titles_on(response)) == min(number, 12)
    response = measure(django_assert_num_queries, client, "/tin-tuc/", LIST_QUERIES)
    assert len(titles_on(response)) == min(number, 12)
    assert response.content.decode().count('class="card-photo"') == min(number, 12)
    last = f"/tin-tuc/?page={(number - 1) // 12 + 1}"
    response = measure(django_assert_num_queries, client, last, LIST_QUERIES)
    assert len(titles_on(response)) == (number - 1) % 12 + 1
    url = categories[0].get_absolute_url()
    first_category = CATEGORY_QUERIES + COUNT_QUERIES
    response = measure(django_assert_num_queries, client, url, first_category)
    assert len(titles_on(response)) == min(len(range(0, number, 3)), 12)
    response = measure(django_assert_num_queries, client, url, CATEGORY_QUERIES)
    assert len(titles_on(response)) == min(len(range(0, number, 3)), 12)


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("linked", [False, True], ids=["no-commune", "commune"])
@pytest.mark.parametrize(("photos", "others"), [(1, 3), (10, 3), (1, 30), (10, 30)])
def test_article_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, article, photos, others, linked
):
    for index in range(photos):
        make_photo(article, caption=f"Ảnh {index}", position=index % 4, order=index)
    make_photo(article, caption="Chưa có tệp", with_file=False)
    commune = make_commune()
    if linked:
        commune.articles.add(article)
    for index, other in enumerate(make_articles(others, category=article.category)):
        make_photo(other, caption=f"Ảnh bài {index}")
        if index % 2:
            commune.articles.add(other)
    for _ in range(3):
        with reversion.create_revision():
            article.save()
    url = article.get_absolute_url()
    related = LINKED_RELATED_QUERIES if linked else 0
    # The first article page after a change reads the newest articles (of all, and of
    # its category unless it reads its related news itself), the identity and the next
    # scheduled moment.
    first = ARTICLE_QUERIES + related + NEWEST_QUERIES * (1 if linked else 2)
    measure(django_assert_num_queries, client, url, first + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES)
    response = measure(django_assert_num_queries, client, url, ARTICLE_QUERIES + related)
    page = response.content.decode()
    assert page.count("<figure") == photos
    related_news = page[page.index("related-news-heading") : page.index("</aside>")]
    assert len(titles_on_block(related_news)) == min(others, 4)
    assert related_news.count('class="card-photo"') == min(others, 4)
    other_news = page[page.index("other-news-heading") :] if "other-news-heading" in page else ""
    assert len(titles_on_block(other_news)) == min(max(others - 4, 0), 6)


def test_article_page_never_opens_or_resizes_an_image(client, monkeypatch, article):
    make_photo(article, caption="Ảnh thứ nhất")
    make_photo(article, caption="Ảnh thứ hai", position=1)

    def no_pillow(*args, **kwargs):
        raise AssertionError("Pillow worked on a reader's request")

    monkeypatch.setattr(PILImage, "open", no_pillow)
    monkeypatch.setattr(PILImage.Image, "save", no_pillow)
    monkeypatch.setattr(PILImage.Image, "resize", no_pillow)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<source type="image/webp" srcset="/media/') == 2


def test_a_stored_page_runs_no_query(client, django_assert_num_queries):
    archive(30)
    for url in ("/", "/tin-tuc/", "/tin-tuc/?page=2", Article.objects.first().get_absolute_url()):
        client.get(url)
        measure(django_assert_num_queries, client, url, 0)


@pytest.mark.usefixtures("rendered_fresh")
def test_not_found_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    make_articles(5)
    # The article looked for, the menu's categories, then the leaders' redirects and the
    # former slugs (core.redirects); the first page after a change also reads the identity
    # and the next scheduled moment.
    with django_assert_num_queries(4 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        response = client.get("/tin-tuc/khong-co/")
    assert_not_found(response)


# Reading: related news, the monthly archive, most read, sharing


def test_related_news_share_the_category_or_a_commune_newest_first(client):
    youth, children = make_category(name="Thanh niên"), make_category(name="Thiếu nhi")
    commune = make_commune(name="Hiệp Lực")
    article = make_article(title="Bài chính", category=youth)
    commune.articles.add(article)
    same_category = make_article(title="Cùng chuyên mục", category=youth, published_at=ago(days=2))
    same_commune = make_article(title="Cùng xã", category=children, published_at=ago(days=1))
    commune.articles.add(same_commune)
    make_article(title="Không liên quan", category=children, published_at=ago(minutes=5))
    draft = make_article(title="Bản nháp liên quan", category=youth, status=Article.Status.DRAFT)
    commune.articles.add(draft)
    page = client.get(article.get_absolute_url()).content.decode()
    related = page[page.index('id="related-news-heading"') : page.index("</aside>")]
    assert titles_on_block(related) == [same_commune.title, same_category.title]
    other = page[page.index('id="other-news-heading"') :]
    assert titles_on_block(other) == ["Không liên quan"]


def test_related_and_other_news_follow_every_change_at_once(client):
    """Article pages share their lists of newest news: a change shows on the next page."""
    youth, children = make_category(name="Thanh niên"), make_category(name="Thiếu nhi")
    article = make_article(title="Bài đang đọc", category=youth, published_at=ago(days=3))
    url = article.get_absolute_url()

    def lists():
        page = client.get(url).content.decode()
        related = re.search(r'id="related-news-heading".*?</aside>', page, re.S)
        other = re.search(r'id="other-news-heading".*?</aside>', page, re.S)
        return [titles_on_block(found.group()) if found else [] for found in (related, other)]

    assert lists() == [[], []]
    same = make_article(title="Tin mới cùng chuyên mục", category=youth, published_at=ago(days=1))
    elsewhere = make_article(title="Tin mới chuyên mục khác", category=children)
    assert lists() == [["Tin mới cùng chuyên mục"], ["Tin mới chuyên mục khác"]]
    same.title = "Tin mới cùng chuyên mục, sửa tên"
    same.save()
    assert lists() == [["Tin mới cùng chuyên mục, sửa tên"], ["Tin mới chuyên mục khác"]]
    same.category = children
    same.save()
    assert lists() == [[], ["Tin mới chuyên mục khác", "Tin mới cùng chuyên mục, sửa tên"]]
    workflow.perform(elsewhere, "archive", workflow.SYSTEM)
    assert lists() == [[], ["Tin mới cùng chuyên mục, sửa tên"]]


def test_monthly_archive_uses_vietnam_s_calendar(client):
    # 17:30 UTC on 31 January is 1 February in Bắc Kạn.
    make_article(
        title="Tin đầu tháng hai",
        published_at=datetime.datetime(2023, 1, 31, 17, 30, tzinfo=datetime.UTC),
    )
    make_article(
        title="Tin cuối tháng một",
        published_at=datetime.datetime(2023, 1, 31, 16, 30, tzinfo=datetime.UTC),
    )
    february = client.get("/tin-tuc/2023/02/")
    assert titles_on(february) == ["Tin đầu tháng hai"]
    page = february.content.decode()
    assert "<h1>Tin tức tháng 02/2023</h1>" in page
    assert 'href="/tin-tuc/2023/01/"' in page
    assert titles_on(client.get("/tin-tuc/2023/01/")) == ["Tin cuối tháng một"]
    assert "Tháng này không có tin bài nào" in client.get("/tin-tuc/2022/05/").content.decode()


@pytest.mark.parametrize("url", ["/tin-tuc/2023/13/", "/tin-tuc/2023/00/", "/tin-tuc/0000/01/"])
def test_impossible_months_are_not_found(client, url):
    assert_not_found(client.get(url))


def test_most_read_ranks_the_last_7_and_30_days(client):
    today = timezone.localdate()
    week_star = make_article(title="Đọc nhiều trong tuần")
    month_star = make_article(title="Đọc nhiều trong tháng")
    hidden = make_article(title="Bài đã gỡ", status=Article.Status.ARCHIVED)
    ArticleDay.objects.create(article=week_star, day=today, views=50)
    ArticleDay.objects.create(article=month_star, day=today - datetime.timedelta(days=10), views=80)
    ArticleDay.objects.create(article=month_star, day=today, views=5)
    ArticleDay.objects.create(article=hidden, day=today, views=999)
    page = client.get("/doc-nhieu/").content.decode()
    week = page[page.index('id="most-read-7"') : page.index('id="most-read-30"')]
    month = page[page.index('id="most-read-30"') :]
    assert titles_on_block(week) == ["Đọc nhiều trong tuần", "Đọc nhiều trong tháng"]
    assert titles_on_block(month) == ["Đọc nhiều trong tháng", "Đọc nhiều trong tuần"]
    assert "85 lượt xem" in month
    assert "Bài đã gỡ" not in page
    home = client.get("/").content.decode()
    block = home[home.index('id="most-read-heading"') : home.index("</aside>")]
    assert titles_on_block(block) == ["Đọc nhiều trong tuần", "Đọc nhiều trong tháng"]


def test_home_has_a_section_per_category_with_thumbnails(client):
    youth = make_category(name="Thanh niên", order=1)
    children = make_category(name="Thiếu nhi", order=2)
    make_category(name="Chuyên mục trống", order=3)
    for index in range(6):
        article = make_article(
            title=f"Thanh niên {index}", category=youth, published_at=ago(hours=index)
        )
        make_photo(article, caption=f"Ảnh {index}")
    make_article(title="Thiếu nhi 0", category=children)
    page = client.get("/").content.decode()
    youth_block = page[page.index('id="section-thanh-nien"') : page.index('id="section-thieu-nhi"')]
    assert titles_on_block(youth_block) == [f"Thanh niên {index}" for index in range(4)]
    assert youth_block.count('class="card-photo"') == 4
    assert "Thiếu nhi 0" in page[page.index('id="section-thieu-nhi"') :]
    assert 'id="section-chuyen-muc-trong"' not in page


def test_share_links_need_no_third_party_script(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    share = page[page.index('<section class="share"') : page.index("</section>")]
    url = "http%3A%2F%2Ftestserver%2Ftin-tuc%2Ftong-ket-cong-tac-doan-nam-2022%2F"
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={url}"' in share
    assert f'href="https://zalo.me/share?url={url}"' in share
    assert 'data-copy-link="http://testserver/tin-tuc/tong-ket-cong-tac-doan-nam-2022/"' in share
    assert 'value="http://testserver/tin-tuc/tong-ket-cong-tac-doan-nam-2022/" readonly' in share
    assert "<script" not in share


# Metadata for search engines and social networks


def meta(page, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    return match and match.group(1)


def json_ld(page):
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(data)


def test_article_page_has_canonical_opengraph_twitter_and_news_article_data(client, article):
    make_identity()  # the union's name, as leaders entered it
    photo = make_photo(article, caption="Ảnh bìa <đẹp>", alt_text="Đại biểu dự Hội nghị")
    page = client.get(article.get_absolute_url(), {"utm_source": "zalo"}).content.decode()
    url = "http://testserver/tin-tuc/tong-ket-cong-tac-doan-nam-2022/"
    image = f"http://testserver/media/{photo.image.renditions[-1]['fallback']}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert meta(page, "property", "og:type") == "article"
    assert meta(page, "property", "og:url") == url
    assert meta(page, "property", "og:title") == "Tổng kết công tác Đoàn năm 2022"
    assert meta(page, "property", "og:description") == article.lead
    assert meta(page, "property", "og:image") == image
    assert meta(page, "property", "og:image:width") == "64"
    assert meta(page, "property", "og:image:height") == "48"
    assert meta(page, "property", "og:locale") == "vi_VN"
    assert meta(page, "name", "twitter:card") == "summary_large_image"
    assert meta(page, "name", "twitter:image") == image
    assert meta(page, "property", "article:published_time") == "2023-01-12T03:00:00+07:00"
    data = json_ld(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Tổng kết công tác Đoàn năm 2022"
    assert data["datePublished"] == "2023-01-12T03:00:00+07:00"
    assert data["dateModified"].endswith("+07:00")
    assert data["author"] == {"@type": "Person", "name": "Ngọc Tú"}
    assert data["publisher"]["name"] == "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn"
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert data["image"] == {"@type": "ImageObject", "url": image, "width": 64, "height": 48}


def test_structured_data_cannot_close_its_script(client):
    article = make_article(title="</script><script>alert(1)</script>", lead="a & b <c>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(page)["headline"] == "</script><script>alert(1)</script>"


def test_article_without_photo_shares_the_logo(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert meta(page, "property", "og:image") == "http://testserver/static/img/logo.png"
    assert meta(page, "name", "twitter:card") == "summary"
    assert "image" not in json_ld(page)


def dublin_core(page):
    found = re.findall(r'<meta name="(DC\.[a-z]+)" content="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in found}


def test_article_page_has_dublin_core_from_the_facts_of_its_json_ld(client):
    make_identity()  # the union's name, as leaders entered it
    call_command(
        "import_legacy", str(REFERENCE_ARTICLE), "--status", "published", stdout=StringIO()
    )
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    url = (
        "http://testserver/tin-tuc/tong-ket-cong-tac-ho-tro-nang-cao-chat-luong-hoat-dong-"
        "cong-tac-doan-va-phong-trao-thanh-thieu-nhi-nam-2022/"
    )
    assert '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">' in page
    assert dublin_core(page) == {
        "DC.title": (
            "Tổng kết công tác hỗ trợ nâng cao chất lượng hoạt động công tác đoàn và phong "
            "trào thanh thiếu nhi năm 2022"
        ),
        "DC.creator": "Ngọc Tú",
        "DC.date": "2023-01-12T00:00:00+07:00",
        "DC.description": article.lead,
        "DC.publisher": "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn",
        "DC.identifier": url,
        "DC.language": "vi",
        "DC.type": "Text",
        "DC.format": "text/html",
    }
    assert article.lead.startswith("Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị tổng kết")
    assert f'<link rel="canonical" href="{url}">' in page
    data = json_ld(page)
    assert (data["mainEntityOfPage"], data["datePublished"]) == (url, "2023-01-12T00:00:00+07:00")
    assert data["publisher"]["name"] == "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn"


def test_dublin_core_escapes_markup_and_names_the_union_without_a_byline(client):
    make_identity()
    title = 'Tuổi trẻ <b>"Bắc Kạn"</b> & <script>alert(1)</script>'
    article = make_article(title=title, lead="Đoàn viên <i>tình nguyện</i> & “5 tốt”")
    page = client.get(article.get_absolute_url()).content.decode()
    head = page[: page.index("</head>")]
    assert "<b>" not in head
    assert "<script>alert(1)" not in page
    assert (
        '<meta name="DC.title" content="Tuổi trẻ &lt;b&gt;&quot;Bắc Kạn&quot;&lt;/b&gt; &amp; '
        in head
    )
    values = dublin_core(page)
    assert values["DC.title"] == title
    assert values["DC.description"] == "Đoàn viên <i>tình nguyện</i> & “5 tốt”"
    assert values["DC.creator"] == "Tỉnh đoàn Bắc Kạn"
    assert json_ld(page)["author"] == {"@type": "Organization", "name": "Tỉnh đoàn Bắc Kạn"}


BAC_KAN = "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn"
THAI_NGUYEN = "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("published", "publisher"),
    [
        (datetime.datetime(2023, 1, 12, 8, 0, tzinfo=VIETNAM), BAC_KAN),
        (datetime.datetime(2025, 6, 30, 23, 30, tzinfo=VIETNAM), BAC_KAN),
        # Already 1 July in Vietnam, still 30 June in UTC.
        (datetime.datetime(2025, 7, 1, 0, 30, tzinfo=VIETNAM), THAI_NGUYEN),
        (datetime.datetime(2026, 3, 1, 8, 0, tzinfo=VIETNAM), THAI_NGUYEN),
    ],
)
def test_an_article_keeps_the_publisher_of_its_publication_day(client, published, publisher):
    make_identity()
    make_identity(
        full_name=THAI_NGUYEN,
        short_name="Tỉnh đoàn Thái Nguyên",
        valid_from=datetime.date(2025, 7, 1),
        formed_by_merger=True,
    )
    article = make_article(published_at=published)
    with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
        page = client.get(article.get_absolute_url()).content.decode()

    assert json_ld(page)["publisher"]["name"] == publisher
    assert json_ld(page)["author"]["name"] == publisher.replace(
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Tỉnh đoàn"
    )
    assert dublin_core(page)["DC.publisher"] == publisher
    # On paper, under the title, whatever the header says.
    assert f'<p class="print-only article-source">Đăng bởi {publisher} · ' in page
    # Pages are the current union's; articles of the former one say it has merged.
    assert '<span class="brand-name">Tỉnh đoàn Thái Nguyên</span>' in page
    note = (
        f'<p class="former-publisher" role="note">Bài viết do {BAC_KAN} đăng. Đơn vị này nay '
        f"đã hợp nhất vào {THAI_NGUYEN}."
    )
    assert (note in page) == (publisher == BAC_KAN)
    if publisher == BAC_KAN:
        assert '<a href="/gioi-thieu/">Giới thiệu Tỉnh đoàn Thái Nguyên</a>' in page


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/", "http://testserver/"),
        ("/tin-tuc/?page=2&utm_source=x", "http://testserver/tin-tuc/?page=2"),
        ("/tin-tuc/?page=1", "http://testserver/tin-tuc/"),
        ("/chuyen-muc/cong-tac-doan/", "http://testserver/chuyen-muc/cong-tac-doan/"),
        ("/xa-ho-tro/", "http://testserver/xa-ho-tro/"),
        ("/xa-ho-tro/2022/", "http://testserver/xa-ho-tro/2022/"),
    ],
)
def test_list_and_communes_pages_have_canonical_and_opengraph(client, url, canonical):
    make_identity()  # the union's name, as leaders entered it
    make_category(name="Công tác Đoàn")
    make_program(2022)
    make_articles(13)
    page = client.get(url).content.decode()
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert meta(page, "property", "og:title")
    assert meta(page, "property", "og:site_name") == "Tỉnh đoàn Bắc Kạn"
    assert meta(page, "property", "og:image") == "http://testserver/static/img/logo.png"


def test_the_menu_opens_without_javascript(client):
    page = client.get("/").content.decode()
    assert '<a class="menu-toggle" href="#site-menu" data-menu-toggle' in page
    assert '<nav class="site-nav" id="site-menu"' in page
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert ".site-nav:target" in css
