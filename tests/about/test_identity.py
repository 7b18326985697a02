"""The union's identity as every page and e-mail reads it, and how a change reaches them."""

import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from about.identity import current_identity
from about.models import PortalIdentity
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
    identity_tables = ("about_portalidentity", "about_relatedportal")

    def identity_queries(queries):
        return [query for query in queries if any(t in query["sql"] for t in identity_tables)]

    assert len(identity_queries(cold)) == 2
    assert identity_queries(warm) == []


def test_there_is_only_ever_one_record():
    make_identity(short_name="Cũ")
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalIdentity.objects.create(full_name="Mới", short_name="Mới")
    # Saving any instance writes the one record.
    PortalIdentity(full_name="Mới", short_name="Mới").save()
    assert PortalIdentity.objects.count() == 1
    assert current_identity().short_name == "Mới"


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
