"""The introduction and contacts in Vietnamese and English, switched by a link; the
identity's form in the admin."""

from pathlib import Path

import pytest

from tests.browser.pages import DESKTOP, log_in
from tests.factories import (
    image_upload,
    make_department,
    make_identity,
    make_intro_page,
    make_officer,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def about():
    make_identity(address_en="No. 1, Trường Chinh street, Bắc Kạn province")
    make_intro_page(
        "Giới thiệu chung",
        title_en="General introduction",
        body_en="<p>The provincial union gathers the province's young people.</p>",
    )
    unit = make_department("Ban Thường vụ", name_en="Standing Committee", is_leadership=True)
    make_officer(unit, "Nguyễn Thị Hoa", position="Bí thư Tỉnh đoàn", position_en="Secretary")


def test_a_reader_switches_between_vietnamese_and_english(live_server, page, about):
    page.goto(live_server.url + "/gioi-thieu/gioi-thieu-chung/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Giới thiệu chung"

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/gioi-thieu/gioi-thieu-chung/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "General introduction · Bắc Kạn Provincial Youth Union"
    assert page.get_by_role("heading", level=1).inner_text() == "General introduction"
    assert "gathers the province's young people" in page.locator(".article-text").inner_text()
    assert page.get_by_role("link", name="Skip to content").count() == 1

    page.get_by_role("link", name="Contact").first.click()
    page.wait_for_url("**/en/lien-he/")
    assert page.get_by_role("heading", level=1).inner_text() == "Contact"
    assert page.get_by_role("heading", name="Standing Committee").is_visible()
    assert "Secretary" in page.locator("table.directory").inner_text()

    # The page's own switch; the English menu's "Tiếng Việt" leads to the home page.
    page.locator("#main").get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(live_server.url + "/lien-he/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Liên hệ"
    assert "Bí thư Tỉnh đoàn" in page.locator("table.directory").inner_text()


def test_the_footer_leads_to_the_site_map(live_server, page, about):
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Sơ đồ cổng").click()
    page.wait_for_url("**/so-do-cong/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sơ đồ cổng"
    assert page.locator(".site-map").get_by_role("link", name="Giới thiệu chung").is_visible()


def test_leaders_see_the_whole_name_and_address_and_the_logo_they_edit(live_server, page, settings):
    identity = make_identity(
        full_name="Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên",
        address="Số 1, đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên",
        logo=image_upload("logo.png", size=(128, 128)),
    )
    make_user("publisher", username="lanhdao")
    # The test server serves static files only; the logo comes from MEDIA_ROOT.
    logo = Path(settings.MEDIA_ROOT) / identity.logo.name
    page.route("**/media/**", lambda route: route.fulfill(body=logo.read_bytes()))
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "lanhdao", "mat-khau")
    page.goto(f"{live_server.url}/admin/about/portalidentity/{identity.pk}/change/")
    for field in ("full_name", "address"):
        shown = page.locator(f"#id_{field}").evaluate(
            "input => input.scrollWidth <= input.clientWidth"
        )
        assert shown, f"{field} is cut off"
    preview = page.get_by_role("img", name="Ảnh hiện tại")
    assert preview.evaluate("image => image.complete && image.naturalWidth") == 128
    field = page.locator(".field-logo").bounding_box()
    box = preview.bounding_box()
    assert field["x"] <= box["x"] and box["x"] + box["width"] <= field["x"] + field["width"]
