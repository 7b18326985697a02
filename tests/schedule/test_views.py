import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    element,
    logged_in,
    make_article,
    make_department,
    make_entry,
    make_officer,
    make_user,
    make_week,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2025, 3, 24)
# Wednesday 26 March 2025, 10:00 in Vietnam.
WEDNESDAY = datetime.datetime(2025, 3, 26, 10, 0, tzinfo=HANOI)
# The menu's categories, the week, its entries with who presides and prepares, their
# attendees, attending units, changes and published news, and the leaders to choose from.
WEEK_QUERIES = 8


@pytest.fixture
def committee():
    unit = make_department("Ban Thường vụ", is_leadership=True)
    return (
        make_officer(unit, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn", order=1),
        make_officer(unit, "Trần Văn Nam", position="Phó Bí thư Tỉnh đoàn", order=2),
    )


@pytest.fixture
def week(committee):
    secretary, deputy = committee
    week = make_week(MONDAY)
    make_entry(week, 0, "Giao ban Ban Thường vụ", presiding=secretary)
    make_entry(week, 2, "Làm việc với Huyện đoàn Ba Bể", presiding=deputy, place="Ba Bể")
    make_entry(week, 3, "Hội nghị tập huấn", presiding=deputy, attendees=[secretary])
    return week


def text(response):
    """Return the page's main content as words, tags left out."""
    return " ".join(re.sub(r"<[^>]+>", " ", element(response, "main")).split())


def day_rows(response):
    """Return {day heading: [entry titles]} of the week's table, in order."""
    html = element(response, "main").split('class="schedule-table"')[1]
    days = {}
    for body in re.findall(r"<tbody.*?</tbody>", html, re.S):
        heading = " ".join(
            re.sub(r"<[^>]+>", " ", re.search(r"<th.*?</th>", body, re.S)[0]).split()
        )
        days[heading] = re.findall(r'class="entry-title">([^<]+)<', body)
    return days


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_calendar_opens_on_this_week_with_today_marked(client, week):
    response = client.get("/lich-cong-tac/")
    assert response.status_code == 200
    assert "Tuần từ 24/03/2025 đến 30/03/2025 (tuần này)" in text(response)
    assert day_rows(response) == {
        "Thứ 2, 24/03/2025": ["Giao ban Ban Thường vụ"],
        "Thứ 3, 25/03/2025": [],
        "Thứ 4, 26/03/2025 Hôm nay": ["Làm việc với Huyện đoàn Ba Bể"],
        "Thứ 5, 27/03/2025": ["Hội nghị tập huấn"],
        "Thứ 6, 28/03/2025": [],
        "Thứ 7, 29/03/2025": [],
        "Chủ nhật, 30/03/2025": [],
    }
    assert 'id="ngay-2025-03-26" aria-current="date"' in element(response, "main")
    assert 'href="/lich-cong-tac/tuan/2025-03-17/"' in element(response, "main")
    assert 'href="/lich-cong-tac/tuan/2025-03-31/"' in element(response, "main")


def test_the_week_turns_at_midnight_in_vietnam_not_in_utc(client, week):
    # Sunday 30 March, 23:30 in UTC is already Monday 31 March, 06:30 in Vietnam.
    with time_machine.travel(datetime.datetime(2025, 3, 30, 23, 30, tzinfo=datetime.UTC)):
        response = client.get("/lich-cong-tac/")
    assert "Tuần từ 31/03/2025 đến 06/04/2025" in text(response)
    assert "Lịch công tác tuần này chưa được công bố." in text(response)


def test_today_moves_at_midnight_on_a_stored_page(client, week):
    """The page cache knows the calendar changes at midnight, though nobody saves anything."""
    before = datetime.datetime(2025, 3, 26, 23, 59, tzinfo=HANOI)
    with time_machine.travel(before, tick=False):
        assert "Thứ 4, 26/03/2025 Hôm nay" in day_rows(client.get("/lich-cong-tac/"))
        assert client.get("/lich-cong-tac/")["X-Cache"] == "HIT"
    with time_machine.travel(before + datetime.timedelta(minutes=2), tick=False):
        response = client.get("/lich-cong-tac/")
    assert response["X-Cache"] == "MISS"
    assert "Thứ 5, 27/03/2025 Hôm nay" in day_rows(response)


@time_machine.travel(WEDNESDAY, tick=False)
def test_changes_and_cancellations_show_what_changed_and_when(client, week):
    moved = week.entries.get(title="Làm việc với Huyện đoàn Ba Bể")
    before = moved.shown()
    moved.starts_at = datetime.time(14, 0)
    moved.save()
    moved.after_edit(before, note="Theo đề nghị của Huyện đoàn.")
    cancelled = week.entries.get(title="Hội nghị tập huấn")
    cancelled.after_edit(cancelled.shown(), cancelled=True, note="Hoãn sang tuần sau.")

    page = text(client.get("/lich-cong-tac/"))

    assert (
        "Điều chỉnh Làm việc với Huyện đoàn Ba Bể Điều chỉnh lúc 10:00 ngày 26/03/2025: "
        "thời gian: 08:00 → 14:00. Theo đề nghị của Huyện đoàn."
    ) in page
    assert ("Đã huỷ Hội nghị tập huấn Huỷ lúc 10:00 ngày 26/03/2025: Hoãn sang tuần sau.") in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_draft_week_is_for_staff_only(client, committee):
    draft = make_week(MONDAY, published=False)
    make_entry(draft, 1, "Buổi làm việc chưa công bố")
    assert "Buổi làm việc chưa công bố" not in text(client.get("/lich-cong-tac/"))
    assert "Lịch công tác tuần này chưa được công bố." in text(client.get("/lich-cong-tac/"))

    staff = logged_in(client, make_user("contributor"))
    page = text(staff.get("/lich-cong-tac/"))
    assert "Bản nháp: bạn đọc chưa thấy lịch tuần này" in page
    assert "Buổi làm việc chưa công bố" in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_reader_filters_by_leader_and_keeps_the_week(client, week, committee):
    secretary, _deputy = committee
    response = client.get(f"/lich-cong-tac/tuan/2025-03-24/?lanh_dao={secretary.pk}")
    # What she presides and what she attends.
    assert [title for titles in day_rows(response).values() for title in titles] == [
        "Giao ban Ban Thường vụ",
        "Hội nghị tập huấn",
    ]
    assert "Lịch chủ trì, tham dự của Nguyễn Thị Hoa (Bí thư Tỉnh đoàn)." in text(response)
    feed = f"//testserver/lich-cong-tac/lanh-dao/{secretary.pk}.ics"
    assert f'href="webcal:{feed}"' in element(response, "main")
    assert f'href="http:{feed}"' in element(response, "main")
    # The form shows the week on the page, so that choosing another leader keeps it.
    form = element(response, "main").split('class="schedule-choose"')[1].split("</form>")[0]
    assert 'name="ngay" value="24/03/2025"' in form
    assert f'<option value="{secretary.pk}" selected>' in form
    next_week = f'href="/lich-cong-tac/tuan/2025-03-31/?lanh_dao={secretary.pk}"'
    assert next_week in element(response, "main")


def test_the_months_table_leads_to_each_of_its_weeks(client):
    # 31/03 to 06/04: its Thursday makes it a week of April.
    response = client.get("/lich-cong-tac/tuan/2025-03-31/")
    picker = element(response, "main").split('class="month-picker"')[1].split("</details>")[0]
    caption = " ".join(re.sub(r"<[^>]+>", " ", picker.split("</caption>")[0]).split())
    assert caption.endswith("‹ Tháng 04/2025 ›")
    rows = re.findall(r"<tr( class=\"is-shown\")?>(.*?)</tr>", picker.split("<tbody>")[1], re.S)
    weeks = [(bool(shown), re.findall(r'href="([^"]+)"', row)[0]) for shown, row in rows]
    assert weeks == [
        (True, "/lich-cong-tac/tuan/2025-03-31/"),
        (False, "/lich-cong-tac/tuan/2025-04-07/"),
        (False, "/lich-cong-tac/tuan/2025-04-14/"),
        (False, "/lich-cong-tac/tuan/2025-04-21/"),
        (False, "/lich-cong-tac/tuan/2025-04-28/"),
    ]
    assert re.findall(r">(\d+)</a>", rows[0][1]) == ["31", "1", "2", "3", "4", "5", "6"]
    assert (
        'href="/lich-cong-tac/tuan/2025-03-10/" rel="nofollow" aria-label="Tháng trước"' in picker
    )
    assert 'href="/lich-cong-tac/tuan/2025-05-12/" rel="nofollow" aria-label="Tháng sau"' in picker


@pytest.mark.parametrize("typed", ["2025-04-02", "02/04/2025", "2/4/2025"])
def test_the_date_picker_opens_the_week_of_the_day_read_day_first(client, typed):
    response = client.get("/lich-cong-tac/", {"ngay": typed})
    assert response.status_code == 302
    assert response["Location"] == "/lich-cong-tac/tuan/2025-03-31/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ngay": "04/31/2025"}, "Nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy)."),
        ({"ngay": "01/01/1900"}, "Lịch công tác không có tuần xa như vậy."),
        ({"lanh_dao": "999"}, "Không có lãnh đạo này trong danh bạ."),
        ({"lanh_dao": "abc"}, "Không có lãnh đạo này trong danh bạ."),
    ],
)
def test_bad_choices_get_a_clear_message_not_an_error_page(client, week, query, message):
    response = client.get("/lich-cong-tac/", query)
    assert response.status_code == 400
    assert message in text(response)
    assert "Lịch công tác tuần" in text(response)


