"""Introduction pages, the organisation chart, the contact page, the site map, in two languages."""

import re

import pytest

from about.models import IntroPage
from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    element,
    make_category,
    make_department,
    make_identity,
    make_intro_page,
    make_officer,
    make_program,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    general = make_intro_page(
        "Giới thiệu chung",
        order=1,
        title_en="General introduction",
        body="<p>Tỉnh đoàn là tổ chức của thanh niên.</p>",
        body_en="<p>The provincial union is the youth's organisation.</p>",
    )
    structure = make_intro_page("Cơ cấu tổ chức", order=3, shows_directory=True)
    duties = make_intro_page("Chức năng, nhiệm vụ", order=2, title_en="Functions and duties")
    history = make_intro_page("Lịch sử Đoàn tỉnh", parent=general, title_en="History")
    return {"general": general, "structure": structure, "duties": duties, "history": history}


def test_slugs_fold_vietnamese(pages):
    assert pages["structure"].slug == "co-cau-to-chuc"
    assert pages["duties"].slug == "chuc-nang-nhiem-vu"
    assert make_intro_page("Đoàn Thanh niên").slug == "doan-thanh-nien"


def test_the_introduction_lists_the_pages_as_a_tree(client, pages):
    content = element(client.get("/gioi-thieu/"), "main")
    titles = re.findall(r'<a href="/gioi-thieu/([^/]+)/">([^<]+)</a>', content)
    assert titles == [
        ("gioi-thieu-chung", "Giới thiệu chung"),
        ("lich-su-doan-tinh", "Lịch sử Đoàn tỉnh"),
        ("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ"),
        ("co-cau-to-chuc", "Cơ cấu tổ chức"),
    ]
    # The history page sits in a list nested under its parent.
    nested = content[content.index("Giới thiệu chung") : content.index("Chức năng, nhiệm vụ")]
    assert nested.count("<ul") == 1


def test_a_page_shows_its_body_subpages_and_breadcrumbs(client, pages):
    response = client.get("/gioi-thieu/gioi-thieu-chung/")
    content = element(response, "main")
    assert "<h1>Giới thiệu chung</h1>" in content
    assert "<p>Tỉnh đoàn là tổ chức của thanh niên.</p>" in content
    assert "Trong mục này" in content
    assert '<a href="/gioi-thieu/lich-su-doan-tinh/">Lịch sử Đoàn tỉnh</a>' in content
    child = element(client.get("/gioi-thieu/lich-su-doan-tinh/"), "main")
    breadcrumbs = child[child.index('class="breadcrumbs"') : child.index("</nav>")]
    assert '<a href="/gioi-thieu/">Giới thiệu</a>' in breadcrumbs
    assert '<a href="/gioi-thieu/gioi-thieu-chung/">Giới thiệu chung</a>' in breadcrumbs


def test_hidden_pages_and_their_subpages_are_not_found(client, pages):
    IntroPage.objects.filter(pk=pages["general"].pk).update(is_visible=False)
    assert client.get("/gioi-thieu/gioi-thieu-chung/").status_code == 404
    assert client.get("/gioi-thieu/lich-su-doan-tinh/").status_code == 404
    assert "Giới thiệu chung" not in element(client.get("/gioi-thieu/"), "main")
    assert client.get("/gioi-thieu/khong-co/").status_code == 404


def test_the_body_is_sanitised_when_saved():
    page = make_intro_page(
        body='<p onclick="x()">Chào</p><script>alert(1)</script><iframe src="//x"></iframe>',
        body_en='<p style="color:red">Hello</p><a href="javascript:alert(1)">x</a>',
    )
    page.refresh_from_db()
    assert page.body == "<p>Chào</p>"
    assert page.body_en == '<p>Hello</p><a rel="noopener noreferrer">x</a>'


def test_a_page_cannot_be_placed_under_its_own_subpage(pages):
    general = pages["general"]
    general.parent = pages["history"]
    with pytest.raises(Exception, match="trang con"):
        general.full_clean()


