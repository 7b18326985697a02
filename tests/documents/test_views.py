"""What readers get of the documents: the list, search, a document's page, its files."""

import datetime

import pytest
from django.core.files.base import ContentFile

from documents.models import Document, DocumentFile, DocumentType, Issuer
from documents.tasks import read_now
from portal.management.commands.load_demo import text_pdf
from tests.factories import HIDDEN_STAGES, make_article, make_document

pytestmark = pytest.mark.django_db


def attach(document, lines, is_main=True, name="ke-hoach.pdf"):
    stored = DocumentFile(document=document, is_main=is_main, format="pdf", original_name=name)
    content = text_pdf(lines)
    stored.size = len(content)
    stored.file.save(name, ContentFile(content), save=False)
    stored.save()
    read_now(stored.pk)
    return stored


def test_the_list_is_newest_first_and_filters_by_type_issuer_and_year(client):
    old = make_document(
        "01-BC/TĐTN",
        "Báo cáo tổng kết năm 2023",
        issued_on=datetime.date(2023, 12, 1),
        doc_type=DocumentType.objects.get(slug="bao-cao"),
    )
    new = make_document("05-KH/TĐTN", "Kế hoạch năm 2025", issued_on=datetime.date(2025, 1, 5))
    central = make_document(
        "10-HD/TWĐTN",
        "Hướng dẫn của Trung ương",
        issuer=Issuer.objects.get(slug="ban-chap-hanh-trung-uong-doan"),
        issued_on=datetime.date(2024, 6, 1),
    )
    page = client.get("/van-ban/").content.decode()
    assert page.index(new.summary) < page.index(central.summary) < page.index(old.summary)
    by_type = client.get("/van-ban/", {"type": "bao-cao"}).content.decode()
    assert old.summary in by_type and new.summary not in by_type
    by_issuer = client.get(
        "/van-ban/", {"issuer": "ban-chap-hanh-trung-uong-doan"}
    ).content.decode()
    assert central.summary in by_issuer and old.summary not in by_issuer
    by_year = client.get("/van-ban/", {"year": "2025"}).content.decode()
    assert new.summary in by_year and old.summary not in by_year
    # A filter that is not valid is left out rather than failing.
    assert client.get("/van-ban/", {"type": "khong-co", "year": "abc"}).status_code == 200


def test_search_finds_numbers_summaries_and_file_text_without_accents(client):
    plan = make_document("225-KH/TWĐTN-CTTN", "Kế hoạch tổ chức Tháng Thanh niên năm 2025")
    report = make_document("09-BC/TĐTN", "Báo cáo kết quả công tác quý I")
    attach(report, ["Tong ket chien dich tinh nguyen mua he xanh"])
    assert (
        plan.summary in client.get("/van-ban/", {"q": "ke hoach thang thanh nien"}).content.decode()
    )
    assert plan.summary in client.get("/van-ban/", {"q": "225-KH"}).content.decode()
    found = client.get("/van-ban/", {"q": "mua he xanh"}).content.decode()
    assert report.summary in found and plan.summary not in found


@pytest.mark.parametrize("stage", HIDDEN_STAGES)
def test_a_document_readers_may_not_see_is_nowhere(client, stage):
    from core.workflow import Stage
    from tests.factories import stage_fields

    document = make_document("77-KH/TĐTN", "Kế hoạch chưa công bố", **stage_fields(Stage(stage)))
    stored = attach(document, ["Noi dung chua cong bo"])
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(stored.get_absolute_url()).status_code == 404
    assert document.summary not in client.get("/van-ban/").content.decode()
    assert document.summary not in client.get("/van-ban/", {"q": "chua cong bo"}).content.decode()
    assert "77-KH" not in client.get("/tim-kiem/", {"q": "ke hoach chua cong bo"}).content.decode()
    assert client.get("/api/v1/documents").json()["count"] == 0
    assert document.get_absolute_url() not in client.get("/sitemap-documents.xml").content.decode()
    assert "77-KH" not in client.get("/van-ban/rss/").content.decode()


