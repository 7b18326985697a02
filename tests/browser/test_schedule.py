"""The work calendar in Chromium: a table on a desktop, a day-by-day list on a phone, one A4
page on paper, and nothing serious for axe at either size nor in print."""

import datetime
import re

import pytest

from schedule.models import today, week_start
from tests.browser.pages import CHROME, DESKTOP, PHONE, SCREENSHOTS, axe_violations
from tests.factories import make_department, make_entry, make_officer, make_week

pytestmark = pytest.mark.django_db(transaction=True)

# A busy week: three entries each working day, one on Saturday and Sunday, with changes.
PER_DAY = [3, 3, 3, 3, 3, 1, 1]


@pytest.fixture
def busy_week():
    committee = make_department("Ban Thường vụ Tỉnh đoàn", is_leadership=True)
    office = make_department("Văn phòng")
    secretary = make_officer(committee, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn")
    deputy = make_officer(committee, "Trần Văn Nam", position="Phó Bí thư Tỉnh đoàn")
    week = make_week(
        week_start(today()), note="Lịch có thể thay đổi, đề nghị theo dõi thường xuyên."
    )
    for day, count in enumerate(PER_DAY):
        for number in range(count):
            entry = make_entry(
                week,
                day,
                f"Làm việc với Huyện đoàn về công tác đoàn và phong trào thanh niên ({number + 1})",
                starts_at=datetime.time(7 + 3 * number, 30),
                ends_at=datetime.time(9 + 3 * number, 0),
                place="Phòng họp Tỉnh đoàn",
                presiding=secretary if number % 2 else deputy,
                attendees=[secretary, deputy] if number == 0 else [],
                other_attendees="Trưởng các ban, Chánh Văn phòng" if number == 0 else "",
                preparing_department=office,
                is_event=number == 2,
            )
            if number == 1:
                before = entry.shown()
                entry.place = "Hội trường Tỉnh đoàn"
                entry.save()
                entry.after_edit(before, note="Đổi địa điểm.")
    return week


def open_page(browser, viewport, **options):
    context = browser.new_context(
        viewport=viewport,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        # axe-core is injected as an inline script, which the site's policy forbids.
        bypass_csp=True,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def check_no_serious_axe_violations(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"schedule-{name}.png"), full_page=True)
    assert axe_violations(page, impacts=("serious", "critical")) == []


def test_a_table_on_a_desktop_printed_on_one_a4_page(live_server, browser, busy_week):
    page = open_page(browser, DESKTOP)
    page.goto(live_server.url + "/lich-cong-tac/")
    page.wait_for_load_state("networkidle")
    entry = page.locator("tr.entry").first
    time_cell = entry.locator("td").nth(0).bounding_box()
    what_cell = entry.locator("td").nth(1).bounding_box()
    today = page.locator('.schedule-table [aria-current="date"]')
    assert today.is_visible() and "Hôm nay" in today.inner_text()
    assert what_cell["y"] == time_cell["y"]
    assert page.get_by_role("columnheader", name="Chủ trì").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    check_no_serious_axe_violations(page, "desktop")

    # Printed: the controls give way, and the busy week fits one A4 page across.
    page.emulate_media(media="print")
    assert not page.locator(".schedule-choose").is_visible()
    assert not page.locator(".schedule-subscribe").is_visible()
    assert axe_violations(page, impacts=("serious", "critical")) == []
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    (SCREENSHOTS / "schedule-print.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) == 1
    # A4 across: 297 × 210 mm, in points.
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)
    page.context.close()


def test_a_day_by_day_list_on_a_phone(live_server, browser, busy_week):
    page = open_page(browser, PHONE, user_agent=CHROME, is_mobile=True)
    page.goto(live_server.url + "/lich-cong-tac/")
    page.wait_for_load_state("networkidle")
    entry = page.locator("tr.entry").first
    time_cell = entry.locator("td").nth(0).bounding_box()
    what_cell = entry.locator("td").nth(1).bounding_box()
    today = page.locator('.schedule-table [aria-current="date"]')
    assert today.is_visible() and "Hôm nay" in today.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # One entry's lines under each other, each labelled; no column headings to scroll to.
    assert what_cell["y"] >= time_cell["y"] + time_cell["height"]
    assert page.locator(".schedule-table thead").bounding_box()["height"] <= 1
    presiding = entry.locator("td").nth(2)
    label = presiding.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Chủ trì: "'
    check_no_serious_axe_violations(page, "phone")
    page.context.close()
