"""The newsroom's work on documents in the admin: uploads, the workflow, the reading state."""

import re

import pytest
from django.urls import reverse

from documents.models import Document, DocumentFile
from portal.management.commands.load_demo import scanned_pdf, text_pdf
from tests.factories import (
    DOCUMENTS_DIR,
    document_form_data,
    document_upload,
    logged_in,
    make_document,
    make_user,
    stored_files,
)

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/documents/document/add/"
PLAN = ["KẾ HOẠCH", "Tháng Thanh niên năm 2025", "Tỉnh đoàn Bắc Kạn"]


def test_a_leader_publishes_a_scanned_plan_that_readers_find_without_accents(
    client, django_capture_on_commit_callbacks
):
    leader = logged_in(client, make_user("publisher"))
    upload = document_upload("Kế hoạch Tháng Thanh niên (bản quét).PDF", scanned_pdf(PLAN))
    data = document_form_data(
        files=[{"file": upload}],
        summary="Về việc tổ chức các hoạt động tuổi trẻ",
        workflow_action="publish",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(ADD_URL, data)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.is_live
    stored = document.files.get()
    # Stored under an ASCII name with the format the content showed; read at once by OCR
    # (the tests' task backend runs tasks immediately).
    assert stored.file.name.startswith("documents/")
    assert stored.file.name.endswith(".pdf") and stored.file.name.isascii()
    assert stored.reading == DocumentFile.Reading.READ
    page = leader.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert "đã đọc" in page.content.decode()

    client.logout()
    # The summary says nothing of the month: only the scan's words find it.
    found = client.get("/van-ban/", {"q": "ke hoach thang thanh nien"}).content.decode()
    assert "Về việc tổ chức các hoạt động tuổi trẻ" in found
    site = client.get("/tim-kiem/", {"q": "thang thanh nien tinh doan"}).content.decode()
    assert document.get_absolute_url() in site
    assert "Kế hoạch 15-KH/TĐTN" in site


@pytest.mark.parametrize(
    ("name", "words_only_in_the_file"),
    [
        # Word 97 paragraphs, read by catdoc; an Excel 97 sheet, read by xlrd.
        ("huong-dan.doc", "ngay hoi thieu nhi vui khoe"),
        ("danh-sach.xls", "chi doan thon na phac"),
    ],
)
def test_legacy_word_and_excel_files_are_read_and_found_without_accents(
    client, django_capture_on_commit_callbacks, name, words_only_in_the_file
):
    leader = logged_in(client, make_user("publisher"))
    upload = document_upload(name, (DOCUMENTS_DIR / name).read_bytes(), "application/msword")
    data = document_form_data(files=[{"file": upload}], workflow_action="publish")
    with django_capture_on_commit_callbacks(execute=True):
        assert leader.post(ADD_URL, data).status_code == 302
    document = Document.objects.get()
    assert document.files.get().reading == DocumentFile.Reading.READ
    client.logout()
    found = client.get("/van-ban/", {"q": words_only_in_the_file}).content.decode()
    assert document.summary in found
    assert (
        document.summary not in client.get("/van-ban/", {"q": "khong co tu nay"}).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.pdf", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("so-do.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("bao-cao.docx", b"PK\x03\x04 not really a Word file"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_in_vietnamese(
    client, settings, name, content
):
    editor = logged_in(client, make_user("publisher"))
    data = document_form_data(files=[{"file": document_upload(name, content)}])
    response = editor.post(ADD_URL, data)
    assert response.status_code == 200
    assert "không phải PDF, Word, Excel hay văn bản OpenDocument" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(client, settings, monkeypatch):
    monkeypatch.setattr("documents.files.MAX_FILE_BYTES", 1000)
    editor = logged_in(client, make_user("publisher"))
    upload = document_upload("lon.pdf", text_pdf(["x" * 40] * 30) + b" " * 1000)
    response = editor.post(ADD_URL, document_form_data(files=[{"file": upload}]))
    assert "Tệp lớn hơn" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_that_cannot_be_read_says_why_and_the_document_still_publishes(
    client, django_capture_on_commit_callbacks
):
    leader = logged_in(client, make_user("publisher"))
    damaged = text_pdf(["Bao cao"])[:200]  # a PDF cut short: the header, no pages
    data = document_form_data(
        files=[{"file": document_upload("hong.pdf", damaged)}], workflow_action="publish"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert leader.post(ADD_URL, data).status_code == 302
    document = Document.objects.get()
    stored = document.files.get()
    assert stored.reading == DocumentFile.Reading.FAILED
    page = leader.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert "không đọc được: tệp bị hỏng" in page.content.decode()
    client.logout()
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_contributor_drafts_and_submits_but_cannot_publish(client):
    contributor = logged_in(client, make_user("contributor"))
    response = contributor.post(ADD_URL, document_form_data(workflow_action="publish"))
    assert response.status_code == 403
    assert not Document.objects.exists()
    assert (
        contributor.post(ADD_URL, document_form_data(workflow_action="submit")).status_code == 302
    )
    document = Document.objects.get()
    assert document.stage == "in_review"
    assert document.transitions.get().action == "submit"
    client.logout()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_trashing_hides_the_document_and_a_publisher_restores_it(client):
    document = make_document()
    publisher = logged_in(client, make_user("publisher"))
    delete_url = reverse("admin:documents_document_delete", args=[document.pk])
    assert publisher.post(delete_url, {"post": "yes"}).status_code == 302
    document.refresh_from_db()
    assert document.stage == "trashed"
    assert client.get(document.get_absolute_url()).status_code == 404
    trash = client.get(reverse("admin:documents_trasheddocument_changelist"))
    assert document.number in trash.content.decode()
    restored = client.post(
        reverse("admin:documents_trasheddocument_changelist"),
        {"action": "restore_selected", "_selected_action": [document.pk], "post": "yes"},
    )
    assert restored.status_code == 302
    document.refresh_from_db()
    assert document.is_live


def test_every_save_keeps_a_revision_that_can_be_restored(client):
    editor = logged_in(client, make_user("publisher"))
    assert editor.post(ADD_URL, document_form_data()).status_code == 302
    document = Document.objects.get()
    url = reverse("admin:documents_document_change", args=[document.pk])
    data = document_form_data(summary="Trích yếu đã sửa", edit_version=document.version)
    data["files-INITIAL_FORMS"] = "0"
    assert editor.post(url, data).status_code == 302
    history = editor.get(reverse("admin:documents_document_revisions", args=[document.pk]))
    assert history.status_code == 200
    assert history.content.decode().count('name="old"') == 2


def test_enter_in_a_field_saves_rather_than_publishing(client):
    # Enter presses the form's first submit control; the workflow's come before Save.
    publisher = logged_in(client, make_user("publisher"))
    draft = make_document(status=Document.Status.DRAFT)
    for url in [ADD_URL, f"/admin/documents/document/{draft.pk}/change/"]:
        html = publisher.get(url).content.decode()
        form = html[html.index('id="document_form"') :]
        first = re.search(r'<(?:button|input)\b[^>]*\btype="submit"[^>]*>', form).group(0)
        assert 'name="_continue"' in first, url
        assert 'value="publish"' in form
