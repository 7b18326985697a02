import pytest

from tests.browser.pages import DESKTOP, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_reference_works_from_local_files_alone_and_passes_axe(live_server, browser):
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(live_server.url + "/api/v1/docs")
    assert page.get_by_text("GET /api/v1/articles/{slug}").is_visible()
    assert page.get_by_role("link", name="Trang chủ").first.is_visible()
    assert [url for url in outside if not url.startswith("data:")] == []
    assert axe_violations(page) == []
    context.close()
