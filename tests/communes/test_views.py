import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from communes.models import Commune, CommuneSupport, District
from communes.views import LINKED_NEWS
from news.models import Article
from news.views import PAGE_SIZE
from tests.factories import (
    ARRANGED,
    BEFORE_ARRANGEMENT,
    IDENTITY_QUERIES,
    LINEAGE_QUERIES,
    NEXT_MOMENT_QUERIES,
    make_article,
    make_commune,
    make_district,
    make_link,
    make_photo,
    make_program,
    make_province,
    make_support,
)

pytestmark = pytest.mark.django_db
Rating = CommuneSupport.Rating


def make_year(year, commune_count, planned=None, district_count=3):
    """Create a program of commune_count communes spread over districts, with an article each."""
    program = make_program(
        year, planned_count=planned, reported_results="5 xã hoàn thành xuất sắc nhiệm vụ"
    )
    districts = [make_district(f"Huyện {year}-{number}") for number in range(district_count)]
    ratings = list(Rating)
    for number in range(commune_count):
        commune = make_commune(f"Xã {year}-{number:02d}", districts[number % district_count])
        make_support(program, commune, rating=ratings[number % len(ratings)])
        article = make_article(f"Tin xã {year}-{number}")
        commune.articles.add(article)
        program.articles.add(article)
    return program


def test_program_list_newest_first_with_summary_numbers(client):
    make_year(2022, 9, planned=9)
    make_program(2023, planned_count=8, start_month=None, end_month=None)

    response = client.get("/xa-ho-tro/")
    page = response.content.decode()

    assert response.status_code == 200
    assert [program.year for program in response.context["object_list"]] == [2023, 2022]
    assert page.index("2023: Hỗ trợ") < page.index("2022: Hỗ trợ")
    assert "9 xã được hỗ trợ" in page
    assert "kế hoạch 8 xã" in page
    assert "02/2022 – 12/2022" in page
    # The bars are decoration; the table carries the numbers for everyone.
    assert 'class="chart-bars" aria-hidden="true"' in page
    table = page[page.index("<table") : page.index("</table>")]
    assert '<th scope="col">Hoàn thành xuất sắc nhiệm vụ</th>' in table
    assert "<td>9</td>" in table and "<td>8</td>" in table
    # 9 communes, 5 ratings in turn: 2, 2, 2, 2, 1; 2022's bar is full width.
    widths = [
        row["percent"] for row in [s for r in response.context["chart_rows"] for s in r["segments"]]
    ]
    assert widths == [22.22, 22.22, 22.22, 22.22, 11.11]
    assert 'style="width: 22.22%"' in page  # a dot, not the Vietnamese decimal comma


def test_year_page_groups_communes_by_district_with_ratings_and_news(client):
    program = make_program(
        2022, planned_count=9, reported_results="5 xã hoàn thành xuất sắc nhiệm vụ"
    )
    ngan_son = make_district("Ngân Sơn")
    city = make_district("Bắc Kạn", kind=District.Kind.CITY)
    make_support(program, make_commune("Hiệp Lực", ngan_son))
    make_support(
        program, make_commune("Bằng Vân", ngan_son), rating=Rating.EXCELLENT, officer="Nguyễn Văn A"
    )
    make_support(program, make_commune("Nông Thượng", city))
    published = make_article("Tổng kết công tác hỗ trợ năm 2022")
    draft = make_article("Bài nháp về chương trình", status=Article.Status.DRAFT)
    program.articles.add(published, draft)

    response = client.get("/xa-ho-tro/2022/")
    page = response.content.decode()

    assert response.status_code == 200
    groups = [
        (district.name, [support.commune.name for support in supports])
        for district, supports in response.context["district_groups"]
    ]
    assert groups == [("Bắc Kạn", ["Nông Thượng"]), ("Ngân Sơn", ["Bằng Vân", "Hiệp Lực"])]
    assert "Thành phố Bắc Kạn" in page
    assert "Huyện Ngân Sơn" in page
    assert "02/2022 – 12/2022" in page
    assert "5 xã hoàn thành xuất sắc nhiệm vụ" in page
    assert "Cán bộ phụ trách: Nguyễn Văn A" in page
    counts = dict(response.context["program"].rating_counts())
    assert counts[Rating.EXCELLENT] == 1
    assert counts[Rating.NOT_RATED] == 2
    assert published.title in page
    assert draft.title not in page
    assert reverse("communes:commune-detail", kwargs={"slug": "hiep-luc"}) in page
    assert "/xa-ho-tro/2022.csv" in page


