"""The communes' file read from what Excel saves: CSV of any separator and encoding, .xlsx."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from communes import spreadsheets
from communes.csv_format import BadRowsError
from communes.spreadsheets import read_table

HEADER = ["year", "program", "commune_code", "start_month", "notes"]
ROW = ["2022", "Hỗ trợ năm 2022", "01942", "02/2022", "Họp chi đoàn; ra quân, trồng cây"]


def csv_text(separator, line_end="\n"):
    notes = '"Họp chi đoàn; ra quân, trồng cây"' if separator != "\t" else ROW[-1]
    lines = [separator.join(HEADER), separator.join([*ROW[:-1], notes])]
    return line_end.join(lines) + line_end


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (csv_text(",").encode(), "a.csv"),
        (("\ufeff" + csv_text(";", "\r\n")).encode(), "a.CSV"),
        (csv_text("\t").encode(), "a.txt"),
    ],
    ids=["commas", "semicolons with a byte order mark", "tabs"],
)
def test_csv_is_read_whatever_separator_excel_used(data, name):
    assert read_table(data, name) == [(1, HEADER), (2, ROW)]


def test_csv_rows_keep_the_numbers_excel_shows_across_empty_rows_and_line_breaks():
    text = 'year,notes\n2022,"Dòng 1\nDòng 2"\n\n,\n2023,x\n'
    assert read_table(text.encode(), "a.csv") == [
        (1, ["year", "notes"]),
        (2, ["2022", "Dòng 1\nDòng 2"]),
        (5, ["2023", "x"]),
    ]


def workbook(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_a_workbook_gives_back_what_excel_changed_as_it_was_typed():
    # Excel turns 02/2022 into a date and 01942 into a number. A formula cell gives the value
    # Excel last computed, never runs: this one, written without a value, is empty.
    data = workbook(
        HEADER,
        [2022, "Hỗ trợ năm 2022", 1942, datetime.datetime(2022, 2, 1), "  có khoảng trắng "],
        [],
        [2023.0, "=1+1", "01942", None, None],
    )
    assert read_table(data, "a.xlsx") == [
        (1, HEADER),
        (2, ["2022", "Hỗ trợ năm 2022", "01942", "02/2022", "có khoảng trắng"]),
        (4, ["2023", "", "01942", "", ""]),
    ]


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    data = workbook(HEADER, ROW)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    assert len(read_table(data, "a.xlsx")) == 2
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", unpacked - 1)
    with pytest.raises(BadRowsError, match="không phải là tệp Excel"):
        read_table(data, "a.xlsx")
