import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from communes.csv_format import (
    COLUMNS,
    FILE_WORDS,
    FORMULA_STARTS,
    OPTIONAL_COLUMNS,
    defuse_formula,
    restore_formula,
)
from communes.models import Commune, CommuneSupport, District, SupportProgram
from tests.factories import (
    ARRANGED,
    BEFORE_ARRANGEMENT,
    make_commune,
    make_district,
    make_program,
    make_support,
)

pytestmark = pytest.mark.django_db

REFERENCE_CSV = Path(__file__).resolve().parents[2] / "portal" / "demo" / "supported_communes.csv"
PROGRAM_2022 = {
    "year": "2022",
    "program": "Hỗ trợ năm 2022",
    "start_month": "02/2022",
    "end_month": "12/2022",
    "planned_count": "9",
    "reported_results": "5 xã hoàn thành xuất sắc nhiệm vụ",
    "summary": "Tóm tắt.",
}


def row(commune="Hiệp Lực", district="Ngân Sơn", **cells):
    values = dict.fromkeys(COLUMNS, "")
    values.update(PROGRAM_2022)
    values.update(district=district, district_kind="huyện", commune=commune, commune_kind="xã")
    values.update(cells)
    return values


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def database_state():
    return sorted(
        CommuneSupport.objects.values_list(
            "program__year",
            "program__title",
            "commune__name",
            "commune__kind",
            "commune__district__name",
            "rating",
            "officer",
            "notes",
        )
    )


def clear_database():
    CommuneSupport.objects.all().delete()
    Commune.objects.all().delete()
    District.objects.all().delete()
    SupportProgram.objects.all().delete()


def test_import_creates_districts_communes_and_supports(tmp_path):
    path = write_csv(
        tmp_path / "2022.csv",
        [
            row("Hiệp Lực", rating="Hoàn thành xuất sắc nhiệm vụ", officer="Nguyễn Văn A"),
            row("Bằng Vân", rating="chua danh gia"),
            row("Nông Thượng", district="Bắc Kạn", district_kind="thành phố"),
        ],
    )
    out, _ = run("import_communes", str(path))

    assert "communes: 3 created" in out
    assert District.objects.get(name="Bắc Kạn").kind == District.Kind.CITY
    assert District.objects.get(name="Ngân Sơn").communes.count() == 2
    ratings = dict(CommuneSupport.objects.values_list("commune__name", "rating"))
    assert ratings == {
        "Hiệp Lực": CommuneSupport.Rating.EXCELLENT,
        "Bằng Vân": CommuneSupport.Rating.NOT_RATED,
        "Nông Thượng": CommuneSupport.Rating.NOT_RATED,
    }
    program = SupportProgram.objects.get(year=2022)
    assert program.planned_count == 9
    assert program.start_month.month == 2


def test_import_reads_files_with_the_former_programme_column(tmp_path):
    path = write_csv(tmp_path / "2022.csv", [row("Hiệp Lực")])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("year,program,")
    path.write_text(text.replace("year,program,", "year,programme,", 1), encoding="utf-8")

    out, _ = run("import_communes", str(path))

    assert "programs: 1 created" in out
    assert SupportProgram.objects.get().title == "Hỗ trợ năm 2022"
    assert list(Commune.objects.values_list("name", flat=True)) == ["Hiệp Lực"]


def test_import_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "2022.csv", [row("Hiệp Lực"), row("Bằng Vân")])
    run("import_communes", str(path))
    state = database_state()
    out, _ = run("import_communes", str(path))
    assert "supports: 0 created, 0 updated, 2 unchanged" in out
    assert database_state() == state
    assert Commune.objects.count() == 2


