import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from schedule.models import Entry, EntryChange, Week, next_change
from tests.factories import make_department, make_entry, make_officer, make_week

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2025, 3, 24)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def leader():
    return make_officer(make_department("Ban Thường vụ", is_leadership=True), "Nguyễn Thị Hoa")


def test_a_week_is_taken_from_monday_whatever_day_is_typed():
    week = Week(monday=datetime.date(2025, 3, 27))
    week.full_clean()
    week.save()
    assert week.monday == MONDAY
    assert str(week) == "Tuần từ 24/03/2025 đến 30/03/2025"
    with pytest.raises(ValidationError) as error:
        Week(monday=datetime.date(2025, 3, 30)).full_clean()
    assert error.value.message_dict["monday"] == ["Tuần này đã có lịch công tác."]


@pytest.mark.parametrize(
    ("utc", "midnight"),
    [
        # 10:00 in Vietnam: tonight's midnight, Vietnam time.
        (datetime.datetime(2025, 3, 26, 3, 0), datetime.datetime(2025, 3, 27, tzinfo=HANOI)),
        # 23:59 on Sunday in Vietnam, still Sunday afternoon in UTC: Monday's midnight.
        (datetime.datetime(2025, 3, 30, 16, 59), datetime.datetime(2025, 3, 31, tzinfo=HANOI)),
        # 00:30 in Vietnam, the day before in UTC: the next midnight, not this one.
        (datetime.datetime(2025, 3, 26, 17, 30), datetime.datetime(2025, 3, 28, tzinfo=HANOI)),
    ],
)
def test_the_calendar_changes_by_itself_at_the_next_midnight_in_vietnam(utc, midnight):
    assert next_change(utc.replace(tzinfo=datetime.UTC)) == midnight


def test_an_entry_cannot_end_before_it_starts():
    week = make_week(MONDAY)
    entry = Entry(
        week=week, date=MONDAY, title="Họp", starts_at=datetime.time(14), ends_at=datetime.time(9)
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "Giờ kết thúc phải sau giờ bắt đầu" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_an_entry_must_be_inside_its_week():
    week = make_week(MONDAY)
    with pytest.raises(ValidationError) as error:
        Entry(week=week, date=MONDAY + datetime.timedelta(days=7), title="Họp").full_clean()
    assert "tuần từ 24/03/2025 đến 30/03/2025" in error.value.message_dict["date"][0]


def test_edits_of_a_draft_are_not_recorded():
    entry = make_entry(make_week(MONDAY, published=False))
    before = entry.shown()
    entry.place = "Hội trường"
    entry.save()
    assert entry.after_edit(before) is None
    assert entry.state == Entry.State.PLANNED
    assert entry.sequence == 0


def test_after_publication_each_edit_readers_see_is_recorded(leader):
    week = make_week(MONDAY)
    entry = make_entry(week, place="Phòng họp", presiding=leader)
    before = entry.shown()
    entry.starts_at, entry.place = datetime.time(14, 0), "Hội trường"
    entry.save()
    change = entry.after_edit(before, note="Theo đề nghị của Tỉnh uỷ.")
    assert entry.state == Entry.State.CHANGED
    assert entry.sequence == 1
    assert change.kind == EntryChange.Kind.CHANGED
    assert change.items == [["time", "08:00", "14:00"], ["place", "Phòng họp", "Hội trường"]]
    assert change.summary().endswith(
        "thời gian: 08:00 → 14:00; địa điểm: Phòng họp → Hội trường. Theo đề nghị của Tỉnh uỷ."
    )
    # Saving without a change readers would see records nothing.
    assert entry.after_edit(entry.shown()) is None
    assert entry.sequence == 1

    cancelled = entry.after_edit(entry.shown(), cancelled=True, note="Hoãn.")
    assert (cancelled.kind, entry.state, entry.sequence) == ("cancelled", "cancelled", 2)
    restored = entry.after_edit(entry.shown(), cancelled=False)
    assert (restored.kind, entry.state, entry.sequence) == ("restored", "changed", 3)

    added = make_entry(week, day=2, title="Làm việc với Huyện đoàn Na Rì")
    assert added.after_edit(None).kind == EntryChange.Kind.ADDED
    assert added.state == Entry.State.ADDED
    assert list(entry.changes.values_list("kind", flat=True)) == [
        "changed",
        "cancelled",
        "restored",
    ]


def test_a_week_is_copied_as_the_draft_of_the_next(leader):
    week = make_week(MONDAY, note="Lịch có thể thay đổi.")
    kept = make_entry(week, day=4, presiding=leader, attendees=[leader], place="Hội trường")
    gone = make_entry(week, day=1, title="Buổi bị hoãn")
    gone.after_edit(gone.shown(), cancelled=True)

    following = week.copy_to_following()

    assert following.monday == MONDAY + datetime.timedelta(days=7)
    assert not following.is_published
    (copy,) = following.entries.all()
    assert copy.date == kept.date + datetime.timedelta(days=7)
    assert (copy.title, copy.place, copy.presiding) == (kept.title, "Hội trường", leader)
    assert list(copy.attendees.all()) == [leader]
    assert copy.uid != kept.uid
    assert (copy.state, copy.sequence) == (Entry.State.PLANNED, 0)
    # Done once: the following week now has its calendar.
    assert week.copy_to_following() is None