def test_a_year_without_named_communes_says_so(client):
    make_program(2023, planned_count=8, start_month=None, end_month=None)
    page = client.get("/xa-ho-tro/2023/").content.decode()
    assert "Chưa công bố danh sách xã của chương trình này." in page
    assert "Kế hoạch" in page


@pytest.fixture
def arranged():
    """A few units of Bắc Kạn before 1 July 2025 and of Thái Nguyên after, linked as
    Nghị quyết 1683/NQ-UBTVQH15 arranged them (and a split, as khoản 37 and 39 did to
    xã Thượng Đình of the former Thái Nguyên)."""
    bac_kan = make_province("Bắc Kạn", code="06", valid_until=BEFORE_ARRANGEMENT)
    old_thai_nguyen = make_province("Thái Nguyên", code="19", valid_until=BEFORE_ARRANGEMENT)
    thai_nguyen = make_province("Thái Nguyên", code="19", valid_from=ARRANGED)
    for province in [bac_kan, old_thai_nguyen]:
        make_link(province, thai_nguyen, resolution="202/2025/QH15")
    districts = {
        name: make_district(name, province=bac_kan, valid_until=BEFORE_ARRANGEMENT)
        for name in ["Bạch Thông", "Ngân Sơn"]
    }
    phu_binh = make_district("Phú Bình", province=old_thai_nguyen, valid_until=BEFORE_ARRANGEMENT)

    def old(name, district, code, **fields):
        fields.setdefault("valid_until", BEFORE_ARRANGEMENT)
        return make_commune(name, district, code=code, **fields)

    def new(name, code, clause):
        return make_commune(
            name, code=code, province=thai_nguyen, valid_from=ARRANGED,
            basis=f"Nghị quyết số 1683/NQ-UBTVQH15, {clause}",
        )  # fmt: skip

    units = {
        "Vi Hương": old("Vi Hương", districts["Bạch Thông"], "01975"),
        "Tân Tú": old("Tân Tú", districts["Bạch Thông"], "01993"),
        "Bằng Vân cũ": old("Bằng Vân", districts["Ngân Sơn"], "01942"),
        "Thượng Ân": old("Thượng Ân", districts["Ngân Sơn"], "01939"),
        "Thượng Quan cũ": old("Thượng Quan", districts["Ngân Sơn"], "01957"),
        "Thượng Đình": old("Thượng Đình", phu_binh, "05935"),
        "Phủ Thông": new("Phủ Thông", "01969", "khoản 60 Điều 1"),
        "Bằng Vân": new("Bằng Vân", "01942", "khoản 50 Điều 1"),
        "Thượng Quan": new("Thượng Quan", "01957", "khoản 91 Điều 1"),
        "Phú Bình": new("Phú Bình", "05908", "khoản 37 Điều 1"),
        "Điềm Thụy": new("Điềm Thụy", "05941", "khoản 39 Điều 1"),
    }
    # A chain: xã Vi Hương itself came from a merger of 2020 (made up for the test).
    units["Vi Hương 2019"] = make_commune(
        "Lạng Mường", districts["Bạch Thông"], valid_until=datetime.date(2020, 1, 31)
    )
    make_link(units["Vi Hương 2019"], units["Vi Hương"], date=datetime.date(2020, 2, 1))
    for former, clause, current in [
        ("Vi Hương", 60, "Phủ Thông"),
        ("Tân Tú", 60, "Phủ Thông"),
        ("Bằng Vân cũ", 50, "Bằng Vân"),
        ("Thượng Ân", 50, "Bằng Vân"),
        ("Thượng Quan cũ", 91, "Thượng Quan"),
    ]:
        make_link(units[former], units[current], clause=f"khoản {clause} Điều 1")
    make_link(units["Thượng Đình"], units["Phú Bình"], clause="khoản 37 Điều 1", whole=False)
    make_link(units["Thượng Đình"], units["Điềm Thụy"], clause="khoản 39 Điều 1", whole=False)
    return units


