"""The calendar in the admin: drafted, published, changed and cancelled, by the roles table."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin import helpers
from django.urls import reverse
from icalendar import Calendar

from schedule.models import Entry, Week
from tests.factories import (
    form_errors,
    logged_in,
    make_department,
    make_entry,
    make_officer,
    make_user,
    make_week,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2025, 3, 24)
WEDNESDAY = datetime.datetime(2025, 3, 26, 10, 0, tzinfo=HANOI)
WEEKS = reverse("admin:schedule_week_changelist")


@pytest.fixture(autouse=True)
def wednesday():
    with time_machine.travel(WEDNESDAY):
        yield


@pytest.fixture
def secretary():
    unit = make_department("Ban Thường vụ", is_leadership=True)
    return make_officer(unit, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn")


def week_form(monday="26/03/2025", rows=(), initial=0, **fields):
    """Return the POST data of the week's form, its entries as rows of the inline table."""
    data = {
        "monday": monday,
        "note": "",
        "entries-TOTAL_FORMS": len(rows),
        "entries-INITIAL_FORMS": initial,
        "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, row in enumerate(rows):
        row = {"starts_at": "", "ends_at": "", "place": "", "presiding": "", **row}
        data.update({f"entries-{index}-{name}": value for name, value in row.items()})
    return data


def entry_form(entry, **changes):
    """Return the POST data of the entry's own form as it stands, with the changes."""
    data = {
        "date": entry.date.strftime("%d/%m/%Y"),
        "starts_at": entry.starts_at.strftime("%H:%M") if entry.starts_at else "",
        "ends_at": entry.ends_at.strftime("%H:%M") if entry.ends_at else "",
        "title": entry.title,
        "place": entry.place,
        "presiding": entry.presiding_id or "",
        "attendees": [officer.pk for officer in entry.attendees.all()],
        "attending_departments": [],
        "other_attendees": entry.other_attendees,
        "preparing_department": "",
        "notes": entry.notes,
        "articles": [],
        "change_note": "",
        **changes,
    }
    if entry.is_cancelled and "cancelled" not in changes:
        data["cancelled"] = "on"
    return data


def run_action(client, action, weeks):
    return client.post(
        WEEKS,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [week.pk for week in weeks]},
        follow=True,
    )


def reader_sees(client):
    """Return what a reader gets of this week: the page's entries, the feed's, the API's."""
    client.logout()
    page = client.get("/lich-cong-tac/").content.decode()
    rows = {
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r'<td class="entry-what".*?</td>', page, re.S)
    }
    calendar = Calendar.from_ical(client.get("/lich-cong-tac/lich-cong-tac.ics").content)
    feed = {
        str(event["SUMMARY"]): (str(event["UID"]), int(event["SEQUENCE"]))
        for event in calendar.walk("VEVENT")
    }
    api = {entry["title"]: entry["state"] for entry in client.get("/api/v1/calendar").json()}
    return rows, feed, api


def test_a_week_drafted_published_changed_and_cancelled_shows_each_state(client, secretary):
    contributor = make_user("contributor")
    editor = make_user("editor")
    publisher = make_user("publisher")

    # Drafted by a contributor: the week is taken from its Monday; readers see nothing yet.
    rows = [
        {"date": "25/03/2025", "starts_at": "08:00", "title": "Làm việc với Ba Bể"},
        {"date": "27/03/2025", "title": "Hội nghị tập huấn", "presiding": secretary.pk},
    ]
    response = logged_in(client, contributor).post(
        reverse("admin:schedule_week_add"), week_form(rows=rows)
    )
    assert response.status_code == 302, form_errors(response)
    week = Week.objects.get()
    assert week.monday == MONDAY
    assert reader_sees(client) == (set(), {}, {})

    # A contributor may not publish; a leader does, and the entries go live together.
    run_action(logged_in(client, contributor), "publish", [week])
    week.refresh_from_db()
    assert not week.is_published
    response = run_action(logged_in(client, publisher), "publish", [week])
    assert "Đã công bố 1 tuần" in response.content.decode()
    page, feed, api = reader_sees(client)
    assert page == {"Làm việc với Ba Bể", "Hội nghị tập huấn"}
    assert sorted(feed) == ["Hội nghị tập huấn", "Làm việc với Ba Bể"]
    assert api == {"Làm việc với Ba Bể": "planned", "Hội nghị tập huấn": "planned"}
    uid = feed["Làm việc với Ba Bể"][0]

    # A published week is no longer the contributor's to change.
    moved = Entry.objects.get(title="Làm việc với Ba Bể")
    change_url = reverse("admin:schedule_entry_change", args=[moved.pk])
    response = logged_in(client, contributor).post(change_url, entry_form(moved, place="Nơi khác"))
    assert response.status_code == 403

    # An editor moves one entry and cancels the other: readers see each, with when and why.
    staff = logged_in(client, editor)
    response = staff.post(
        change_url, entry_form(moved, starts_at="14:00", change_note="Theo đề nghị của Ba Bể.")
    )
    assert response.status_code == 302, form_errors(response)
    dropped = Entry.objects.get(title="Hội nghị tập huấn")
    response = staff.post(
        reverse("admin:schedule_entry_change", args=[dropped.pk]),
        entry_form(dropped, cancelled="on", change_note="Hoãn sang tuần sau."),
    )
    assert response.status_code == 302, form_errors(response)

    page, feed, api = reader_sees(client)
    assert page == {
        "Điều chỉnh Làm việc với Ba Bể Điều chỉnh lúc 10:00 ngày 26/03/2025: "
        "thời gian: 08:00 → 14:00. Theo đề nghị của Ba Bể.",
        "Đã huỷ Hội nghị tập huấn Huỷ lúc 10:00 ngày 26/03/2025: Hoãn sang tuần sau.",
    }
    assert feed == {"Làm việc với Ba Bể": (uid, 1)}
    assert api == {"Làm việc với Ba Bể": "changed", "Hội nghị tập huấn": "cancelled"}


