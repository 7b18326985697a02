"""The iCalendar feeds, read back as a calendar app reads them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from tests.factories import make_department, make_entry, make_officer, make_week

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2025, 3, 24)
WEDNESDAY = datetime.datetime(2025, 3, 26, 10, 0, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def wednesday():
    with time_machine.travel(WEDNESDAY):
        yield


@pytest.fixture
def secretary():
    unit = make_department("Ban Thường vụ", is_leadership=True)
    return make_officer(unit, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn")


def events(response):
    """Return {summary: VEVENT} of an iCalendar answer, parsed as calendar apps parse it."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_the_published_calendar_in_vietnam_time(client, secretary):
    week = make_week(MONDAY)
    make_entry(
        week,
        2,
        "Hội nghị tập huấn",
        ends_at=datetime.time(11, 30),
        place="Hội trường Tỉnh đoàn",
        presiding=secretary,
        is_event=True,
    )
    make_entry(week, 5, "Ra quân tình nguyện", starts_at=None)
    make_entry(make_week(MONDAY + datetime.timedelta(days=7), published=False), 0, "Bản nháp")

    response = client.get("/lich-cong-tac/lich-cong-tac.ics")
    calendar = Calendar.from_ical(response.content)
    found = events(response)

    assert sorted(found) == ["Hội nghị tập huấn", "Ra quân tình nguyện"]
    assert str(calendar["X-WR-CALNAME"]).startswith("Lịch công tác")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    meeting = found["Hội nghị tập huấn"]
    assert meeting["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert meeting.decoded("DTSTART") == datetime.datetime(2025, 3, 26, 8, 0, tzinfo=HANOI)
    assert meeting.decoded("DTEND") == datetime.datetime(2025, 3, 26, 11, 30, tzinfo=HANOI)
    assert str(meeting["LOCATION"]) == "Hội trường Tỉnh đoàn"
    assert "Chủ trì: Nguyễn Thị Hoa" in str(meeting["DESCRIPTION"])
    assert meeting["CATEGORIES"].cats == ["Sự kiện"]
    assert str(meeting["URL"]).startswith("http://testserver/lich-cong-tac/tuan/2025-03-24/#lich-")
    all_day = found["Ra quân tình nguyện"]
    assert all_day.decoded("DTSTART") == datetime.date(2025, 3, 29)
    assert all_day.decoded("DTEND") == datetime.date(2025, 3, 30)


def test_a_change_updates_the_same_event_and_a_cancellation_removes_it(client, secretary):
    week = make_week(MONDAY)
    moved = make_entry(week, 1, "Làm việc với Huyện đoàn Ba Bể")
    dropped = make_entry(week, 3, "Hội nghị tập huấn")
    first = events(client.get("/lich-cong-tac/lich-cong-tac.ics"))
    original = first["Làm việc với Huyện đoàn Ba Bể"]
    assert original["SEQUENCE"] == 0

    with time_machine.travel(WEDNESDAY + datetime.timedelta(hours=1)):
        before = moved.shown()
        moved.starts_at = datetime.time(14, 0)
        moved.save()
        moved.after_edit(before, note="Lùi sang buổi chiều.")
        dropped.after_edit(dropped.shown(), cancelled=True)
    second = events(client.get("/lich-cong-tac/lich-cong-tac.ics"))

    assert list(second) == ["Làm việc với Huyện đoàn Ba Bể"]
    changed = second["Làm việc với Huyện đoàn Ba Bể"]
    assert changed["UID"] == original["UID"] == str(moved.uid)
    assert changed["SEQUENCE"] == 1
    assert changed.decoded("DTSTART").time() == datetime.time(14, 0)
    assert changed.decoded("DTSTAMP") > original.decoded("DTSTAMP")
    assert "thời gian: 08:00 → 14:00. Lùi sang buổi chiều." in str(changed["DESCRIPTION"])


def test_a_leader_has_a_feed_of_what_they_preside_or_attend(client, secretary):
    week = make_week(MONDAY)
    make_entry(week, 0, "Giao ban", presiding=secretary)
    make_entry(week, 1, "Tập huấn", attendees=[secretary])
    make_entry(week, 2, "Việc của người khác")
    staff = make_officer(make_department("Văn phòng"), "Lê Văn Bình")

    response = client.get(f"/lich-cong-tac/lanh-dao/{secretary.pk}.ics")

    assert sorted(events(response)) == ["Giao ban", "Tập huấn"]
    assert "Nguyễn Thị Hoa" in str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
    # Only leaders have feeds.
    assert client.get(f"/lich-cong-tac/lanh-dao/{staff.pk}.ics").status_code == 404
    assert client.get("/lich-cong-tac/lanh-dao/999.ics").status_code == 404