def test_a_year_page_names_units_as_they_were_and_what_they_are_now(client, arranged):
    program = make_program(2022)
    for name in ["Vi Hương 2019", "Bằng Vân cũ", "Thượng Quan cũ", "Thượng Đình"]:
        make_support(program, arranged[name])

    page = client.get("/xa-ho-tro/2022/").content.decode()

    # Under the district of 2022, each with the unit it is part of today.
    assert "Huyện Bạch Thông" in page and "Huyện Ngân Sơn" in page and "Huyện Phú Bình" in page
    now_is = '</a> <span class="now-is">({})</span>'
    # Through a chain of two mergers (2020, then 2025).
    assert "Lạng Mường" + now_is.format("nay là xã Phủ Thông, tỉnh Thái Nguyên") in page
    # Same name and code, a different and larger unit.
    assert "Bằng Vân" + now_is.format("nay là xã Bằng Vân, tỉnh Thái Nguyên") in page
    # Kept as it was, but no longer in a district.
    assert "Thượng Quan" + now_is.format("nay là xã Thượng Quan, tỉnh Thái Nguyên") in page
    # Divided between two units.
    assert (
        "Thượng Đình" + now_is.format("nay thuộc xã Phú Bình và xã Điềm Thụy, tỉnh Thái Nguyên")
        in page
    )
    assert page.count('class="now-is"') == 4


def test_a_new_unit_s_page_lists_its_predecessors_and_their_supports(client, arranged):
    make_support(make_program(2022), arranged["Bằng Vân cũ"], rating=Rating.EXCELLENT)
    make_support(make_program(2024), arranged["Thượng Ân"])
    make_support(make_program(2026), arranged["Bằng Vân"], rating=Rating.GOOD)

    response = client.get(arranged["Bằng Vân"].get_absolute_url())
    page = response.content.decode()

    assert "<h1>Xã Bằng Vân</h1>" in page
    assert "Căn cứ thành lập</dt><dd>Nghị quyết số 1683/NQ-UBTVQH15, khoản 50 Điều 1" in page
    came_from = page[page.index("Hình thành từ") : page.index("Các năm được hỗ trợ")]
    for former in ["Bằng Vân cũ", "Thượng Ân"]:
        assert f'href="{arranged[former].get_absolute_url()}"' in came_from
    assert came_from.count("từ 01/07/2025 · Nghị quyết số 1683/NQ-UBTVQH15, khoản 50 Điều 1") == 2
    # The union's support across the lineage: each year names the unit it supported.
    assert [
        (support.program.year, support.commune.name) for support in response.context["supports"]
    ] == [(2026, "Bằng Vân"), (2024, "Thượng Ân"), (2022, "Bằng Vân")]
    assert "Hoàn thành xuất sắc nhiệm vụ" in page


def test_a_former_unit_s_page_says_where_it_went(client, arranged):
    make_support(make_program(2026), arranged["Phú Bình"])

    page = client.get(arranged["Thượng Đình"].get_absolute_url()).content.decode()

    assert "(nay thuộc xã Phú Bình và xã Điềm Thụy, tỉnh Thái Nguyên)" in page
    assert "<dd>… – 30/06/2025</dd>" in page
    went = page[page.index("Được sắp xếp vào") : page.index("Các năm được hỗ trợ")]
    assert (
        "Xã Phú Bình</a> (một phần diện tích tự nhiên, quy mô dân số) · từ 01/07/2025 · "
        "Nghị quyết số 1683/NQ-UBTVQH15, khoản 37 Điều 1"
    ) in went
    assert "khoản 39 Điều 1" in went
    assert "Tỉnh Thái Nguyên" in page
    # The unit it partly went into was supported in 2026: part of its lineage.
    assert "2026" in page[page.index("Các năm được hỗ trợ") :]


