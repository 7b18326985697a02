"""The API's reference: a page of the portal, in Vietnamese, listing the whole schema."""

import re

import pytest

from tests.english import english_on, english_phrases, english_words

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_the_reference_lists_every_endpoint_of_the_schema_in_vietnamese(client):
    schema = client.get(f"{API}/openapi.json").json()
    response = client.get(f"{API}/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert "<h1>Dữ liệu mở (API)</h1>" in page
    assert "Các bài đã đăng, mới nhất trước" in page
    assert '<th scope="row"><code>from_date</code></th><td>sau dấu ?</td>' in page
    # The site's header and menu: the way back to the portal.
    assert 'href="/"' in page and 'href="/tin-tuc/"' in page
    phrases = english_phrases()
    found, _links = english_on(page, phrases, english_words(phrases), set())
    assert found == []


def test_the_reference_loads_nothing_from_elsewhere(client):
    page = client.get(f"{API}/docs").content.decode()
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert scripts and styles
    assert [source for source in scripts + styles if not source.startswith("/static/")] == []