def test_rows_changed_on_the_weeks_page_are_recorded_too(client, secretary):
    week = make_week(MONDAY)
    entry = make_entry(week, 1, "Giao ban")
    row = {
        "id": entry.pk,
        "week": week.pk,
        "date": "25/03/2025",
        "starts_at": "08:00",
        "title": "Giao ban",
        "place": "Hội trường",
    }
    new = {"date": "28/03/2025", "starts_at": "14:00", "title": "Tiếp đoàn công tác"}
    response = logged_in(client, make_user("editor")).post(
        reverse("admin:schedule_week_change", args=[week.pk]),
        week_form(rows=[row, new], initial=1),
    )
    assert response.status_code == 302, form_errors(response)
    entry.refresh_from_db()
    assert (entry.state, entry.sequence) == ("changed", 1)
    assert entry.changes.get().items == [["place", "", "Hội trường"]]
    assert Entry.objects.get(title="Tiếp đoàn công tác").state == "added"


def test_an_entry_outside_its_week_is_refused_with_a_clear_message(client):
    rows = [{"date": "02/04/2025", "title": "Họp tuần sau"}]
    response = logged_in(client, make_user("contributor")).post(
        reverse("admin:schedule_week_add"), week_form(rows=rows)
    )
    assert response.status_code == 200
    assert "Ngày phải nằm trong tuần từ 24/03/2025 đến 30/03/2025." in form_errors(response)
    assert not Week.objects.exists()


@pytest.mark.parametrize(
    ("role", "publishes", "revises"),
    [("contributor", False, False), ("editor", False, True), ("publisher", True, True)],
)
def test_the_roles_table_says_who_drafts_revises_and_publishes(client, role, publishes, revises):
    user = make_user(role)
    assert user.has_perm("schedule.add_week") and user.has_perm("schedule.add_entry")
    assert user.has_perm("schedule.publish_week") is publishes
    assert user.has_perm("schedule.revise_published_week") is revises
    published = make_entry(make_week(MONDAY), 1, "Đã công bố")
    staff = logged_in(client, user)
    url = reverse("admin:schedule_entry_change", args=[published.pk])
    response = staff.post(url, entry_form(published, place="Nơi khác"))
    assert response.status_code == (302 if revises else 403)
    actions = staff.get(WEEKS).content.decode()
    assert ('value="publish"' in actions) is publishes
    # Entries of a published week are cancelled, never deleted.
    url = reverse("admin:schedule_entry_delete", args=[published.pk])
    assert staff.post(url, {"post": "yes"}).status_code == 403


def test_a_week_is_copied_as_the_next_weeks_draft(client, secretary):
    week = make_week(MONDAY)
    make_entry(week, 0, "Giao ban", presiding=secretary)
    staff = logged_in(client, make_user("contributor"))
    response = run_action(staff, "copy_to_following", [week])
    copy = Week.objects.get(monday=datetime.date(2025, 3, 31))
    assert "Đã sao chép thành bản nháp" in response.content.decode()
    assert list(copy.entries.values_list("date", "title")) == [
        (datetime.date(2025, 3, 31), "Giao ban")
    ]
    response = run_action(staff, "copy_to_following", [week])
    assert "đã có lịch công tác: không sao chép." in response.content.decode()
    assert Week.objects.count() == 2


def test_a_leader_who_presided_stays_in_the_directory(client, secretary):
    """Published calendars keep the names of who presided: the directory refuses, no error."""
    make_entry(make_week(MONDAY), 0, "Giao ban", presiding=secretary)
    url = reverse("admin:about_department_delete", args=[secretary.department.pk])
    response = logged_in(client, make_user("editor")).post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "<h1>Không thể xóa đơn vị</h1>" in response.content.decode()
    secretary.refresh_from_db()