def test_the_organisation_chart_shows_the_leadership_above_the_departments(client, pages):
    office = make_department("Văn phòng", order=1)
    standing = make_department("Ban Thường vụ", is_leadership=True, order=5)
    make_officer(standing, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn", order=1)
    make_officer(standing, "Lê Văn Minh", position="Phó Bí thư Tỉnh đoàn", order=2)
    make_officer(office, "Trần Thu Trang", position="Chánh Văn phòng", phone="0209 111 222")
    content = element(client.get("/gioi-thieu/co-cau-to-chuc/"), "main")
    chart = content[content.index('class="org-chart"') :]
    assert chart.index("Ban Thường vụ") < chart.index("Văn phòng")
    assert chart.index('class="org-level org-leadership"') < chart.index("Nguyễn Thị Hoa")
    assert chart.index("Nguyễn Thị Hoa") < chart.index("Lê Văn Minh")
    assert chart.index('class="org-level org-departments"') < chart.index("Trần Thu Trang")
    assert "org-chart" not in element(client.get("/gioi-thieu/gioi-thieu-chung/"), "main")


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("officers", [1, 12])
def test_introduction_and_contact_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, pages, officers
):
    for index in range(3):
        department = make_department(f"Ban {index}", order=index)
        for number in range(officers):
            make_officer(department, f"Cán bộ {index}-{number}")
    make_category()
    # Categories for the menu, the pages, the units, their officers; the first page after
    # a change also reads the identity and the next scheduled moment.
    with django_assert_num_queries(4 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        response = client.get("/gioi-thieu/co-cau-to-chuc/")
    assert element(response, "main").count('class="org-person"') == 3 * officers
    with django_assert_num_queries(3):
        response = client.get("/lien-he/")
    assert element(response, "main").count("Cán bộ ") == 3 * officers
    # Categories for the menu, the pages.
    with django_assert_num_queries(2):
        client.get("/gioi-thieu/")


def test_the_contact_page_shows_the_address_a_map_link_and_the_directory(client):
    make_identity()
    unit = make_department("Ban Tuyên giáo", phone="0209 3870 111", email="tuyengiao@doan.example")
    make_officer(unit, "Phạm Minh Đức", position="Trưởng ban", email="duc@doan.example")
    response = client.get("/lien-he/")
    content = element(response, "main")
    assert "<h1>Liên hệ</h1>" in content
    assert "Số 1, đường Trường Chinh, tỉnh Bắc Kạn" in content
    map_link = re.search(r'<a href="([^"]+)" rel="noopener">Xem trên bản đồ', content)
    assert map_link.group(1).startswith("https://www.openstreetmap.org/search?query=S%E1%BB%91+1")
    assert '<a href="tel:02093870111">0209 3870 111</a>' in content
    assert '<a href="mailto:duc@doan.example">duc@doan.example</a>' in content
    assert "Trưởng ban" in content
    page = response.content.decode()
    assert "<iframe" not in page
    # No embedded map and no third-party script: only the portal's own files.
    scripts = re.findall(r"<script[^>]*>", page)
    assert all(re.search(r'src="/static/[^"]+"', script) for script in scripts)


def test_a_given_openstreetmap_link_is_used_and_other_hosts_are_refused(client):
    identity = make_identity(map_url="https://www.openstreetmap.org/#map=18/22.147/105.834")
    assert 'href="https://www.openstreetmap.org/#map=18/22.147/105.834"' in element(
        client.get("/lien-he/"), "main"
    )
    identity.map_url = "https://maps.example.com/place"
    with pytest.raises(Exception, match="openstreetmap.org"):
        identity.full_clean()


# English


def test_en_leads_to_the_english_introduction_under_an_english_menu(client, pages):
    make_category("Công tác Đoàn")
    response = client.get("/en/")
    assert response.status_code == 302
    assert response["Location"] == "/en/gioi-thieu/"
    page = client.get(response["Location"]).content.decode()
    menu = page[page.index('<nav class="site-nav"') : page.index("</nav>", page.index("site-nav"))]
    assert '<a href="/en/gioi-thieu/">Introduction</a>' in menu
    assert '<a href="/en/lien-he/">Contact</a>' in menu
    assert "Công tác Đoàn" not in menu and "/tin-tuc/" not in menu
    assert '<a href="/" hreflang="vi" lang="vi">Tiếng Việt</a>' in menu
    # The Vietnamese pages keep the whole menu.
    assert "Công tác Đoàn" in client.get("/gioi-thieu/").content.decode()


def test_english_pages_are_in_english(client, pages):
    make_identity()
    response = client.get("/en/gioi-thieu/gioi-thieu-chung/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "<title>General introduction · Bắc Kạn Provincial Youth Union</title>" in page
    content = element(response, "main")
    assert "<h1>General introduction</h1>" in content
    assert "<p>The provincial union is the youth's organisation.</p>" in content
    assert '<a href="/en/gioi-thieu/">Introduction</a>' in content
    assert "not been translated" not in content
    assert "Skip to content" in page
    assert "Hồ Chí Minh Communist Youth Union of Bắc Kạn province" in page[page.index("<footer") :]


def test_an_untranslated_page_shows_the_vietnamese_text_with_a_note(client, pages):
    content = element(client.get("/en/gioi-thieu/chuc-nang-nhiem-vu/"), "main")
    assert "<h1>Functions and duties</h1>" in content
    assert "This page has not been translated into English yet." in content
    assert '<div class="article-text" lang="vi"><p>Tỉnh đoàn Bắc Kạn' in content
    untitled = element(client.get("/en/gioi-thieu/co-cau-to-chuc/"), "main")
    assert '<h1 lang="vi">Cơ cấu tổ chức</h1>' in untitled


def test_vietnamese_pages_stay_vietnamese_whatever_the_browser_asks(client, pages):
    response = client.get("/gioi-thieu/gioi-thieu-chung/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "<h1>Giới thiệu chung</h1>" in page
    assert "Chuyển đến nội dung chính" in page
    assert "not been translated" not in page
    news = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi">' in news


def test_each_language_links_to_the_other(client, pages):
    vietnamese = element(client.get("/gioi-thieu/gioi-thieu-chung/"), "main")
    assert (
        '<a href="/en/gioi-thieu/gioi-thieu-chung/" hreflang="en" lang="en">English</a>'
        in vietnamese
    )
    english = element(client.get("/en/gioi-thieu/gioi-thieu-chung/"), "main")
    assert '<a href="/gioi-thieu/gioi-thieu-chung/" hreflang="vi" lang="vi">Tiếng Việt</a>' in (
        english
    )
    contact = client.get("/en/lien-he/").content.decode()
    assert '<link rel="alternate" hreflang="vi" href="http://testserver/lien-he/">' in contact


def test_the_english_contact_page_uses_the_english_names(client):
    make_identity(address_en="No. 1, Trường Chinh street, Bắc Kạn province")
    unit = make_department("Văn phòng", name_en="Office")
    make_officer(unit, "Trần Thu Trang", position="Chánh Văn phòng", position_en="Head of Office")
    content = element(client.get("/en/lien-he/"), "main")
    assert "<h1>Contact</h1>" in content
    assert "<h3>Office</h3>" in content
    assert "Head of Office" in content
    assert "No. 1, Trường Chinh street, Bắc Kạn province" in content


def test_news_is_not_offered_in_english(client):
    assert client.get("/en/tin-tuc/").status_code == 404


# Site map


def test_the_site_map_lists_every_section(client, pages):
    category = make_category(name="Phong trào tình nguyện")
    make_program(2022)
    make_program(2023)
    response = client.get("/so-do-cong/")
    content = element(response, "main")
    assert "<h1>Sơ đồ cổng</h1>" in content
    for link in [
        'href="/"',
        'href="/tin-tuc/"',
        f'href="{category.get_absolute_url()}"',
        'href="/gioi-thieu/"',
        'href="/gioi-thieu/co-cau-to-chuc/"',
        'href="/gioi-thieu/lich-su-doan-tinh/"',
        'href="/lien-he/"',
        'href="/xa-ho-tro/"',
        'href="/xa-ho-tro/2022/"',
        'href="/xa-ho-tro/2023/"',
        'href="/hoi-dap/"',
        'href="/hoi-dap/gui-cau-hoi/"',
        'href="/hoi-dap/theo-doi/"',
        'href="/api/v1/docs"',
        'href="/api/v1/openapi.json"',
        'href="/en/gioi-thieu/"',
    ]:
        assert link in content, link
    assert content.index("2023") < content.index("2022")


def test_the_site_map_lists_the_keyboard_shortcuts_and_the_reading_aids(client):
    response = client.get("/so-do-cong/")
    page, content = response.content.decode(), element(response, "main")
    section = content[content.index('<h2 id="phim-tat">Phím tắt</h2>') :]
    listed = [
        (f"{first}+{second}+{letter}", action)
        for first, second, letter, action in re.findall(
            r"<dt><kbd>(\w+)</kbd> \+ <kbd>(\w+)</kbd> \+ <kbd>(\w)</kbd></dt><dd>([^<]+)</dd>",
            section,
        )
    ]
    assert listed == [
        ("Alt+Shift+H", "Về trang chủ"),
        ("Alt+Shift+S", "Đến ô tìm kiếm"),
        ("Alt+Shift+M", "Mở sơ đồ cổng"),
    ]
    # Each is the shortcut its link or field declares to assistive technology.
    for keys, _ in listed:
        assert page.count(f'aria-keyshortcuts="{keys}"') == 1
    assert "Option và Shift" in section
    assert "Các nút A−, A và A+ ở đầu mỗi trang" in section
    assert "Nút “Tương phản cao”" in section
    assert "Trình duyệt ghi nhớ các lựa chọn này" in section
    assert "nút “Đọc bài” đọc to bài viết bằng giọng tiếng Việt của trình duyệt" in section


@pytest.mark.usefixtures("rendered_fresh")
def test_the_site_map_runs_a_fixed_number_of_queries(client, django_assert_num_queries, pages):
    for index in range(5):
        make_category(name=f"Chuyên mục {index}")
        make_program(2015 + index)
    # Categories (for the menu and the map), pages, program years, document types; and once
    # per change the identity and the next scheduled moment.
    with django_assert_num_queries(4 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        assert client.get("/so-do-cong/").status_code == 200