def test_the_list_of_communes_as_they_were_and_by_today_s_units(client, arranged):
    make_support(make_program(2022), arranged["Vi Hương"])
    make_support(make_program(2023), arranged["Tân Tú"])
    make_support(make_program(2024), arranged["Thượng Đình"])
    make_support(make_program(2026), arranged["Phủ Thông"])

    then = client.get("/xa-ho-tro/danh-sach-xa/")
    assert [group.name for group, _ in then.context["groups"]] == [
        "Bạch Thông", "Phú Bình", "Thái Nguyên"
    ]  # fmt: skip
    assert 'Vi Hương</a> <span class="now-is">(nay là xã Phủ Thông' in then.content.decode()

    now = client.get("/xa-ho-tro/danh-sach-xa/theo-don-vi-hien-nay/")
    groups = {
        group.name: [(commune.name, whole) for commune, _, whole in members]
        for group, members in now.context["groups"]
    }
    assert groups == {
        "Điềm Thụy": [("Thượng Đình", False)],
        "Phú Bình": [("Thượng Đình", False)],
        "Phủ Thông": [("Phủ Thông", True), ("Tân Tú", True), ("Vi Hương", True)],
    }
    page = now.content.decode()
    assert "Xã Phủ Thông</a>, tỉnh Thái Nguyên" in page
    assert "(một phần)" in page


def test_a_2026_program_lists_new_units_beside_former_years(client, arranged):
    program_2022 = make_program(2022, planned_count=2)
    make_support(program_2022, arranged["Bằng Vân cũ"])
    make_support(program_2022, arranged["Thượng Ân"])
    make_support(make_program(2026, planned_count=1), arranged["Bằng Vân"])

    listing = client.get("/xa-ho-tro/")
    counts = {program.year: program.support_count for program in listing.context["object_list"]}
    # Each year counts the units of its own time: two communes in 2022, one today.
    assert counts == {2026: 1, 2022: 2}

    page_2026 = client.get("/xa-ho-tro/2026/")
    [(group, supports)] = page_2026.context["district_groups"]
    assert str(group) == "tỉnh Thái Nguyên"
    assert [support.commune for support in supports] == [arranged["Bằng Vân"]]
    assert arranged["Bằng Vân"].get_absolute_url() in page_2026.content.decode()
    assert arranged["Bằng Vân cũ"].get_absolute_url() not in page_2026.content.decode()


def test_commune_page_lists_every_year_its_rating_and_published_news(client):
    commune = make_commune("Hiệp Lực", make_district("Ngân Sơn"))
    make_support(make_program(2022), commune, rating=Rating.GOOD)
    make_support(make_program(2023), commune)
    now = datetime.datetime(2023, 1, 12, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    news = make_article("Đoàn xã Hiệp Lực ra quân tình nguyện", published_at=now)
    scheduled = make_article("Bài hẹn giờ", published_at=now + datetime.timedelta(minutes=1))
    draft = make_article("Bài nháp", status=Article.Status.DRAFT)
    commune.articles.add(news, scheduled, draft)

    with time_machine.travel(now, tick=False):
        response = client.get("/xa-ho-tro/xa/hiep-luc/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Xã Hiệp Lực</h1>" in page
    assert "Huyện Ngân Sơn" in page
    assert [support.program.year for support in response.context["supports"]] == [2023, 2022]
    assert "Hoàn thành tốt nhiệm vụ" in page
    assert "Chưa đánh giá" in page
    assert news.title in page
    assert scheduled.title not in page
    assert draft.title not in page


@pytest.mark.parametrize(
    "path",
    [
        "/xa-ho-tro/2021/",  # no program that year
        "/xa-ho-tro/abcd/",
        "/xa-ho-tro/20222/",
        "/xa-ho-tro/99999999999999999999/",
        "/xa-ho-tro/-2022/",
        "/xa-ho-tro/2021.csv",
        "/xa-ho-tro/abcd.csv",
        "/xa-ho-tro/xa/khong-co/",
    ],
)
def test_unknown_years_and_communes_are_404(client, path):
    make_program(2022)
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_csv_download_is_the_export_format(client, capsys):
    program = make_program(2022, planned_count=9)
    make_support(program, make_commune("Hiệp Lực", make_district("Ngân Sơn")))

    response = client.get("/xa-ho-tro/2022.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="xa-ho-tro-2022.csv"'
    assert response.content.startswith("\ufeff".encode())
    call_command("export_communes", "--year", "2022")
    assert response.content.decode("utf-8-sig") == capsys.readouterr().out
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["commune"], row["district"], row["rating"]) == (
        "Hiệp Lực",
        "Ngân Sơn",
        "Chưa đánh giá",
    )


def test_csv_download_shows_formula_like_names_and_notes_as_text(client):
    program = make_program(2022)
    hostile = '=HYPERLINK("http://evil.example","x")'
    make_support(program, make_commune(hostile, make_district("Ngân Sơn")), notes="@SUM(1+1)")
    make_support(program, make_commune("Nà Phặc - Thượng Quan", make_district("Ngân Sơn")))

    text = client.get("/xa-ho-tro/2022.csv").content.decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["commune"], row["notes"]) for row in rows] == [
        ("'" + hostile, "'@SUM(1+1)"),
        ("Nà Phặc - Thượng Quan", ""),
    ]


