import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core import workflow
from news.models import Article
from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    admin_url,
    logged_in,
    make_article,
    make_category,
    make_user,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 26 March 2025, 10:00 in Vietnam.
NOW = datetime.datetime(2025, 3, 26, 10, 0, tzinfo=HANOI)


@pytest.fixture
def week(db):
    category = make_category(name="Phong trào")
    publisher = make_user("publisher", username="lanhdao")
    make_article(
        title="Đăng thứ hai", published_at=datetime.datetime(2025, 3, 24, 7, 30, tzinfo=HANOI)
    )
    make_article(
        title="Đăng chủ nhật tuần trước",
        published_at=datetime.datetime(2025, 3, 23, 23, 30, tzinfo=HANOI),
    )
    scheduled = make_article(title="Hẹn thứ sáu", status=Article.Status.REVIEW, category=category)
    with time_machine.travel(NOW, tick=False):
        workflow.perform(
            scheduled,
            "publish",
            publisher,
            at=datetime.datetime(2025, 3, 28, 6, 0, tzinfo=HANOI),
        )
    make_article(title="Bản nháp", status=Article.Status.DRAFT)
    return publisher


def cells(content):
    """Return the calendar's cells as {day: text}."""
    import re

    found = {}
    for cell in re.findall(r"<td[^>]*>(.*?)</td>", content, re.S):
        day = re.search(r'class="calendar-day">(\d\d/\d\d)<', cell).group(1)
        found[day] = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    return found


@time_machine.travel(NOW, tick=False)
def test_leaders_see_the_week_day_by_day(client, week, django_assert_max_num_queries):
    client = logged_in(client, week)
    # Its own queries; the first admin page after a change also reads the identity (the
    # header) and the next scheduled moment.
    with django_assert_max_num_queries(5 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        response = client.get(admin_url("calendar"))
    content = response.content.decode()
    days = cells(content)
    assert list(days) == ["24/03", "25/03", "26/03", "27/03", "28/03", "29/03", "30/03"]
    assert "07:30 Đăng thứ hai Đã xuất bản" in days["24/03"]
    assert "06:00 Hẹn thứ sáu Hẹn giờ đăng · Phong trào" in days["28/03"]
    assert "Đăng chủ nhật tuần trước" not in content  # 23/03 local, the week before
    assert "Bản nháp" not in content
    assert "Tuần từ 24/03/2025 đến 30/03/2025" in content
    assert "Thứ 2" in content


@time_machine.travel(NOW, tick=False)
def test_the_previous_week_and_the_month(client, week):
    client = logged_in(client, week)
    before = client.get(admin_url("calendar"), {"tuan": "2025-03-17"}).content.decode()
    assert "23:30 Đăng chủ nhật tuần trước" in cells(before)["23/03"]
    month = client.get(admin_url("calendar"), {"thang": "2025-03"}).content.decode()
    assert "Tháng 03/2025" in month
    assert {"01/03", "31/03", "24/02", "06/04"} <= set(cells(month))
    for title in ("Đăng thứ hai", "Hẹn thứ sáu", "Đăng chủ nhật tuần trước"):
        assert title in month
    # A garbled date shows the current week, never an error.
    assert client.get(admin_url("calendar"), {"tuan": "x", "thang": "2025-99"}).status_code == 200


def test_only_leaders_have_the_calendar(client, db):
    editor = logged_in(client, make_user("editor"))
    assert editor.get(admin_url("calendar")).status_code == 403
    assert "Lịch đăng bài" not in editor.get(admin_url("changelist")).content.decode()
