"""Leaders import the supported communes from CSV or Excel in the admin, and export them."""

import csv
import html
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communes.csv_format import COLUMNS
from communes.models import Commune, CommuneSupport, District, SupportProgram
from tests.factories import (
    form_errors,
    logged_in,
    make_commune,
    make_district,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:communes_supportprogram_import")
EXPORT_URL = reverse("admin:communes_supportprogram_export")
Rating = CommuneSupport.Rating
PROGRAM_2022 = {
    "year": "2022",
    "program": "Hỗ trợ năm 2022",
    "start_month": "02/2022",
    "end_month": "12/2022",
    "planned_count": "9",
}


def row(commune="Hiệp Lực", district="Ngân Sơn", **cells):
    values = dict.fromkeys(COLUMNS, "") | PROGRAM_2022
    values |= {"district": district, "district_kind": "huyện", "commune": commune}
    return values | {"commune_kind": "xã"} | cells


def csv_file(rows, delimiter=",", encoding="utf-8-sig"):
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue().encode(encoding)


# The tone marks Windows-1258 writes after their letter: its letters carry no tone.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """Encode text as Excel's "CSV" does on a Vietnamese Windows: letter, then tone mark."""
    encoded = []
    for letter in text:
        parts = unicodedata.normalize("NFD", letter)
        tones = "".join(part for part in parts if part in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONE_MARKS))
        encoded.append((base + tones).encode("cp1258"))
    return b"".join(encoded)


def xlsx_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for values in rows:
        sheet.append([values[column] or None for column in COLUMNS])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload(data, name):
    file = io.BytesIO(data)
    file.name = name
    return file


def preview(client, data, name="xa.csv", **fields):
    return client.post(IMPORT_URL, {"file": upload(data, name), **fields})


def confirm(client, page, **changes):
    """Press the preview's confirm button: post back the form's hidden fields."""
    fields = dict(page.context["form"].cleaned_data) | {"digest": page.context["digest"]}
    data = {name: value for name, value in fields.items() if value not in (None, False, "")}
    data = {name: value for name, value in data.items() if name != "file"}
    return client.post(IMPORT_URL, data | {"_confirm": "1"} | changes, follow=True)


def problems(response):
    return [html.unescape(text) for text in form_errors(response)]


def supports():
    return sorted(
        CommuneSupport.objects.values_list(
            "program__year", "commune__name", "commune__district__name", "rating", "officer"
        )
    )


@pytest.fixture
def leader(client):
    return logged_in(client, make_user("publisher"))


FILES = {
    "comma, byte order mark": lambda rows: (csv_file(rows), "xa.csv"),
    "semicolon, no byte order mark": lambda rows: (
        csv_file(rows, delimiter=";", encoding="utf-8"),
        "xa.csv",
    ),
    "semicolon, Windows-1258": lambda rows: (
        windows_1258(csv_file(rows, delimiter=";", encoding="utf-8").decode()),
        "XA.CSV",
    ),
    "Excel": lambda rows: (xlsx_file(rows), "xa.xlsx"),
}


@pytest.mark.parametrize("kind", FILES)
def test_a_file_is_previewed_without_writing_then_written_whole(leader, kind):
    data, name = FILES[kind](
        [
            row("Hiệp Lực", rating="Hoàn thành tốt nhiệm vụ", officer="Nguyễn Văn Ánh"),
            row("Nông Thượng", district="Bắc Kạn", district_kind="thành phố"),
        ]
    )
    page = preview(leader, data, name)

    assert page.status_code == 200, problems(page)
    content = page.content.decode()
    assert "xã Hiệp Lực, huyện Ngân Sơn (2022)" in content
    assert "thành phố Bắc Kạn" in content
    assert not SupportProgram.objects.exists()
    assert not Commune.objects.exists()

    done = confirm(leader, page)

    assert "Đã nhập tệp: thêm mới 7, thay đổi 0, xóa 0 dòng dữ liệu." in done.content.decode()
    assert supports() == [
        (2022, "Hiệp Lực", "Ngân Sơn", Rating.GOOD, "Nguyễn Văn Ánh"),
        (2022, "Nông Thượng", "Bắc Kạn", Rating.NOT_RATED, ""),
    ]
    assert District.objects.get(name="Bắc Kạn").kind == District.Kind.CITY