def test_import_updates_ratings_and_program_fields(tmp_path):
    run("import_communes", str(write_csv(tmp_path / "a.csv", [row("Hiệp Lực")])))
    updated = row("Hiệp Lực", rating="Hoàn thành tốt nhiệm vụ", reported_results="Đã cập nhật")
    out, _ = run("import_communes", str(write_csv(tmp_path / "b.csv", [updated])))
    assert "supports: 0 created, 1 updated" in out
    assert CommuneSupport.objects.get().rating == CommuneSupport.Rating.GOOD
    assert SupportProgram.objects.get().reported_results == "Đã cập nhật"


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_written(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            row("Hiệp Lực"),  # row 2, fine
            row("Bằng Vân", year="22"),  # row 3
            row("Kim Hỷ", rating="Xuất sắc lắm"),  # row 4
            row("Hiệp Lực"),  # row 5, twice in 2022
            row("Cổ Linh", start_month="13/2022"),  # row 6
            row("Vi Hương", district_kind="tỉnh"),  # row 7
            row("Hoàng Trĩ", program="Tên khác"),  # row 8
        ],
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="6 bad row"):
        call_command("import_communes", str(path), stderr=stderr)
    report = stderr.getvalue()
    # Rows are numbered as a spreadsheet shows them, in the portal's language, as the
    # admin's import shows them.
    assert "Dòng 3: năm (cột year) '22' không phải là năm gồm bốn chữ số" in report
    assert "Dòng 4: xếp loại (cột rating) 'Xuất sắc lắm' không có trong danh sách: " in report
    assert "Dòng 5: Hiệp Lực đã có trong danh sách năm 2022 ở dòng 2" in report
    assert (
        "Dòng 6: tháng bắt đầu (cột start_month) '13/2022' không phải là tháng viết dạng "
        "tháng/năm (MM/YYYY)" in report
    )
    assert (
        "Dòng 7: loại đơn vị cấp huyện (cột district_kind) 'tỉnh' không có trong danh sách: "
        "huyện, thành phố, thị xã" in report
    )
    assert "Dòng 8: các cột của chương trình (program) khác với dòng 2 cùng năm" in report
    assert "Dòng 2:" not in report
    assert not SupportProgram.objects.exists()
    assert not Commune.objects.exists()
    assert not District.objects.exists()


def test_the_models_own_rules_are_reported_by_row_and_nothing_is_written(tmp_path):
    untitled_2023 = {"year": "2023", "program": "", "start_month": "", "end_month": ""}
    path = write_csv(
        tmp_path / "bad.csv",
        [
            row("X" * 101, end_month="01/2022"),  # row 2: the 2022 program ends too early
            row("Hiệp Lực", end_month="01/2022"),  # row 3
            row("Bằng Vân", **untitled_2023),  # row 4
            row("Y" * 101, **untitled_2023),  # row 5
        ],
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="3 bad row"):
        call_command("import_communes", str(path), stderr=stderr)
    too_long = "xã (cột commune): Giá trị này chỉ có tối đa 100 kí tự (hiện có 101)"
    end = "tháng kết thúc (cột end_month): Tháng kết thúc không được trước tháng bắt đầu."
    assert stderr.getvalue().splitlines() == [
        f"{path}: Dòng 2: {end}; {too_long}",
        f"{path}: Dòng 4: tên chương trình (cột program): Trường này không được để trắng.",
        f"{path}: Dòng 5: {too_long}",
    ]
    assert not SupportProgram.objects.exists()
    assert not Commune.objects.exists()
    assert not District.objects.exists()


def test_a_bad_row_leaves_existing_data_untouched(tmp_path):
    run("import_communes", str(write_csv(tmp_path / "a.csv", [row("Hiệp Lực")])))
    state = database_state()
    bad = [row("Hiệp Lực", rating="Hoàn thành nhiệm vụ"), row("Bằng Vân", planned_count="chín")]
    with pytest.raises(CommandError):
        run("import_communes", str(write_csv(tmp_path / "b.csv", bad)))
    assert database_state() == state


def test_import_never_rewrites_a_name_given_by_code(tmp_path):
    make_commune("Vi Hương", make_district("Bạch Thông"), code="01999")
    path = write_csv(
        tmp_path / "a.csv", [row("Tên mới", district="Bạch Thông", commune_code="01999")]
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_communes", str(path), stderr=stderr)
    assert "Dòng 2: mã '01999' là của xã 'Vi Hương' (khác tên)" in stderr.getvalue()
    assert Commune.objects.get(code="01999").name == "Vi Hương"
    assert not SupportProgram.objects.exists()


def test_a_code_names_the_unit_of_the_row_s_year(tmp_path):
    # Xã Bằng Vân (01942) of huyện Ngân Sơn until 30/06/2025, and the larger xã Bằng Vân
    # that khoản 50 Điều 1 of Nghị quyết 1683/NQ-UBTVQH15 formed under the same code.
    old = make_commune(
        "Bằng Vân", make_district("Ngân Sơn"), code="01942", valid_until=BEFORE_ARRANGEMENT
    )
    new = make_commune("Bằng Vân", code="01942", valid_from=ARRANGED)
    year_2026 = {**PROGRAM_2022, "year": "2026", "program": "Hỗ trợ năm 2026"}
    year_2026.update(start_month="02/2026", end_month="12/2026")
    path = write_csv(
        tmp_path / "xa.csv",
        [
            row("Bằng Vân", commune_code="01942"),
            row(
                "Bằng Vân",
                district="",
                district_kind="",
                commune_code="01942",
                province="Thái Nguyên",
                **year_2026,
            ),
        ],
    )
    out, _ = run("import_communes", str(path))
    # No unit is made: the 2026 one only gains the province the row names.
    assert "provinces: 1 created" in out
    assert "communes: 0 created, 1 updated, 1 unchanged" in out
    assert {support.program.year: support.commune for support in CommuneSupport.objects.all()} == {
        2022: old,
        2026: new,
    }
    new.refresh_from_db()
    assert new.province.name == "Thái Nguyên"


def test_a_commune_the_row_s_year_did_not_have_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "xa.csv",
        [row("Vi Hương", district="Bạch Thông", commune_valid_until="30/06/2025", year="2026")],
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_communes", str(path), stderr=stderr)
    assert (
        "Dòng 2: xã (cột commune): xã Vi Hương không còn tồn tại trong năm 2026 (… – 30/06/2025)"
        in stderr.getvalue()
    )
    assert not Commune.objects.exists()


def test_files_without_the_lineage_columns_still_import(tmp_path):
    older = [column for column in COLUMNS if column not in OPTIONAL_COLUMNS]
    path = tmp_path / "cu.csv"
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=older, lineterminator="\n")
        writer.writeheader()
        writer.writerow({column: row()[column] for column in older})
    out, _ = run("import_communes", str(path))
    assert "communes: 1 created" in out


def test_a_badly_written_validity_date_is_reported(tmp_path):
    path = write_csv(tmp_path / "xa.csv", [row(commune_valid_until="2025-06-30")])
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_communes", str(path), stderr=stderr)
    assert (
        "Dòng 2: ngày cuối cùng của xã (cột commune_valid_until) '2025-06-30' không phải là "
        "ngày viết dạng ngày/tháng/năm (DD/MM/YYYY)" in stderr.getvalue()
    )


def test_missing_columns_and_unreadable_files_are_errors(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("year,program\n2022,Hỗ trợ\n", encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_communes", str(path), stderr=stderr)
    assert "Dòng 1: thiếu cột start_month, end_month" in stderr.getvalue()
    with pytest.raises(CommandError, match="cannot read"):
        run("import_communes", str(tmp_path / "missing.csv"))


def test_dry_run_writes_nothing_but_reports(tmp_path):
    path = write_csv(tmp_path / "2022.csv", [row("Hiệp Lực"), row("Bằng Vân")])
    out, _ = run("import_communes", str(path), "--dry-run")
    assert "Dry run" in out
    assert "supports: 2 created" in out
    assert not SupportProgram.objects.exists()
    assert not Commune.objects.exists()
    assert not District.objects.exists()


def test_the_command_reads_workbooks_and_removes_what_the_file_leaves_out(tmp_path):
    make_support(make_program(2022), make_commune("Bằng Vân", make_district("Ngân Sơn")))
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append([row("Hiệp Lực")[column] for column in COLUMNS])
    book.save(tmp_path / "2022.xlsx")

    out, _ = run("import_communes", str(tmp_path / "2022.xlsx"), "--remove-missing")

    assert "supports: 1 created, 0 updated, 0 unchanged, 1 removed" in out
    assert database_state()[0][2] == "Hiệp Lực" and len(database_state()) == 1


def test_year_option_imports_only_that_year(tmp_path):
    path = write_csv(
        tmp_path / "all.csv",
        [
            row("Hiệp Lực"),
            row(
                "Bằng Vân",
                year="2023",
                program="Năm 2023",
                start_month="02/2023",
                end_month="12/2023",
            ),
        ],
    )
    run("import_communes", str(path), "--year", "2023")
    assert list(SupportProgram.objects.values_list("year", flat=True)) == [2023]
    assert list(Commune.objects.values_list("name", flat=True)) == ["Bằng Vân"]
    with pytest.raises(CommandError, match="no rows for 2021"):
        run("import_communes", str(path), "--year", "2021")


def test_reference_file_round_trips_exactly(tmp_path):
    # The demo file names each commune as it was in 2022 and what it is today, from the
    # shipped 2025 arrangement.
    run("import_lineage")
    run("import_communes", str(REFERENCE_CSV))
    output = tmp_path / "export.csv"
    run("export_communes", "--output", str(output))
    assert output.read_bytes() == REFERENCE_CSV.read_bytes()


def test_export_then_import_into_an_empty_database_gives_the_same_data(tmp_path):
    program = make_program(
        2022, planned_count=3, reported_results="Tốt", summary="Dòng 1\nDòng 2, có dấu phẩy"
    )
    city = make_district("Bắc Kạn", kind=District.Kind.CITY, code="058")
    make_support(
        program,
        make_commune("Nông Thượng", city, code="01843"),
        rating="good",
        # The admin's text areas send line breaks as \r\n.
        notes='Ghi chú "trích dẫn"\r\nDòng hai',
    )
    make_support(program, make_commune("Đức Xuân", kind=Commune.Kind.WARD), officer="Trần B")
    make_program(2023, start_month=None, end_month=None, planned_count=8)

    output = tmp_path / "2022.csv"
    run("export_communes", "--year", "2022", "--output", str(output))
    exported = output.read_bytes()
    before = database_state()

    clear_database()
    run("import_communes", str(output))

    assert database_state() == before
    assert District.objects.get().code == "058"
    second = tmp_path / "again.csv"
    run("export_communes", "--year", "2022", "--output", str(second))
    assert second.read_bytes() == exported
    assert not SupportProgram.objects.filter(year=2023).exists()


def test_export_writes_vietnamese_words_and_a_program_without_communes():
    make_program(2023, start_month=None, end_month=None, planned_count=8)
    out, _ = run("export_communes", "--year", "2023")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert rows[0]["planned_count"] == "8"
    assert rows[0]["commune"] == ""
    with pytest.raises(CommandError, match="No support program for 1999"):
        run("export_communes", "--year", "1999")


def test_file_words_are_the_vietnamese_labels_of_the_interface():
    with translation.override("vi"):
        for choices, words in FILE_WORDS.items():
            assert {value: str(choices(value).label) for value in choices.values} == words


HOSTILE_NAME = '=HYPERLINK("http://evil.example","x")'


def make_hostile_program():
    """Create a program whose text a spreadsheet would run as formulas if written as is."""
    program = make_program(2022, summary="=1+1", reported_results="+5 xã")
    make_support(program, make_commune(HOSTILE_NAME, make_district("@Ngân Sơn")), notes="@SUM(1+1)")
    make_support(
        program,
        make_commune("Nà Phặc - Thượng Quan", make_district("Ngân Sơn")),
        officer="-Trần B",
        notes="- Họp chi đoàn\r\n- Ra quân",
    )
    make_support(program, make_commune("'=Ba", kind=Commune.Kind.WARD), notes="\tthụt lề")
    return program


def test_export_writes_formula_like_cells_as_text():
    make_hostile_program()
    out, _ = run("export_communes", "--year", "2022")

    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["district"], row["commune"], row["officer"], row["notes"]) for row in rows] == [
        ("'@Ngân Sơn", "'" + HOSTILE_NAME, "", "'@SUM(1+1)"),
        ("Ngân Sơn", "Nà Phặc - Thượng Quan", "'-Trần B", "'- Họp chi đoàn\r\n- Ra quân"),
        ("", "''=Ba", "", "'\tthụt lề"),
    ]
    assert {(row["summary"], row["reported_results"]) for row in rows} == {("'=1+1", "'+5 xã")}
    # A spreadsheet shows a cell that starts with a quote as text.
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []


def test_formula_like_cells_round_trip_byte_for_byte(tmp_path):
    make_hostile_program()
    first = tmp_path / "first.csv"
    run("export_communes", "--output", str(first))
    before = database_state()

    clear_database()
    run("import_communes", str(first))

    assert database_state() == before
    assert Commune.objects.filter(name=HOSTILE_NAME).exists()
    assert SupportProgram.objects.get().summary == "=1+1"
    second = tmp_path / "second.csv"
    run("export_communes", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("quotes", ["", "'", "''"])
def test_defused_cells_start_with_a_quote_and_are_restored_exactly(start, quotes):
    value = f"{quotes}{start}1+1"
    cell = defuse_formula(value)
    assert cell == f"'{value}"
    assert restore_formula(cell) == value


@pytest.mark.parametrize("value", ["Nà Phặc - Thượng Quan", "'trích", "2022", "", "'"])
def test_ordinary_cells_are_written_and_read_unchanged(value):
    assert defuse_formula(value) == value
    assert restore_formula(value) == value