def test_menu_links_to_the_programs(client):
    page = client.get("/").content.decode()
    assert '<a href="/xa-ho-tro/">Xã được hỗ trợ</a>' in page


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("commune_count", [3, 30])
def test_query_counts_do_not_grow_with_the_communes_or_their_lineage(
    client, django_assert_num_queries, commune_count
):
    make_year(2022, commune_count, planned=commune_count)
    make_year(2021, commune_count)
    thai_nguyen = make_province("Thái Nguyên", valid_from=ARRANGED)
    bac_kan = make_province("Bắc Kạn", valid_until=BEFORE_ARRANGEMENT)
    make_link(bac_kan, thai_nguyen, resolution="202/2025/QH15")
    Commune.objects.update(province=bac_kan)
    # Every commune went into a unit of 2025 through a chain as long as its number: the
    # pages follow the chains without a query per link.
    for number, commune in enumerate(Commune.objects.filter(name__startswith="Xã 2022")):
        previous = commune
        for step in range(number % 4 + 1):
            following = make_commune(f"{commune.name} → {step}", province=thai_nguyen)
            make_link(previous, following)
            previous = following
    commune = Commune.objects.get(name="Xã 2022-01")
    make_link(make_commune("Xã cũ", commune.district), commune, date=datetime.date(2020, 2, 1))
    make_support(make_program(2020), commune)

    # navigation menu + programs with their counts; the first page after a change also
    # reads the identity and the next scheduled moment
    with django_assert_num_queries(2 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        assert client.get("/xa-ho-tro/").status_code == 200
    # menu + program with counts + supports with communes, districts and provinces +
    # newest articles + their cover photos; the first page to name units says what
    # communes and districts are now (their links, once per change)
    with django_assert_num_queries(5 + 2 * LINEAGE_QUERIES):
        response = client.get("/xa-ho-tro/2022/")
    assert (
        sum(len(supports) for _, supports in response.context["district_groups"]) == commune_count
    )
    assert response.content.decode().count("(nay là xã Xã 2022-") == commune_count
    with django_assert_num_queries(5):
        client.get("/xa-ho-tro/2022/")
    # menu + commune + the supports of its lineage + its newest news + their covers; the
    # links of its province, read for the first time
    with django_assert_num_queries(5 + LINEAGE_QUERIES):
        response = client.get(commune.get_absolute_url())
    assert [support.program.year for support in response.context["supports"]] == [2022, 2020]
    assert "Xã cũ" in response.content.decode()
    assert 'Bắc Kạn <span class="now-is">(nay là tỉnh Thái Nguyên)</span>' in (
        response.content.decode()
    )
    # program + supports + programs for export
    with django_assert_num_queries(3):
        response = client.get("/xa-ho-tro/2022.csv")
    assert response.content.decode("utf-8-sig").count("\n") == commune_count + 1
    # menu + every support with its commune and program, both readings
    for url in ["/xa-ho-tro/danh-sach-xa/", "/xa-ho-tro/danh-sach-xa/theo-don-vi-hien-nay/"]:
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200


def make_linked_news(count, **link):
    """Publish `count` articles an hour apart, newest last, linked as `link` says."""
    now = timezone.now()
    articles = []
    for number in range(count):
        article = make_article(
            f"Tin số {number:02d}", published_at=now - datetime.timedelta(hours=count - number)
        )
        for name, target in link.items():
            getattr(article, name).add(target)
        articles.append(article)
    return articles


def titles(response):
    return [article.title for article in response.context["articles"]]


@pytest.mark.parametrize("count", [LINKED_NEWS, LINKED_NEWS + 1, 40])
def test_a_year_page_shows_its_newest_news_and_links_to_the_rest(client, count):
    program = make_program(2022)
    make_linked_news(count, support_programs=program)

    response = client.get("/xa-ho-tro/2022/")

    assert titles(response) == [
        f"Tin số {n:02d}" for n in range(count - 1, count - 1 - LINKED_NEWS, -1)
    ]
    page = response.content.decode()
    assert ('href="/xa-ho-tro/2022/tin-bai/"' in page) == (count > LINKED_NEWS)


def test_a_commune_page_shows_its_newest_news_and_links_to_the_rest(client):
    commune = make_commune("Bằng Thành")
    make_linked_news(LINKED_NEWS + 2, communes=commune)

    response = client.get(commune.get_absolute_url())

    assert titles(response)[0] == f"Tin số {LINKED_NEWS + 1:02d}"
    assert len(titles(response)) == LINKED_NEWS
    assert f'href="/xa-ho-tro/xa/{commune.slug}/tin-bai/"' in response.content.decode()


def test_all_of_a_years_news_page_by_page(client):
    program = make_program(2022, title="Chương trình hỗ trợ xã năm 2022")
    make_linked_news(30, support_programs=program)
    make_article("Bản nháp chưa duyệt", status="draft").support_programs.add(program)
    make_article("Tin của năm khác")

    first = client.get("/xa-ho-tro/2022/tin-bai/")
    last = client.get("/xa-ho-tro/2022/tin-bai/?page=3")

    page = first.content.decode()
    assert "<h1>Tin bài về Chương trình hỗ trợ xã năm 2022</h1>" in page
    assert 'href="/xa-ho-tro/2022/"' in page
    assert [a.title for a in first.context["article_list"]][:2] == ["Tin số 29", "Tin số 28"]
    assert [a.title for a in last.context["article_list"]] == [
        f"Tin số {n:02d}" for n in range(5, -1, -1)
    ]
    assert "Bản nháp chưa duyệt" not in page + last.content.decode()
    assert "Tin của năm khác" not in page + last.content.decode()
    assert client.get("/xa-ho-tro/2019/tin-bai/").status_code == 404


def test_all_of_a_communes_news(client):
    commune = make_commune("Bằng Thành")
    make_linked_news(3, communes=commune)

    response = client.get(f"/xa-ho-tro/xa/{commune.slug}/tin-bai/")

    assert "<h1>Tin bài về Xã Bằng Thành</h1>" in response.content.decode()
    assert [a.title for a in response.context["article_list"]] == [
        "Tin số 02", "Tin số 01", "Tin số 00"
    ]  # fmt: skip
    assert client.get("/xa-ho-tro/xa/khong-co/tin-bai/").status_code == 404


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("count", [3, 40])
def test_linked_news_cost_the_same_queries_however_many_with_photos(
    client, django_assert_num_queries, count
):
    program = make_program(2022)
    commune = make_commune("Bằng Thành")
    for article in make_linked_news(count, support_programs=program, communes=commune):
        make_photo(article)
        make_photo(article, caption="Ảnh thứ hai")

    # menu + program with counts + supports + newest articles + their cover photos; the
    # first page after a change also reads the identity and the next scheduled moment
    with django_assert_num_queries(5 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        page = client.get("/xa-ho-tro/2022/").content.decode()
    assert page.count("<picture>") == min(count, LINKED_NEWS)
    # menu + program + the count (remembered after) + page of articles + their cover photos
    with django_assert_num_queries(5):
        page = client.get("/xa-ho-tro/2022/tin-bai/").content.decode()
    assert page.count("<picture>") == min(count, PAGE_SIZE)
    with django_assert_num_queries(6):
        page = client.get(commune.get_absolute_url()).content.decode()
    assert page.count("<picture>") == min(count, LINKED_NEWS)