def test_the_preview_shows_changes_and_removals_and_the_confirmation_applies_them(leader):
    program = make_program(2022, title="Hỗ trợ năm 2022", planned_count=9)
    ngan_son = make_district("Ngân Sơn")
    make_support(program, make_commune("Hiệp Lực", ngan_son))
    make_support(program, make_commune("Bằng Vân", ngan_son))
    data = csv_file([row("Hiệp Lực", rating="Hoàn thành tốt nhiệm vụ")], delimiter=";")

    page = preview(leader, data, remove_missing="on")

    content = page.content.decode()
    assert "Xếp loại: Chưa đánh giá → Hoàn thành tốt nhiệm vụ" in content
    assert "Xóa khỏi chương trình (1)" in content
    assert "xã Bằng Vân, huyện Ngân Sơn (2022)" in content
    assert len(supports()) == 2

    confirm(leader, page)

    assert supports() == [(2022, "Hiệp Lực", "Ngân Sơn", Rating.GOOD, "")]


def test_a_preview_made_stale_writes_nothing_and_shows_the_changes_anew(leader):
    program = make_program(2022, title="Hỗ trợ năm 2022", planned_count=9)
    support = make_support(program, make_commune("Hiệp Lực", make_district("Ngân Sơn")))
    page = preview(leader, csv_file([row("Hiệp Lực", officer="Trần Thị Bình")]))
    # Someone else changes the row between the preview and the confirmation.
    CommuneSupport.objects.filter(pk=support.pk).update(notes="Đã sửa ở nơi khác")

    again = confirm(leader, page)

    assert "Dữ liệu đã thay đổi từ lúc xem trước nên chưa ghi gì." in again.content.decode()
    assert "Ghi chú: Đã sửa ở nơi khác → —" in again.content.decode()
    assert CommuneSupport.objects.get().officer == ""


def test_bad_rows_are_told_in_vietnamese_by_spreadsheet_row_and_nothing_is_written(leader):
    data = xlsx_file(
        [
            row("Hiệp Lực"),
            row("Bằng Vân", rating="Hoàn thành tốt"),
            row("Kim Hỷ", end_month="01/2022", start_month="02/2022"),
        ]
    )
    response = preview(leader, data, "xa.xlsx")

    assert response.status_code == 400
    said = " ".join(problems(response))
    assert (
        "Dòng 3: xếp loại (cột rating) 'Hoàn thành tốt' không có trong danh sách: Hoàn thành "
        "xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành "
        "nhiệm vụ, Chưa đánh giá" in said
    )
    assert "Dòng 4: các cột của chương trình (end_month) khác với dòng 2 cùng năm" in said
    assert "Dòng 2" not in said
    assert not SupportProgram.objects.exists()


def test_what_only_the_database_knows_is_told_by_row_too(leader):
    make_commune("Vi Hương", make_district("Bạch Thông"), code="01999")
    data = csv_file([row("Hiệp Lực"), row("Tên mới", district="Bạch Thông", commune_code="01999")])

    response = preview(leader, data)

    assert response.status_code == 400
    assert "Dòng 3: mã '01999' là của xã 'Vi Hương' (khác tên)" in " ".join(problems(response))
    assert not SupportProgram.objects.exists()


A_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 >>\nstream\n\x00\x01\x02\x03"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (A_PDF, "xa.xlsx", "Đây không phải là tệp Excel (.xlsx), hoặc tệp đã bị hỏng."),
        (b"PK\x03\x04" + b"\x00" * 40, "xa.xlsx", "Đây không phải là tệp Excel (.xlsx)"),
        (A_PDF, "xa.csv", "Đây không phải là tệp CSV"),
        ("Báo cáo tổng kết\nnăm 2022\n".encode(), "xa.csv", "Dòng 1: dòng này phải là tên các cột"),
        (b"", "xa.csv", "Tập tin được gửi là rỗng."),
        ("năm,tên\n2022,Hỗ trợ\n".encode("utf-16"), "xa.csv", "Đây không phải là tệp CSV"),
        (b"year;program\n2022;x\n", "xa.csv", "Dòng 1: thiếu cột start_month, end_month"),
        (b"\xd0\xcf\x11\xe0", "xa.xls", "Không đọc được tệp Excel 97–2003 (.xls)"),
        (A_PDF, "xa.pdf", "Chỉ đọc được tệp CSV (.csv) và Excel (.xlsx)."),
    ],
    ids=[
        "pdf as xlsx",
        "broken zip",
        "pdf as csv",
        "text",
        "empty",
        "utf-16",
        "columns",
        "xls",
        "pdf",
    ],
)
def test_a_file_that_is_not_a_communes_file_is_refused_with_a_message(leader, data, name, message):
    response = preview(leader, data, name)
    assert response.status_code == 400
    assert any(message in text for text in problems(response))
    assert "Chưa nhập tệp, chưa ghi dữ liệu nào." in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(leader):
    data = csv_file([row()]) + b"\n" * (2 * 1024 * 1024)
    response = preview(leader, data)
    assert response.status_code == 400
    assert "Tệp lớn hơn 2 MB" in " ".join(problems(response))


