"""The editors' guide: linked from every admin page's header, shown to staff only."""

import os
import re
from html import unescape

import pytest
from django.urls import reverse

from portal import guide
from tests.factories import admin_url, logged_in, make_user

pytestmark = pytest.mark.django_db

GUIDE_URL = "/admin/huong-dan/"


def user_tools(html):
    """Return the admin header's user links (Django's #user-tools block)."""
    match = re.search(r'<div id="user-tools">(.*?)</div>', html, re.S)
    assert match, "the page has no user tools"
    return match.group(1)


def guide_headings():
    """Return the guide's headings as the Markdown file writes them."""
    text = guide.GUIDE.read_text(encoding="utf-8")
    return re.findall(r"^#{1,3} (.+)$", text, re.M)


def test_the_guide_has_its_address_under_the_admin():
    assert reverse("admin-guide") == GUIDE_URL


@pytest.mark.parametrize("role", ["contributor", "editor", "publisher", "superuser"])
def test_every_admin_page_links_the_guide_in_its_header(client, role):
    logged_in(client, make_user(role))
    for url in [reverse("admin:index"), admin_url("changelist"), admin_url("add")]:
        response = client.get(url)
        assert response.status_code == 200, url
        tools = user_tools(response.content.decode())
        assert f'<a href="{GUIDE_URL}">Hướng dẫn</a>' in tools, url
        # Beside Django's own links, which stay.
        assert "Đổi mật khẩu" in tools
        assert "Thoát" in tools


def test_the_guide_shows_every_heading_of_the_file(client):
    logged_in(client, make_user("contributor"))
    response = client.get(GUIDE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    title, *sections = guide_headings()
    # The file's title is the page's; every other heading is shown, with its anchor.
    assert title == "Hướng dẫn biên tập"
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title} | " in html
    text = re.search(r'<article class="guide-text">(.*?)</article>', html, re.S).group(1)
    shown = [unescape(found) for found in re.findall(r'<h[2-3] id="[^"]+">(.*?)</h[2-3]>', text)]
    assert shown == sections
    assert len(shown) >= 10
    # The sections are listed first, each linked to its heading.
    assert '<a href="#vai-tro">Vai trò</a>' in html
    assert '<h2 id="vai-tro">Vai trò</h2>' in html
    # Its tables are tables.
    assert "<th>Nhóm</th>" in html


def test_anonymous_readers_are_sent_to_the_login_page(client):
    response = client.get(GUIDE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={GUIDE_URL}"


def test_logged_in_users_who_are_not_staff_are_sent_to_the_login_page(client):
    user = make_user("contributor", username="bandoc")
    user.is_staff = False
    user.save()
    response = logged_in(client, user).get(GUIDE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_login_page_shows_no_guide_link(client):
    response = client.get(reverse("admin:login"))
    assert GUIDE_URL not in response.content.decode()


def test_html_in_the_guide_is_shown_as_text(tmp_path):
    page = tmp_path / "guide.md"
    page.write_text(
        "# Tiêu đề\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n[liên kết](javascript:alert(1))\n',
        encoding="utf-8",
    )
    html, contents = guide.guide_html(page)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "Tiêu đề" not in html  # the page has its own title
    assert contents == []  # only second-level headings are listed


def test_headings_with_the_same_words_get_distinct_anchors():
    html, contents = guide.render("## Ảnh\n\n## Ảnh\n\n### Chú thích\n")
    assert contents == [("anh", "Ảnh"), ("anh-2", "Ảnh")]
    assert '<h3 id="chu-thich">Chú thích</h3>' in html


def test_the_guide_is_rendered_again_when_the_file_changes(tmp_path):
    page = tmp_path / "guide.md"
    page.write_text("## Một\n", encoding="utf-8")
    assert guide.guide_html(page)[1] == [("mot", "Một")]
    page.write_text("## Hai\n", encoding="utf-8")
    stat = page.stat()
    # A later modification time, however coarse the file system's clock.
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert guide.guide_html(page)[1] == [("hai", "Hai")]