def test_the_document_page_shows_its_record_files_news_and_replacement(client):
    article = make_article("Tỉnh đoàn triển khai Tháng Thanh niên")
    new = make_document("20-KH/TĐTN", "Kế hoạch mới")
    old = make_document(
        "12-KH/TĐTN",
        "Kế hoạch cũ",
        replaced_by=new,
        validity="replaced",
        effective_on=datetime.date(2025, 3, 1),
    )
    old.articles.add(article)
    attach(old, ["Noi dung"], name="ke-hoach-cu.pdf")
    page = client.get(old.get_absolute_url()).content.decode()
    for text in (
        "12-KH/TĐTN",
        "Ban Thường vụ Tỉnh đoàn",
        "20/02/2025",
        "01/03/2025",
        "Đã bị thay thế",
        new.get_absolute_url(),
        "PDF",
        article.title,
    ):
        assert text in page
    assert "mở trong trình duyệt" in page
    # The article's page lists the document it is linked to.
    assert old.get_absolute_url() in client.get(article.get_absolute_url()).content.decode()
    assert old.get_absolute_url() in client.get(new.get_absolute_url()).content.decode()


def test_a_pdf_opens_in_the_browser_under_headers_that_run_none_of_its_scripts(client):
    stored = attach(make_document(), ["Ke hoach"])
    response = client.get(stored.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy.replace("default-src", "")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_pages_run_a_fixed_number_of_queries(client, rendered_fresh, django_assert_num_queries):
    for number in range(5):
        document = make_document(f"{number}-KH/TĐTN", f"Kế hoạch số {number}")
        attach(document, ["Noi dung"])
    client.get("/van-ban/")  # remembered values (identity, next moment) are read once
    # The menu's categories, the three lists of the filters, the first year, the count, the page.
    with django_assert_num_queries(7):
        assert client.get("/van-ban/").status_code == 200
    # Searching: the two tiers (its own words, then the files') and the page's documents.
    with django_assert_num_queries(8):
        assert client.get("/van-ban/", {"q": "ke hoach"}).status_code == 200
    # The menu's categories, the document with its lists, its files, what it replaces, its news.
    with django_assert_num_queries(5):
        assert client.get(document.get_absolute_url()).status_code == 200


def test_the_api_lists_published_documents_with_their_files(client):
    document = make_document()
    attach(document, ["Noi dung"])
    item = client.get("/api/v1/documents", {"type": "ke-hoach"}).json()["items"][0]
    assert item["number"] == document.number
    assert item["type"] == "Kế hoạch"
    assert item["issued_on"] == "2025-02-20"
    assert item["files"][0]["format"] == "pdf"
    assert item["files"][0]["url"].endswith(document.files.get().get_absolute_url())
    assert client.get("/api/v1/documents", {"type": "bao-cao"}).json()["count"] == 0


def test_the_demo_documents_load_and_are_found(client):
    from portal.management.commands.load_demo import DEMO_MARK, Command

    Command().load_documents()
    page = client.get("/van-ban/", {"q": "sinh hoat chi doan chu diem thang ba"}).content.decode()
    assert DEMO_MARK in page


def test_a_draft_has_a_staff_preview_its_author_sees_and_readers_do_not(client):
    from django.urls import reverse

    from core.cache import storable
    from tests.factories import logged_in, make_user

    author = make_user("contributor", username="ngoctu")
    draft = make_document(
        "88-KH/TĐTN", "Kế hoạch đang soạn", status=Document.Status.DRAFT, created_by=author
    )
    # Readers: the public page and the preview are both closed.
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    # A contributor who did not write it works only on their own documents.
    other = logged_in(client, make_user("contributor", username="khac"))
    assert other.get(draft.get_preview_url()).status_code == 404

    author_client = logged_in(client, author)
    change_page = author_client.get(reverse("admin:documents_document_change", args=[draft.pk]))
    assert draft.get_preview_url() in change_page.content.decode()
    response = author_client.get(draft.get_preview_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kế hoạch đang soạn" in page and "Bản xem trước" in page
    # Never indexed, never kept by a cache: not even the page cache would store it.
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert not storable(response)
    assert "X-Cache" not in response
    assert draft.get_preview_url().startswith("/van-ban/xem-truoc/")
    assert "Disallow: /van-ban/xem-truoc/" in client.get("/robots.txt").content.decode()