@pytest.fixture
def program_2022():
    program = make_program(
        2022, planned_count=3, summary='Có "trích dẫn", dấu phẩy; và chấm phẩy', reported_results=""
    )
    ngan_son = make_district("Ngân Sơn", code="066")
    make_support(program, make_commune("Hiệp Lực", ngan_son, code="01942"), rating=Rating.GOOD)
    make_support(
        program,
        make_commune("Đức Xuân", kind=Commune.Kind.WARD),
        officer="=Trần B",
        notes="Dòng 1\r\nDòng 2",
    )
    make_program(2023, start_month=None, end_month=None, planned_count=8)
    return program


def export(client, **query):
    response = client.get(EXPORT_URL, query)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize(
    ("file_format", "name"), [("xlsx", "xa.xlsx"), ("csv-semicolon", "xa.csv")]
)
def test_an_exported_file_imports_back_unchanged(leader, program_2022, file_format, name):
    exported = export(leader, file_format=file_format)
    before = supports()

    page = preview(leader, exported, name)
    assert f"Tệp {name} không thay đổi gì" in page.content.decode()
    assert 'name="_confirm"' not in page.content.decode()

    CommuneSupport.objects.all().delete()
    Commune.objects.all().delete()
    District.objects.all().delete()
    SupportProgram.objects.all().delete()
    confirm(leader, preview(leader, exported, name))

    assert supports() == before
    assert SupportProgram.objects.get(year=2022).summary == program_2022.summary
    assert District.objects.get().code == "066"
    again = export(leader, file_format=file_format)
    if file_format == "xlsx":
        assert sheet_rows(again) == sheet_rows(exported)
    else:
        assert again == exported


def sheet_rows(data):
    return list(load_workbook(io.BytesIO(data), read_only=True).active.values)


def test_csv_exports_open_in_excel_with_vietnamese_letters(leader, program_2022):
    semicolons = export(leader, file_format="csv-semicolon", year=2022)
    commas = export(leader, file_format="csv", year=2022)
    assert semicolons.startswith(b"\xef\xbb\xbfyear;program;start_month;")
    assert commas.startswith(b"\xef\xbb\xbfyear,program,start_month,")
    rows = list(csv.DictReader(io.StringIO(semicolons.decode("utf-8-sig")), delimiter=";"))
    assert [(r["commune"], r["officer"]) for r in rows] == [
        ("Hiệp Lực", ""),
        ("Đức Xuân", "'=Trần B"),
    ]


def test_a_workbook_export_has_text_cells_never_formulas(leader, program_2022):
    workbook = load_workbook(io.BytesIO(export(leader, file_format="xlsx", year=2022)))
    sheet = workbook.active
    officer = sheet.cell(row=3, column=COLUMNS.index("officer") + 1)
    assert (officer.value, officer.data_type) == ("=Trần B", "s")
    assert sheet.cell(row=2, column=1).value == 2022
    assert sheet.max_row == 3


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_the_roles_the_table_allows_import_and_export(client, role):
    staff = logged_in(client, make_user(role))
    assert staff.get(IMPORT_URL).status_code == 403
    assert preview(staff, csv_file([row()])).status_code == 403
    assert staff.get(EXPORT_URL, {"file_format": "csv"}).status_code == 403
    assert not SupportProgram.objects.exists()


def test_the_lists_lead_leaders_to_the_import_and_export(leader):
    for model in ("supportprogram", "communesupport"):
        page = leader.get(reverse(f"admin:communes_{model}_changelist")).content.decode()
        assert f'href="{IMPORT_URL}"' in page
        assert f'href="{EXPORT_URL}"' in page
    form = leader.get(IMPORT_URL).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert "Xóa các xã không có trong tệp" in form
