"""The publishing calendar in Chromium: each article sits inside its day's cell."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.pages import DESKTOP, log_in
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]

# Each article of the calendar: its box, its bullet (the marker of a list item outside its
# box), and the box of its day's cell.
ENTRIES = """() => [...document.querySelectorAll("table.calendar li")].map((entry) => {
    const style = getComputedStyle(entry);
    const box = entry.getBoundingClientRect();
    const cell = entry.closest("td").getBoundingClientRect();
    return {
        title: entry.querySelector("a").textContent,
        bullet_outside: style.listStyleType !== "none" && style.listStylePosition === "outside",
        inside_cell: box.left >= cell.left && box.right <= cell.right
            && box.top >= cell.top && box.bottom <= cell.bottom,
    };
})"""


def test_articles_sit_inside_their_day_with_no_bullet_hanging_out(live_server, page):
    make_user("publisher", username="lanhdao")
    day = timezone.localdate() - datetime.timedelta(days=1)
    published_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    titles = [
        "Tuổi trẻ Thái Nguyên ra quân tình nguyện hè, chung tay xây dựng nông thôn mới",
        "Hội nghị tổng kết công tác Đoàn",
    ]
    for title in titles:
        make_article(title=title, published_at=published_at)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "lanhdao", "mat-khau")
    page.goto(f"{live_server.url}/admin/news/article/calendar/?tuan={day:%Y-%m-%d}")
    entries = page.evaluate(ENTRIES)
    assert sorted(entry["title"] for entry in entries) == sorted(titles)
    assert [entry for entry in entries if entry["bullet_outside"] or not entry["inside_cell"]] == []
