"""The footer's visitor statistics in a real browser: fetched late, formatted, nothing moves."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stats.models import SiteDay
from tests.browser.pages import CHROME, PHONE
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

FIGURES = "[...document.querySelectorAll('.footer-stats dd')].map((dd) => dd.textContent)"
# Where each label and figure of the block stands, and the block's own box.
BOXES = """[...document.querySelectorAll('.footer-stats, .footer-stats dt, .footer-stats dd')]
    .map((element) => { const box = element.getBoundingClientRect();
                        return [box.x + scrollX, box.y + scrollY, box.width, box.height]; })"""
WATCH_SHIFTS = """window.shifts = [];
    new PerformanceObserver((list) => window.shifts.push(...list.getEntries().map((e) => e.value)))
        .observe({type: "layout-shift"});"""  # from now on: not the drawing of the page itself


@pytest.fixture
def reader(browser):
    context = browser.new_context(
        viewport=PHONE, user_agent=CHROME, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_footer_shows_the_figures_after_a_page_view_without_moving_anything(
    live_server, reader, settings
):
    settings.STATS_FLUSH_SECONDS = 0  # the view is written at once, not with the next batch
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SiteDay.objects.create(day=yesterday, views=1_234_560)
    paragraphs = "".join(
        f"<p>Đoạn {number}: tuổi trẻ Bắc Kạn tình nguyện.</p>" for number in range(40)
    )
    article = make_article(title="Tin được đọc", body=paragraphs)
    asked = []
    reader.on("request", lambda request: asked.append(request.url))

    with reader.expect_response("**/luot-xem/") as beacon:
        reader.goto(live_server.url + article.get_absolute_url())
    assert beacon.value.status == 204
    reader.wait_for_load_state("networkidle")
    # The footer is far below: its figures are not asked for until the reader gets near.
    assert not any("/luot-xem/thong-ke/" in url for url in asked)
    assert reader.evaluate(FIGURES) == ["–", "–", "–"]
    reader.evaluate(WATCH_SHIFTS)
    before = reader.evaluate(BOXES)

    with reader.expect_response("**/luot-xem/thong-ke/") as figures:
        reader.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert figures.value.json() == {"online": 1, "today": 1, "total": 1_234_561}
    expect(reader.locator("[data-stat=total]")).to_have_text("1.234.561")  # waits for it
    stats = reader.get_by_role("region", name="Thống kê truy cập")
    assert stats.locator("dt").all_inner_texts() == [
        "Đang truy cập",
        "Hôm nay",
        "Tổng lượt truy cập",
    ]
    assert reader.evaluate(FIGURES) == ["1", "1", "1.234.561"]
    assert reader.evaluate(BOXES) == before
    assert reader.evaluate("window.shifts") == []


def test_without_javascript_the_footer_shows_dashes(live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/")
    figures = page.locator(".footer-stats dd").all_inner_texts()
    context.close()
    assert figures == ["–", "–", "–"]
