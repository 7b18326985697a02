"""The open data API: what the public site shows, as JSON, never a draft."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from communes.models import CommuneSupport
from news.models import Article, Stage
from tests.factories import (
    ARRANGED,
    BEFORE_ARRANGEMENT,
    LINEAGE_QUERIES,
    NEXT_MOMENT_QUERIES,
    make_article,
    make_category,
    make_commune,
    make_department,
    make_district,
    make_entry,
    make_identity,
    make_image,
    make_link,
    make_officer,
    make_photo,
    make_program,
    make_province,
    make_support,
    make_user,
    make_week,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def get(client, path, **params):
    response = client.get(API + path, params)
    return response, response.json()


def make_article_at(stage, title):
    """Return an article standing at the given stage now."""
    Status = Article.Status
    fields = {
        Stage.DRAFT: {"status": Status.DRAFT},
        Stage.RETURNED: {"status": Status.DRAFT, "returned_at": ago(hours=2)},
        Stage.IN_REVIEW: {"status": Status.REVIEW},
        Stage.APPROVED: {"status": Status.REVIEW, "approved_at": ago(hours=2)},
        Stage.SCHEDULED: {"status": Status.PUBLISHED, "published_at": ago(hours=-5)},
        Stage.LIVE: {"status": Status.PUBLISHED},
        Stage.EXPIRED: {
            "status": Status.PUBLISHED,
            "published_at": ago(days=3),
            "expires_at": ago(hours=1),
        },
        Stage.ARCHIVED: {"status": Status.ARCHIVED},
        Stage.TRASHED: {"status": Status.PUBLISHED, "deleted_at": ago(hours=1)},
    }[stage]
    article = make_article(title=title, **fields)
    assert article.stage == stage
    return article


@pytest.mark.parametrize("stage", list(Stage))
def test_only_live_articles_are_ever_served(client, stage):
    article = make_article_at(stage, f"Bài ở giai đoạn {stage.value}")
    response, data = get(client, "/articles")
    listed = [item["slug"] for item in data["items"]]
    detail = client.get(f"{API}/articles/{article.slug}")
    if stage == Stage.LIVE:
        assert listed == [article.slug]
        assert detail.status_code == 200
    else:
        assert listed == []
        assert data["count"] == 0
        assert detail.status_code == 404
        assert article.title not in detail.content.decode()


def test_an_article_as_the_site_shows_it(client):
    category = make_category(name="Công tác Đoàn")
    article = make_article(
        title="Hội nghị tổng kết",
        category=category,
        author_name="Ngọc Tú",
        published_at=datetime.datetime(2023, 1, 12, 1, 30, tzinfo=datetime.UTC),
    )
    make_photo(article, caption="Bí thư chủ trì", credit="Ngọc Tú")
    make_photo(article, caption="Chưa có tệp", with_file=False, order=1)
    library = make_image(caption="Đại biểu dự hội nghị", alt_text="Hội trường", credit="Lan")
    make_photo(article, caption="", image=library, order=2)
    response, data = get(client, f"/articles/{article.slug}")
    assert data["title"] == "Hội nghị tổng kết"
    assert data["published_at"] == "2023-01-12T08:30:00+07:00"
    assert data["byline"] == "Ngọc Tú"
    assert data["url"] == f"http://testserver/tin-tuc/{article.slug}/"
    assert data["category"] == {
        "name": "Công tác Đoàn",
        "slug": "cong-tac-doan",
        "description": "",
        "url": "http://testserver/chuyen-muc/cong-tac-doan/",
    }
    assert data["body"] == "<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai.</p>"
    # A photo without a caption of its own has the library's; the credit is the image's.
    assert [(photo["caption"], photo["alt_text"], photo["credit"]) for photo in data["photos"]] == [
        ("Bí thư chủ trì", "Bí thư chủ trì", "Ngọc Tú"),
        ("Đại biểu dự hội nghị", "Hội trường", "Lan"),
    ]
    assert data["photos"][0]["url"].startswith("http://testserver/media/")
    assert data["photos"][0]["width"] == 64
    for private in ["status", "created_by", "legacy_key", "version", "approved_at"]:
        assert private not in data


def test_articles_are_paginated_newest_first(client):
    for number in range(25):
        make_article(title=f"Tin {number}", published_at=ago(hours=number + 1))
    _, first = get(client, "/articles")
    assert first["count"] == 25
    assert [item["title"] for item in first["items"][:2]] == ["Tin 0", "Tin 1"]
    assert len(first["items"]) == 20
    _, second = get(client, "/articles", page=2)
    assert [item["title"] for item in second["items"]] == [f"Tin {n}" for n in range(20, 25)]
    _, large = get(client, "/articles", page_size=1000)
    assert len(large["items"]) == 25


def test_articles_filter_by_category(client):
    union, movement = make_category(name="Công tác Đoàn"), make_category(name="Phong trào")
    make_article(title="Tin Đoàn", category=union)
    make_article(title="Tin phong trào", category=movement)
    _, data = get(client, "/articles", category=union.slug)
    assert [item["title"] for item in data["items"]] == ["Tin Đoàn"]
    _, data = get(client, "/articles", category="khong-co")
    assert data["items"] == []


def test_date_filters_use_vietnam_days(client):
    # 23:30 on 31 January in Vietnam is still 31 January, though it is 16:30 UTC.
    make_article(
        title="Cuối tháng 1",
        published_at=datetime.datetime(2023, 1, 31, 16, 30, tzinfo=datetime.UTC),
    )
    make_article(
        title="Đầu tháng 2",
        published_at=datetime.datetime(2023, 1, 31, 17, 30, tzinfo=datetime.UTC),
    )
    _, january = get(client, "/articles", from_date="2023-01-01", to_date="2023-01-31")
    assert [item["title"] for item in january["items"]] == ["Cuối tháng 1"]
    _, february = get(client, "/articles", from_date="2023-02-01")
    assert [item["title"] for item in february["items"]] == ["Đầu tháng 2"]


@pytest.mark.parametrize(
    "params",
    [
        {"from_date": "31/01/2023"},
        # Past what the databases and the calendar can count to (these were 500s).
        {"page": str(2**63 - 1)},
        {"to_date": "9999-12-31"},
        {"from_date": "0001-01-01"},
    ],
)
def test_bad_parameters_get_a_bilingual_error(client, params):
    response, data = get(client, "/articles", **params)
    assert response.status_code == 422
    assert data["detail"] == "Một số tham số không hợp lệ."
    assert data["detail_en"] == "Some parameters are not valid."


def test_a_missing_article_gets_a_bilingual_not_found(client):
    response, data = get(client, "/articles/khong-co")
    assert response.status_code == 404
    assert data == {"detail": "Không tìm thấy.", "detail_en": "Not found."}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("number", [3, 30])
def test_lists_run_a_fixed_number_of_queries(client, django_assert_num_queries, number):
    category = make_category()
    for index in range(number):
        make_article(title=f"Tin {index}", category=category)
    # Count, page of articles with their categories.
    with django_assert_num_queries(2):
        client.get(f"{API}/articles")
    with django_assert_num_queries(1):
        client.get(f"{API}/categories")


def test_categories(client):
    make_category(name="Phong trào", order=2)
    make_category(name="Công tác Đoàn", order=1)
    _, data = get(client, "/categories")
    assert [item["slug"] for item in data] == ["cong-tac-doan", "phong-trao"]


# Supported communes


@pytest.fixture
def year_2022():
    program = make_program(2022, planned_count=3, reported_results="2 xã hoàn thành tốt")
    ngan_son = make_district("Ngân Sơn")
    city = make_district("Bắc Kạn", kind="thanh_pho")
    old = make_commune("Bằng Vân", ngan_son, code="01942", valid_until=BEFORE_ARRANGEMENT)
    thai_nguyen = make_province("Thái Nguyên", code="19", valid_from=ARRANGED)
    new = make_commune(
        "Bằng Vân", province=thai_nguyen, code="01942", valid_from=ARRANGED,
        basis="Nghị quyết số 1683/NQ-UBTVQH15, khoản 50 Điều 1",
    )  # fmt: skip
    make_link(old, new, clause="khoản 50 Điều 1")
    make_support(program, old, rating=CommuneSupport.Rating.EXCELLENT, officer="Hà Thu")
    make_support(program, make_commune("Hiệp Lực", ngan_son))
    make_support(program, make_commune("Nông Thượng", city), notes="Xã điểm")
    return program


def test_programs_list_their_counts_and_ratings(client, year_2022):
    make_program(2023)
    _, data = get(client, "/communes/programs")
    assert [program["year"] for program in data] == [2023, 2022]
    latest, program = data
    assert program["supported_count"] == 3
    assert program["planned_count"] == 3
    assert program["start_month"] == "02/2022"
    assert {"rating": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "count": 1} in (
        program["ratings"]
    )
    assert program["json_url"] == "http://testserver/xa-ho-tro/2022.json"
    assert latest["supported_count"] == 0


def test_a_program_lists_its_communes_in_the_csv_order(client, year_2022):
    response, data = get(client, "/communes/programs/2022")
    assert [commune["name"] for commune in data["communes"]] == [
        "Nông Thượng",
        "Bằng Vân",
        "Hiệp Lực",
    ]
    bang_van = data["communes"][1]
    assert bang_van["district"] == "Ngân Sơn"
    assert bang_van["rating_label"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert bang_van["valid_until"] == "2025-06-30"
    assert bang_van["now_part_of"] == "xã Bằng Vân, tỉnh Thái Nguyên"
    assert bang_van["now"] == [
        {
            "name": "Bằng Vân",
            "kind": "xã",
            "code": "01942",
            "province": "Thái Nguyên",
            "url": "http://testserver/xa-ho-tro/xa/bang-van-2/",
        }
    ]
    assert bang_van["officer"] == "Hà Thu"
    assert client.get(f"{API}/communes/programs/1999").status_code == 404


def test_a_unit_says_where_it_came_from_and_went(client, year_2022):
    _, data = get(client, "/communes/units/bang-van-2")
    assert (data["code"], data["valid_from"], data["district"], data["province"]) == (
        "01942",
        "2025-07-01",
        None,
        "Thái Nguyên",
    )
    assert data["basis"] == "Nghị quyết số 1683/NQ-UBTVQH15, khoản 50 Điều 1"
    [came_from] = data["came_from"]
    assert came_from == {
        "unit": {
            "name": "Bằng Vân",
            "kind": "xã",
            "code": "01942",
            "province": "",
            "url": "http://testserver/xa-ho-tro/xa/bang-van/",
        },
        "date": "2025-07-01",
        "resolution": "1683/NQ-UBTVQH15",
        "clause": "khoản 50 Điều 1",
        "whole": True,
    }
    assert data["became"] == data["now"] == []
    _, former = get(client, "/communes/units/bang-van")
    assert [link["unit"]["url"] for link in former["became"]] == [data["url"]]
    assert client.get(f"{API}/communes/units/khong-co").status_code == 404


@pytest.mark.usefixtures("rendered_fresh")
def test_a_program_runs_a_fixed_number_of_queries(client, year_2022, django_assert_num_queries):
    # Program with counts, supports with communes, districts and provinces; once per
    # change, the communes' links (what each is now) and the next scheduled moment.
    with django_assert_num_queries(2 + LINEAGE_QUERIES + NEXT_MOMENT_QUERIES):
        client.get(f"{API}/communes/programs/2022")
    with django_assert_num_queries(2):
        client.get(f"{API}/communes/programs/2022")


# The union


def test_the_identity_has_only_what_the_site_shows(client):
    make_identity(related_portals=[("Trung ương Đoàn", "https://doan.example/")])
    unit = make_department()
    make_officer(unit, phone="0912 000 111", email="bithu@doan.example")
    _, data = get(client, "/identity")
    assert data["short_name"] == "Tỉnh đoàn Bắc Kạn"
    assert data["phone"] == "0209 3870 000"
    assert data["related_portals"] == [{"name": "Trung ương Đoàn", "url": "https://doan.example/"}]
    assert data["map_url"].startswith("https://www.openstreetmap.org/")
    text = str(data)
    assert "0912 000 111" not in text and "bithu@doan.example" not in text


def test_the_identity_names_the_union_of_today_and_its_former_names(client):
    make_identity()
    make_identity(
        full_name="Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên",
        short_name="Tỉnh đoàn Thái Nguyên",
        valid_from=ARRANGED,
        formed_by_merger=True,
    )
    with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
        _, data = get(client, "/identity")
    assert (data["short_name"], data["valid_from"]) == ("Tỉnh đoàn Thái Nguyên", "2025-07-01")
    assert [(period["short_name"], period["formed_by_merger"]) for period in data["history"]] == [
        ("Tỉnh đoàn Bắc Kạn", False),
        ("Tỉnh đoàn Thái Nguyên", True),
    ]


def test_questions_and_their_askers_are_not_in_the_api(client):
    make_user("editor")
    schema = client.get(f"{API}/openapi.json").json()
    assert not any("question" in path for path in schema["paths"])


# Caching, throttling, documentation


def test_answers_may_be_cached_for_a_while(client):
    response = client.get(f"{API}/categories")
    assert response["Cache-Control"] == "public, max-age=300"


def test_each_client_is_throttled_with_a_bilingual_message(client, settings):
    settings.API_RATE = "3/m"
    for _ in range(3):
        assert client.get(f"{API}/categories", REMOTE_ADDR="203.0.113.5").status_code == 200
    response = client.get(f"{API}/categories", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    data = response.json()
    assert re.fullmatch(r"Quá nhiều yêu cầu\. Vui lòng đợi \d+ giây rồi thử lại\.", data["detail"])
    assert data["detail_en"].startswith("Too many requests.")
    assert int(response["Retry-After"]) >= 1
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{API}/categories", REMOTE_ADDR="203.0.113.6").status_code == 200


# The work calendar

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2025, 3, 24)
WEDNESDAY = datetime.datetime(2025, 3, 26, 10, 0, tzinfo=HANOI)


@pytest.fixture
def calendar_week():
    with time_machine.travel(WEDNESDAY, tick=False):
        unit = make_department("Ban Thường vụ", is_leadership=True)
        secretary = make_officer(unit, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn")
        week = make_week(MONDAY)
        meeting = make_entry(
            week,
            1,
            "Giao ban",
            ends_at=datetime.time(9, 30),
            presiding=secretary,
            place="Hội trường",
        )
        meeting.articles.add(make_article(title="Giao ban tuần"))
        moved = make_entry(week, 3, "Tập huấn", attendees=[secretary])
        before = moved.shown()
        moved.starts_at = datetime.time(14, 0)
        moved.save()
        moved.after_edit(before, note="Lùi sang buổi chiều.")
        make_entry(week, 5, "Ra quân", starts_at=None, is_event=True)
        make_entry(make_week(MONDAY + datetime.timedelta(days=7), published=False), 0, "Bản nháp")
        return secretary


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_calendar_is_this_weeks_published_entries_as_the_site_shows_them(client, calendar_week):
    response, data = get(client, "/calendar")
    assert response.status_code == 200
    assert [entry["title"] for entry in data] == ["Giao ban", "Tập huấn", "Ra quân"]
    meeting, moved, all_day = data
    assert meeting["start"] == "2025-03-25T08:00:00+07:00"
    assert meeting["end"] == "2025-03-25T09:30:00+07:00"
    assert meeting["presiding"]["name"] == "Nguyễn Thị Hoa"
    assert meeting["articles"][0]["title"] == "Giao ban tuần"
    assert meeting["url"].startswith("http://testserver/lich-cong-tac/tuan/2025-03-24/#lich-")
    assert (moved["state"], moved["state_label"], moved["sequence"]) == ("changed", "Điều chỉnh", 1)
    (change,) = moved["changes"]
    assert change["items"] == [
        {"item": "time", "label": "thời gian", "before": "08:00", "after": "14:00"}
    ]
    assert change["at"] == "2025-03-26T10:00:00+07:00"
    assert (all_day["all_day"], all_day["start"], all_day["time"]) == (True, None, "Cả ngày")


def test_the_calendar_filters_by_dates_leader_and_events(client, calendar_week):
    _, data = get(client, "/calendar", from_date="2025-03-27", to_date="2025-04-06")
    assert [entry["title"] for entry in data] == ["Tập huấn", "Ra quân"]
    _, data = get(client, "/calendar", from_date="2025-03-24", leader=calendar_week.pk)
    assert [entry["title"] for entry in data] == ["Giao ban", "Tập huấn"]
    _, data = get(client, "/calendar", from_date="2025-03-24", events="true")
    assert [entry["title"] for entry in data] == ["Ra quân"]
    _, leaders = get(client, "/calendar/leaders")
    assert leaders == [
        {
            "id": calendar_week.pk,
            "name": "Nguyễn Thị Hoa",
            "position": "Bí thư Tỉnh đoàn",
            "calendar_url": f"http://testserver/api/v1/calendar?leader={calendar_week.pk}",
            "ical_url": f"http://testserver/lich-cong-tac/lanh-dao/{calendar_week.pk}.ics",
        }
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from_date": "2025-01-01", "to_date": "2025-12-31"}, 422),
        ({"from_date": "2025-03-30", "to_date": "2025-03-24"}, 422),
        ({"from_date": "24/03/2025"}, 422),
        ({"leader": "999"}, 404),
    ],
)
def test_bad_calendar_questions_get_a_bilingual_answer(client, calendar_week, params, status):
    response, data = get(client, "/calendar", **params)
    assert response.status_code == status
    assert set(data) == {"detail", "detail_en"}
    if params.get("to_date"):
        assert data["detail"] == "Chỉ hỏi tối đa 92 ngày, ngày đầu không sau ngày cuối."


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("count", [2, 20])
def test_the_calendar_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    week = make_week(MONDAY)
    for number in range(count):
        make_entry(week, number % 7, f"Việc {number}")
    # Entries with their week, presiding and preparing; attendees, units, changes, news.
    with django_assert_num_queries(5):
        response, data = get(client, "/calendar", from_date="2025-03-24")
    assert len(data) == count