def test_week_addresses(client):
    # Any day leads to its Monday; days that do not exist or are out of reach are not found.
    assert client.get("/lich-cong-tac/tuan/2025-03-27/")["Location"] == (
        "/lich-cong-tac/tuan/2025-03-24/"
    )
    assert client.get("/lich-cong-tac/tuan/2025-02-30/").status_code == 404
    assert client.get("/lich-cong-tac/tuan/1900-01-01/").status_code == 404
    assert client.get("/lich-cong-tac/tuan/9999-12-27/").status_code == 404


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("per_day", [1, 6])
@time_machine.travel(WEDNESDAY, tick=False)
def test_the_week_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, committee, per_day
):
    secretary, deputy = committee
    unit = make_department("Văn phòng")
    week = make_week(MONDAY)
    for day in range(7):
        for number in range(per_day):
            entry = make_entry(
                week,
                day,
                f"Việc {day}-{number}",
                presiding=secretary,
                attendees=[secretary, deputy],
                preparing_department=unit,
            )
            entry.attending_departments.add(unit)
            entry.articles.add(make_article(title=f"Tin {day}-{number}"))
            entry.after_edit(entry.shown(), cancelled=True)

    first = WEEK_QUERIES + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES
    for expected in (first, WEEK_QUERIES):
        with django_assert_num_queries(expected):
            response = client.get("/lich-cong-tac/")
        assert text(response).count("Huỷ lúc") == 7 * per_day
        assert text(response).count("Tin bài: Tin") == 7 * per_day


