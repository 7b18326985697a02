"""The union's identity as every page and e-mail reads it, and how a change reaches them."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from about.identity import identities, identity_on, publisher_of
from tests.factories import (
    article_form_data,
    image_upload,
    logged_in,
    make_article,
    make_identity,
    make_user,
)

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CATALOGUE = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def footer(page):
    return page[page.index("<footer") :]


def header(page):
    return page[page.index("<header") : page.index("</header>")]


def test_pages_show_the_identity_in_header_footer_and_title(client):
    make_identity(related_portals=[("Trung ương Đoàn TNCS Hồ Chí Minh", "https://doan.example/")])
    with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
        page = client.get("/").content.decode()
    assert re.search(r"<title>Tỉnh đoàn Bắc Kạn</title>", page)
    assert '<span class="brand-kicker">Đoàn TNCS Hồ Chí Minh</span>' in header(page)
    assert '<span class="brand-name">Tỉnh đoàn Bắc Kạn</span>' in header(page)
    bottom = footer(page)
    assert "© 2026 Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn" in bottom
    assert "Địa chỉ: Số 1, đường Trường Chinh, tỉnh Bắc Kạn" in bottom
    assert '<a href="tel:02093870000">0209 3870 000</a>' in bottom
    assert '<a href="mailto:tinhdoan@backan.example">tinhdoan@backan.example</a>' in bottom
    assert "Chịu trách nhiệm nội dung: Nguyễn Văn An, Phó Bí thư Tỉnh đoàn" in bottom
    assert "Giấy phép số 01/GP-TTĐT ngày 01/01/2020" in bottom
    assert (
        '<a href="https://doan.example/" rel="noopener">Trung ương Đoàn TNCS Hồ Chí Minh</a>'
        in (bottom)
    )
    assert '<a href="/so-do-cong/" aria-keyshortcuts="Alt+Shift+M">Sơ đồ cổng</a>' in bottom


def test_article_titles_end_with_the_short_name(client):
    make_identity()
    article = make_article(title="Hội nghị tổng kết")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Hội nghị tổng kết · Tỉnh đoàn Bắc Kạn</title>" in page


def test_without_a_record_pages_show_a_generic_name(client):
    page = client.get("/").content.decode()
    assert "<title>Cổng thông tin điện tử</title>" in page
    assert "Bắc Kạn" not in page


def test_the_logo_stands_in_the_header_with_its_size(client):
    make_identity(logo=image_upload("logo.png", size=(96, 96)))
    page = client.get("/").content.decode()
    assert re.search(
        r'<img class="brand-logo" src="/media/identity/logo[^"]*\.png" alt="" '
        r'width="96" height="96">',
        header(page),
    )


def test_social_pages_are_listed_in_the_footer(client):
    make_identity(
        facebook_url="https://facebook.example/tinhdoan", zalo_url="https://zalo.example/x"
    )
    bottom = footer(client.get("/").content.decode())
    assert '<a href="https://facebook.example/tinhdoan" rel="noopener">Facebook</a>' in bottom
    assert '<a href="https://zalo.example/x" rel="noopener">Zalo</a>' in bottom
    assert "YouTube" not in bottom


def test_a_renamed_union_shows_on_the_next_request_and_old_articles_keep_their_text(client):
    """Bắc Kạn province merged into Thái Nguyên on 1 July 2025: no deploy, no rewritten news."""
    identity = make_identity()
    body = "<p>Tỉnh đoàn Bắc Kạn tổ chức Hội nghị tổng kết năm 2024.</p>"
    article = make_article(title="Tổng kết năm 2024", body=body)
    before = client.get(article.get_absolute_url()).content.decode()
    assert "© " in footer(before) and "tỉnh Bắc Kạn" in footer(before)

    identity.full_name = "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên"
    identity.short_name = "Tỉnh đoàn Thái Nguyên"
    identity.address = "Đường Cách mạng Tháng Tám, tỉnh Thái Nguyên"
    identity.save()

    after = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Tổng kết năm 2024 · Tỉnh đoàn Thái Nguyên</title>" in after
    assert "Tỉnh đoàn Thái Nguyên" in header(after)
    assert "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên" in footer(after)
    assert "Bắc Kạn" not in header(after) + footer(after)
    article.refresh_from_db()
    assert article.body == body
    assert "Tỉnh đoàn Bắc Kạn tổ chức Hội nghị tổng kết năm 2024." in after


def test_a_new_related_portal_shows_on_the_next_request(client):
    identity = make_identity()
    client.get("/")
    identity.related_portals.create(name="Cổng thông tin tỉnh", url="https://tinh.example/")
    assert "https://tinh.example/" in footer(client.get("/").content.decode())


@pytest.mark.usefixtures("rendered_fresh")
def test_the_identity_costs_two_queries_once_per_change_and_none_after(client):
    make_identity(related_portals=[("A", "https://a.example/"), ("B", "https://b.example/")])
    with CaptureQueriesContext(connection) as cold:
        client.get("/so-do-cong/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/so-do-cong/")
    # The records and their portals; not the look-up of the next identity's first day,
    # which is one of the page cache's scheduled moments.
    identity_tables = ('"about_portalidentity"."full_name"', "about_relatedportal")

    def identity_queries(queries):
        return [query for query in queries if any(t in query["sql"] for t in identity_tables)]

    assert len(identity_queries(cold)) == 2
    assert identity_queries(warm) == []


def make_merged_identity(**fields):
    fields.setdefault("full_name", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên")
    fields.setdefault("short_name", "Tỉnh đoàn Thái Nguyên")
    return make_identity(valid_from=datetime.date(2025, 7, 1), formed_by_merger=True, **fields)


def test_each_identity_is_in_force_from_its_day(client):
    make_merged_identity()
    make_identity()  # the first, without a start: stored second, still read first
    assert [identity.short_name for identity in identities()] == [
        "Tỉnh đoàn Bắc Kạn",
        "Tỉnh đoàn Thái Nguyên",
    ]
    assert identity_on(datetime.date(2025, 6, 30)).short_name == "Tỉnh đoàn Bắc Kạn"
    assert identity_on(datetime.date(2025, 7, 1)).short_name == "Tỉnh đoàn Thái Nguyên"
    # The day is Vietnam's: 00:30 on 1 July there is still 30 June in UTC.
    assert publisher_of(datetime.datetime(2025, 6, 30, 17, 30, tzinfo=datetime.UTC)).pk == (
        identity_on(datetime.date(2025, 7, 1)).pk
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        make_identity(short_name="Thứ hai không có ngày bắt đầu")


def test_pages_switch_to_the_new_identity_at_midnight(client):
    make_identity()
    make_merged_identity()
    with time_machine.travel("2025-06-30 23:59 +07:00", tick=False):
        assert '<span class="brand-name">Tỉnh đoàn Bắc Kạn</span>' in header(
            client.get("/").content.decode()
        )
    # The page stored a minute ago is not served: it was valid until midnight.
    with time_machine.travel("2025-07-01 00:00:01 +07:00", tick=False):
        page = client.get("/").content.decode()
    assert '<span class="brand-name">Tỉnh đoàn Thái Nguyên</span>' in header(page)
    assert "© 2025 Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên" in footer(page)


def test_workflow_e_mails_are_signed_with_the_identity(client, django_capture_on_commit_callbacks):
    make_identity()
    make_user("editor")
    contributor = make_user("contributor")
    logged_in(client, contributor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/news/article/add/", article_form_data(workflow_action="submit"))
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "\n-- \nĐoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn\n" in body
    assert "Số 1, đường Trường Chinh, tỉnh Bắc Kạn" in body
    assert "0209 3870 000 · tinhdoan@backan.example" in body


def test_the_admin_header_names_the_union(admin_client):
    make_identity(short_name="Tỉnh đoàn Thái Nguyên")
    page = admin_client.get("/admin/").content.decode()
    assert "Cổng thông tin Tỉnh đoàn Thái Nguyên" in page


def test_nothing_about_the_organisation_is_written_in_templates_or_translations():
    templates = BASE_DIR / "templates"
    named = [
        str(path.relative_to(BASE_DIR))
        for path in templates.rglob("*")
        if path.is_file() and "Bắc Kạn" in path.read_text(encoding="utf-8")
    ]
    assert named == []
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    assert [entry for entry in entries if "Bắc Kạn" in entry] == []
