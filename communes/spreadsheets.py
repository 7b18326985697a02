"""The supported communes' file as a spreadsheet: CSV text or an Excel .xlsx workbook.

Both hold the columns of communes.csv_format, one row per supported commune. Reading
gives the (row number, cells) pairs csv_format.read_rows checks, numbered as Excel shows
them (the header is row 1), each cell as text without surrounding spaces; empty rows are
left out.

CSV is read as Excel saves it in each of its ways: comma or semicolon separated (a
Vietnamese Windows uses the semicolon), UTF-8 with or without a byte order mark, or
"CSV" in the Windows code page of Vietnamese (Windows-1258), whose letters come with
separate tone marks and are composed again. Workbooks are read by openpyxl in read-only
mode from the values Excel last computed: no formula is run.

openpyxl is imported by the functions that use it: loading it takes about 20 MB and most
of a second, which every app server process would pay at start for a page few open.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext

from communes.csv_format import (
    COLUMNS,
    FILE_ENCODING,
    BadRowsError,
    export_text,
    programs_for_export,
    restore_formula,
    rows_for_export,
    supports_for_export,
)

# Far more than the province's programs will ever list; a bigger file is not ours.
MAX_ROWS = 10_000
# A workbook unpacks to this much at most: a small file that unpacks to more is a bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
SEPARATORS = ",;\t"
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Cells Excel turns into dates when typed: written back as the file's own text.
MONTH_COLUMNS = {"start_month", "end_month"}
# Official codes have a fixed number of digits: a code typed as a number lost its zeros.
CODE_DIGITS = {"district_code": 3, "commune_code": 5}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Format:
    CSV = "csv"
    XLSX = "xlsx"


def file_format(name):
    """Return the format a file's name says, or raise BadRowsError for any other file."""
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in ("csv", "txt"):
        return Format.CSV
    if suffix == "xlsx":
        return Format.XLSX
    if suffix == "xls":
        raise BadRowsError(
            [
                gettext(
                    "Files of Excel 97–2003 (.xls) are not read: save the sheet as Excel "
                    "Workbook (.xlsx) or CSV UTF-8."
                )
            ]
        )
    raise BadRowsError([gettext("Only CSV (.csv) and Excel (.xlsx) files are read.")])


def read_table(data, name):
    """Return the (row number, cells) pairs of a file's bytes, CSV or .xlsx by its name.

    Raise BadRowsError with a message if the file cannot be read as what it says it is.
    """
    if file_format(name) == Format.XLSX:
        return read_xlsx(data)
    return read_csv(decode(data))


def decode(data):
    """Return the text of a CSV file's bytes: UTF-8 (a byte order mark is dropped), else
    Windows-1258."""
    try:
        text = data.decode(FILE_ENCODING)
    except UnicodeDecodeError:
        try:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
        except UnicodeDecodeError:
            text = "\x00"  # not text
    # No text file holds control characters: this is another kind of file, or UTF-16
    # ("Unicode text", whose every other byte is a NUL).
    if CONTROL_CHARACTERS.search(text):
        raise BadRowsError(
            [gettext("This is not a CSV file: save the sheet as CSV UTF-8 or Excel (.xlsx).")]
        )
    return text


def separator(header_line):
    """Return the separator a header line uses: the one it has most of (a comma if none)."""
    return max(SEPARATORS, key=lambda candidate: (header_line.count(candidate), candidate == ","))


def read_csv(text):
    header_line = text.partition("\n")[0]
    reader = csv.reader(io.StringIO(text), delimiter=separator(header_line))
    rows = []
    try:
        for number, raw in enumerate(reader, start=1):
            # The export defuses cells a spreadsheet would run as formulas: undo it.
            cells = [restore_formula(cell.strip()) for cell in raw]
            if any(cells):
                check_row_count(number)
                rows.append((number, cells))
    except csv.Error as error:
        raise BadRowsError(
            [gettext("This CSV file is damaged: %(error)s") % {"error": error}]
        ) from None
    return rows


def check_row_count(number):
    if number > MAX_ROWS:
        raise BadRowsError(
            [gettext("The file has more than %(count)s rows.") % {"count": MAX_ROWS}]
        )


def read_xlsx(data):
    """Return the rows of a workbook's first sheet; raise BadRowsError if it is none."""
    not_a_workbook = BadRowsError(
        [gettext("This is not an Excel workbook (.xlsx), or the file is damaged.")]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise not_a_workbook from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise not_a_workbook
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            values = []
            for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
                if any(value is not None and value != "" for value in row):
                    check_row_count(number)
                    values.append((number, row))
        finally:
            workbook.close()
    except BadRowsError:
        raise
    except Exception:
        # openpyxl fails on a damaged workbook in many ways (zip, XML, styles, types).
        raise not_a_workbook from None
    return sheet_rows(values)


def sheet_rows(values):
    """Return the rows of a sheet's (row number, values) as the file's text cells."""
    rows, header = [], None
    for number, row in values:
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            header = [cell.lower() for cell in cells]
        else:
            for index, column in enumerate(header[: len(cells)]):
                cells[index] = typed_cell(column, row[index], cells[index])
            # Excel leaves empty cells at the end of a row out.
            cells += [""] * (len(header) - len(cells))
        rows.append((number, cells))
    return rows


def cell_text(value):
    """Return the text of a cell's value as the file writes it (dates day first)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def typed_cell(column, value, text):
    """Return a cell's text as its column writes it, where Excel changed what was typed."""
    if column in MONTH_COLUMNS and isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%m/%Y")
    if column in CODE_DIGITS and isinstance(value, int | float) and text.isdigit():
        return text.zfill(CODE_DIGITS[column])
    return text


def export_csv(year=None, delimiter=","):
    """Return the bytes of the CSV file of a year (or every year), with a byte order mark."""
    return export_text(year, delimiter).encode(FILE_ENCODING)


def export_xlsx(year=None):
    """Return the bytes of the workbook of a year (or every year): the CSV's cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Supported communes"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for cells in rows_for_export(programs_for_export(year), supports_for_export(year)):
        sheet.append([xlsx_cell(sheet, value) for value in cells])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xlsx_cell(sheet, value):
    """Return a cell for a value: numbers as numbers, everything else as text, never a
    formula (openpyxl would take text that starts with "=" for one)."""
    from openpyxl.cell import WriteOnlyCell

    if value == "" or value is None:
        return None
    if isinstance(value, int):
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell
