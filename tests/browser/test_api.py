import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_works_from_local_files_alone(live_server, page):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(live_server.url + "/api/v1/docs")
    page.get_by_text("/api/v1/articles/{slug}").wait_for()
    assert page.get_by_text("/api/v1/identity").is_visible()
    assert [url for url in outside if not url.startswith("data:")] == []
