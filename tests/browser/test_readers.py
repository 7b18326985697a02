"""A reader on the public site: search, feeds, the phone menu, sharing, accessibility.

Screenshots of the key pages, at desktop and phone sizes, are written to var/screenshots/
for people to look at.
"""

import mimetypes
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.models import Document
from news.models import Article
from stats.models import ArticleDay
from tests.browser.pages import CHROME, DESKTOP, PHONE, SCREENSHOTS, axe_violations
from tests.factories import REFERENCE_ARTICLE, make_article, make_photo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_page(browser):
    """Return a function that opens a page in a new context of the given viewport."""
    contexts = []

    def serve_media(route):
        # The test server serves static files only; uploaded photos come from MEDIA_ROOT.
        name = route.request.url.split("/media/", 1)[1]
        path = Path(settings.MEDIA_ROOT) / name
        if not path.is_file():
            return route.fulfill(status=404)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(
            viewport=viewport,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            bypass_csp=True,
            **options,
        )
        context.route("**/media/**", serve_media)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def reference():
    call_command(
        "import_legacy", str(REFERENCE_ARTICLE), "--status", "published", stdout=StringIO()
    )
    return Article.objects.get()


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    return Article.objects.get(legacy_key__isnull=False)


def test_a_reader_searches_without_accents_and_finds_the_reference_article(
    live_server, open_page, reference
):
    make_article(title="Tin khác không liên quan")
    page = open_page()
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Tìm tin bài").fill("trieu tien trinh")
    page.get_by_role("searchbox", name="Tìm tin bài").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=trieu+tien+trinh")
    assert page.get_by_role("status").first.inner_text() == "Tìm thấy 1 bài viết."
    marks = page.locator(".card mark").all_inner_texts()
    assert "Triệu Tiến Trình" in marks
    page.get_by_role("link", name=reference.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == reference.title


def test_a_reader_follows_the_feed_link(live_server, open_page, reference):
    page = open_page()
    page.goto(live_server.url + "/")
    link = page.locator(".site-footer").get_by_role("link", name="Kênh RSS")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok
    channel = ET.fromstring(response.body()).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [reference.title]


def headline_bottom(page):
    return page.get_by_role("heading", level=1).bounding_box()["y"] + 40


def test_the_phone_menu_opens_and_the_headline_is_on_the_first_screen(live_server, open_page, demo):
    page = open_page(PHONE, user_agent=CHROME, is_mobile=True, has_touch=True)
    page.goto(live_server.url + demo.get_absolute_url())
    assert headline_bottom(page) <= PHONE["height"]
    menu = page.locator("#site-menu")
    assert not menu.is_visible()
    button = page.get_by_role("button", name="Danh mục")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu.is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Công tác Đoàn").is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    # Home: the first story's title is on the first screen too.
    page.goto(live_server.url + "/")
    first_title = page.locator(".card-title").first.bounding_box()
    assert first_title["y"] + first_title["height"] <= PHONE["height"]


def test_the_phone_menu_works_without_javascript(live_server, open_page, demo):
    page = open_page(PHONE, java_script_enabled=False)
    page.goto(live_server.url + "/")
    menu = page.locator("#site-menu")
    assert not menu.is_visible()
    page.get_by_role("link", name="Danh mục").click()
    assert menu.is_visible()
    menu.get_by_role("link", name="Đóng danh mục").click()
    assert not menu.is_visible()


def test_the_copy_link_button_puts_the_address_on_the_clipboard(live_server, open_page, demo):
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + demo.get_absolute_url())
    page.get_by_role("button", name="Sao chép liên kết").click()
    page.get_by_text("Đã sao chép liên kết.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + demo.get_absolute_url()
    facebook = page.get_by_role("link", name="Facebook")
    assert facebook.get_attribute("href").startswith("https://www.facebook.com/sharer/")


def test_a_reading_is_counted_without_a_cookie(live_server, open_page):
    article = make_article(title="Tin được đọc")
    page = open_page(user_agent=CHROME)
    with page.expect_response("**/luot-xem/") as beacon:
        page.goto(live_server.url + article.get_absolute_url())
    assert beacon.value.status == 204
    assert ArticleDay.objects.get(article=article).views == 1
    assert page.context.cookies() == []


def test_a_headless_browser_is_not_counted(live_server, open_page):
    article = make_article(title="Tin được đọc")
    page = open_page()  # Chromium's own headless User-Agent
    with page.expect_response("**/luot-xem/"):
        page.goto(live_server.url + article.get_absolute_url())
    assert not ArticleDay.objects.exists()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violation(
    live_server, open_page, demo, viewport
):
    make_photo(demo, caption="Đoàn viên ra quân", position=2)
    pages = {
        "home": "/",
        "list": "/tin-tuc/",
        "article": demo.get_absolute_url(),
        "search": "/tim-kiem/?q=doan+co+so",
        "communes": "/xa-ho-tro/",
        "communes-year": "/xa-ho-tro/2022/",
        "documents": "/van-ban/?q=ke+hoach",
        "document": Document.objects.order_by("pk").first().get_absolute_url(),
    }
    page = open_page(viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = "desktop" if viewport == DESKTOP else "phone"
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
        violations = axe_violations(page, impacts=("serious", "critical"))
        if violations:
            found[name] = violations
    assert found == {}
