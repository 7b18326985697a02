"""`manage.py import_documents FOLDER`: all rows or none, safe to run twice, text read."""

import csv
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document, DocumentFile
from portal.management.commands.load_demo import scanned_pdf, text_pdf

pytestmark = pytest.mark.django_db
COLUMNS = ["number", "type", "issuer", "issued_on", "effective_on", "summary", "file", "status"]


def write_folder(folder, rows):
    with open(folder / "documents.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({"effective_on": "", "status": "", **row})
    return folder


def row(number="03-KH/TĐTN", file="ke-hoach.pdf", **fields):
    return {
        "number": number,
        "type": "kế hoạch",  # matched folded: case and accents as typed do not matter
        "issuer": "Ban Thường vụ Tỉnh đoàn",
        "issued_on": "05/03/2025",
        "summary": "Kế hoạch tổ chức Tháng Thanh niên năm 2025",
        "file": file,
        **fields,
    }


def test_an_import_publishes_reads_the_files_and_is_safe_to_run_twice(tmp_path, client):
    (tmp_path / "ke-hoach.pdf").write_bytes(text_pdf(["Ke hoach Thang Thanh nien"]))
    (tmp_path / "ban-quet.pdf").write_bytes(scanned_pdf(["Báo cáo chiến dịch", "Mùa hè xanh"]))
    rows = [row(), row("04-BC/TĐTN", "ban-quet.pdf", summary="Báo cáo", status="hết hiệu lực")]
    folder = write_folder(tmp_path, rows)
    call_command("import_documents", str(folder), verbosity=0)
    call_command("import_documents", str(folder), verbosity=0)
    assert Document.objects.count() == 2
    assert DocumentFile.objects.count() == 2
    report = Document.objects.get(number="04-BC/TĐTN")
    assert report.is_live and report.validity == "expired"
    assert report.files.get().reading == DocumentFile.Reading.READ
    assert "Báo cáo" in client.get("/van-ban/", {"q": "chien dich mua he xanh"}).content.decode()


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path, capsys):
    (tmp_path / "ke-hoach.pdf").write_bytes(text_pdf(["Ke hoach"]))
    (tmp_path / "trang.pdf").write_bytes(b"<html><script>alert(1)</script></html>")
    rows = [
        row(),
        row("05-KH", issued_on="2025-03-05"),
        row("06-KH", type="Sắc lệnh"),
        row("07-KH", file="trang.pdf"),
        row("08-KH", file="../../etc/passwd"),
    ]
    with pytest.raises(CommandError, match="4 bad rows"):
        call_command("import_documents", str(write_folder(tmp_path, rows)), verbosity=0)
    errors = capsys.readouterr().err
    assert "line 3: issued_on '2025-03-05' is not a day (dd/mm/yyyy)" in errors
    assert "line 4: unknown type 'Sắc lệnh'" in errors
    assert "line 5: file 'trang.pdf'" in errors
    assert "line 6: file '../../etc/passwd' is not in the folder" in errors
    assert not Document.objects.exists()


def test_drafts_stay_unpublished_and_reading_can_be_left_to_the_worker(tmp_path, monkeypatch):
    (tmp_path / "ke-hoach.pdf").write_bytes(text_pdf(["Ke hoach"]))
    queued = []
    monkeypatch.setattr("documents.tasks.read_file", SimpleNamespace(enqueue=queued.append))
    folder = write_folder(tmp_path, [row()])
    call_command("import_documents", str(folder), "--status", "draft", "--no-extract", verbosity=0)
    document = Document.objects.get()
    assert document.stage == "draft"
    assert queued == [document.files.get().pk]
    assert document.files.get().reading == DocumentFile.Reading.WAITING


def test_a_missing_folder_fails_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="cannot read documents.csv"):
        call_command("import_documents", str(tmp_path / "khong-co"), verbosity=0)