@time_machine.travel(WEDNESDAY, tick=False)
def test_events_are_listed_with_the_news_that_reports_them(client, week):
    report = make_article(title="Sôi nổi Ngày hội thanh niên")
    draft = make_article(title="Bài chưa đăng", status="draft")
    past = make_entry(week, 0, "Ngày hội thanh niên", is_event=True)
    past.articles.add(report, draft)
    make_entry(week, 4, "Giải chạy vì sức khoẻ", is_event=True, place="Sân vận động")
    make_entry(
        make_week(MONDAY + datetime.timedelta(days=7), published=False),
        1,
        "Chưa công bố",
        is_event=True,
    )

    page = text(client.get("/lich-cong-tac/su-kien/"))

    coming, gone = page.split("Đã diễn ra")
    assert "Giải chạy vì sức khoẻ" in coming
    assert "Sân vận động" in coming
    assert "Ngày hội thanh niên Tin bài: Sôi nổi Ngày hội thanh niên" in gone
    assert "Bài chưa đăng" not in page
    assert "Chưa công bố" not in page


def test_news_about_the_same_event_are_related_and_name_it(client, week):
    event = make_entry(week, 3, "Ngày hội thanh niên", is_event=True)
    first = make_article(title="Khai mạc Ngày hội thanh niên")
    second = make_article(title="Bế mạc Ngày hội thanh niên")
    make_article(title="Tin không liên quan")
    event.articles.add(first, second)
    related = element(client.get(first.get_absolute_url()), "main")
    assert "Bế mạc Ngày hội thanh niên" in related.split("Tin khác")[0]
    assert re.search(
        rf'<h2[^>]*>Mục lịch công tác</h2>\s*<ul><li><a href="/lich-cong-tac/tuan/2025-03-24/'
        rf'#{event.anchor}">27/03/2025 08:00: Ngày hội thanh niên</a>',
        related,
    )


def test_an_article_names_no_event_of_a_week_not_published(client):
    event = make_entry(make_week(MONDAY, published=False), 3, "Ngày hội thanh niên")
    article = make_article(title="Khai mạc Ngày hội thanh niên")
    event.articles.add(article)
    assert "Mục lịch công tác" not in element(client.get(article.get_absolute_url()), "main")


def test_home_page_and_site_map_lead_to_this_weeks_calendar(client):
    for url in ("/", "/so-do-cong/"):
        page = element(client.get(url), "main")
        assert re.search(r'href="/lich-cong-tac/"[^>]*>Lịch công tác tuần này</a>', page), url


def test_published_weeks_are_in_the_sitemap(client, week):
    make_week(MONDAY + datetime.timedelta(days=7), published=False)
    sitemap = client.get("/sitemap-lich-cong-tac.xml").content.decode()
    assert re.findall(r"<loc>([^<]+)</loc>", sitemap) == [
        "http://testserver/lich-cong-tac/tuan/2025-03-24/"
    ]
    assert "http://testserver/lich-cong-tac/" in client.get("/sitemap-pages.xml").content.decode()
