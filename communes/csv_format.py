"""The file format of the supported communes: written by export_communes, the admin's
export and the public /xa-ho-tro/<year>.csv download, read by import_communes and the
admin's import, which write the rows with communes.importing. The same columns come as
CSV or as an Excel sheet (communes.spreadsheets reads and writes either).

One row per supported commune. The program's own columns (year to summary)
repeat on every row of its year and must agree; a row with no commune carries
a program whose communes are not named yet (2023 in the reference data).
Kinds and ratings are written as their Vietnamese labels, so that the file
reads naturally in a spreadsheet; the stored values are accepted too.

A commune is the unit as it was in the row's year: its code names it only within
its validity (commune_valid_from, commune_valid_until, dd/mm/yyyy), so a 2026 row
may reuse the code of a 2022 unit. now_part_of and now_codes say what the unit is
today, from its links (communes.lineage); they are written for readers and ignored
on import, where the links come from import_lineage. The columns added with the
2025 arrangement (province to now_codes) may be left out of older files.

Rows are numbered as a spreadsheet shows them, the header being row 1. Every problem
is told in the language of the moment (Vietnamese in the admin, English on the command
line), naming the column as the header writes it.
"""

import csv
import datetime
import functools
import io
import re
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext, pgettext_lazy

from communes import lineage
from communes.models import Commune, CommuneSupport, District, Province, SupportProgram
from core.text import fold

COLUMNS = [
    "year",
    "program",
    "start_month",
    "end_month",
    "planned_count",
    "reported_results",
    "summary",
    "district",
    "district_kind",
    "district_code",
    "province",
    "commune",
    "commune_kind",
    "commune_code",
    "commune_valid_from",
    "commune_valid_until",
    "rating",
    "officer",
    "notes",
    "now_part_of",
    "now_codes",
]
COMMUNE_COLUMNS = COLUMNS[COLUMNS.index("district") :]
# Columns an older file may lack: read as empty.
OPTIONAL_COLUMNS = [
    "province",
    "commune_valid_from",
    "commune_valid_until",
    "now_part_of",
    "now_codes",
]
# Written for readers, never read back: what the unit is today.
DERIVED_COLUMNS = ["now_part_of", "now_codes"]
# Former column names, still read so that older files import.
COLUMN_ALIASES = {"programme": "program"}
# How problems name a column: English as the header writes it; Vietnamese adds what it holds.
COLUMN_TEXT = {
    "year": pgettext_lazy("communes file column", "year"),
    "program": pgettext_lazy("communes file column", "program"),
    "start_month": pgettext_lazy("communes file column", "start_month"),
    "end_month": pgettext_lazy("communes file column", "end_month"),
    "planned_count": pgettext_lazy("communes file column", "planned_count"),
    "reported_results": pgettext_lazy("communes file column", "reported_results"),
    "summary": pgettext_lazy("communes file column", "summary"),
    "district": pgettext_lazy("communes file column", "district"),
    "district_kind": pgettext_lazy("communes file column", "district_kind"),
    "district_code": pgettext_lazy("communes file column", "district_code"),
    "province": pgettext_lazy("communes file column", "province"),
    "commune": pgettext_lazy("communes file column", "commune"),
    "commune_kind": pgettext_lazy("communes file column", "commune_kind"),
    "commune_code": pgettext_lazy("communes file column", "commune_code"),
    "commune_valid_from": pgettext_lazy("communes file column", "commune_valid_from"),
    "commune_valid_until": pgettext_lazy("communes file column", "commune_valid_until"),
    "rating": pgettext_lazy("communes file column", "rating"),
    "officer": pgettext_lazy("communes file column", "officer"),
    "notes": pgettext_lazy("communes file column", "notes"),
    "now_part_of": pgettext_lazy("communes file column", "now_part_of"),
    "now_codes": pgettext_lazy("communes file column", "now_codes"),
}
# Excel only reads a CSV file as UTF-8 when it starts with a byte order mark.
FILE_ENCODING = "utf-8-sig"
MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BadRowsError(ValueError):
    """Some rows are bad; errors is the list of "row N: reason" messages."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


def row_problem(row, reason):
    """Return the message of a problem on a row: "row 13: …" ("Dòng 13: …" in Vietnamese)."""
    return gettext("row %(row)s: %(reason)s") % {"row": row, "reason": reason}


def column_text(column):
    return str(COLUMN_TEXT.get(column, column))


@dataclass
class ProgramRow:
    # Where the row is; the rows of one year must agree on everything else.
    number: int = field(compare=False)
    year: int
    title: str
    start_month: datetime.date | None
    end_month: datetime.date | None
    planned_count: int | None
    reported_results: str
    summary: str


# The column of a ProgramRow field, where the names differ.
PROGRAM_COLUMNS = {"title": "program"}


@dataclass
class SupportRow:
    number: int
    year: int
    district: str
    district_kind: str
    district_code: str
    province: str
    commune: str
    commune_kind: str
    commune_code: str
    commune_valid_from: datetime.date | None
    commune_valid_until: datetime.date | None
    rating: str
    officer: str
    notes: str


# The words the file uses for kinds and ratings. They are part of the format,
# like the column names, so they are fixed here rather than taken from the
# translation catalogue: a file must read the same whatever the interface
# language, and the import must not depend on compiled translations.
FILE_WORDS = {
    Province.Kind: {
        Province.Kind.PROVINCE: "tỉnh",
        Province.Kind.CITY: "thành phố",
    },
    District.Kind: {
        District.Kind.RURAL_DISTRICT: "huyện",
        District.Kind.CITY: "thành phố",
        District.Kind.TOWN: "thị xã",
    },
    Commune.Kind: {
        Commune.Kind.COMMUNE: "xã",
        Commune.Kind.WARD: "phường",
        Commune.Kind.TOWNSHIP: "thị trấn",
    },
    CommuneSupport.Rating: {
        CommuneSupport.Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
        CommuneSupport.Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
        CommuneSupport.Rating.COMPLETED: "Hoàn thành nhiệm vụ",
        CommuneSupport.Rating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
        CommuneSupport.Rating.NOT_RATED: "Chưa đánh giá",
    },
}


def file_word(choices, value):
    return FILE_WORDS[choices][value]


def defuse_formula(value):
    """Return value as cell text that a spreadsheet shows as text, never runs.

    OWASP's rule: a cell that starts like a formula gets a leading single
    quote. One is also added before quotes that precede such a character, so
    that restore_formula() gives every value back unchanged.
    """
    text = str(value)
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore_formula(cell):
    """Return the value defuse_formula() was given: without the quote it added."""
    return cell[1:] if cell.startswith("'") and defuse_formula(cell[1:]) == cell else cell


def format_month(value):
    return value.strftime("%m/%Y") if value else ""


def parse_month(text, column):
    if not text:
        return None
    match = MONTH.match(text)
    if not match or not 1 <= int(match[1]) <= 12:
        raise ValueError(
            gettext("%(column)s %(value)s is not a month written MM/YYYY")
            % {"column": column_text(column), "value": repr(text)}
        )
    return datetime.date(int(match[2]), int(match[1]), 1)


def format_day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def parse_day(text, column):
    if not text:
        return None
    match = DAY.match(text)
    try:
        if not match:
            raise ValueError
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError(
            gettext("%(column)s %(value)s is not a date written DD/MM/YYYY")
            % {"column": column_text(column), "value": repr(text)}
        ) from None


@functools.cache
def choice_lookup(choices):
    """Return {folded word: value} for the file's words and the stored values of choices.

    Case and accents are forgiven ("chua danh gia"); stored values are accepted too.
    Made once: folding every word for every row took most of the time a file is read.
    """
    lookup = {fold(word): value for value, word in FILE_WORDS[choices].items()}
    return lookup | {fold(value): value for value in choices.values}


def parse_choice(choices, text, column, default=None):
    if not text and default is not None:
        return default
    value = choice_lookup(choices).get(fold(text))
    if value is None:
        raise ValueError(
            gettext("%(column)s %(value)s is not one of: %(allowed)s")
            % {
                "column": column_text(column),
                "value": repr(text),
                "allowed": ", ".join(FILE_WORDS[choices].values()),
            }
        )
    return value


def parse_row(number, cells):
    """Return (ProgramRow, SupportRow or None) for one row; raise ValueError if bad."""
    year_text = cells["year"]
    if not re.fullmatch(r"\d{4}", year_text):
        raise ValueError(
            gettext("%(column)s %(value)s is not a four-digit year")
            % {"column": column_text("year"), "value": repr(year_text)}
        )
    year = int(year_text)
    planned = cells["planned_count"]
    if planned and not planned.isdigit():
        raise ValueError(
            gettext("%(column)s %(value)s is not a whole number")
            % {"column": column_text("planned_count"), "value": repr(planned)}
        )
    program = ProgramRow(
        number=number,
        year=year,
        title=cells["program"],
        start_month=parse_month(cells["start_month"], "start_month"),
        end_month=parse_month(cells["end_month"], "end_month"),
        planned_count=int(planned) if planned else None,
        reported_results=cells["reported_results"],
        summary=cells["summary"],
    )
    if not cells["commune"]:
        extra = [
            column for column in COMMUNE_COLUMNS if cells[column] and column not in DERIVED_COLUMNS
        ]
        if extra:
            raise ValueError(
                gettext("the commune name is missing (but %(columns)s given)")
                % {"columns": ", ".join(extra)}
            )
        return program, None
    district_kind = ""
    if cells["district"]:
        district_kind = parse_choice(
            District.Kind, cells["district_kind"], "district_kind", District.Kind.RURAL_DISTRICT
        )
    elif cells["district_kind"] or cells["district_code"]:
        raise ValueError(gettext("the district name is missing"))
    support = SupportRow(
        number=number,
        year=year,
        district=cells["district"],
        district_kind=district_kind,
        district_code=cells["district_code"],
        province=cells["province"],
        commune=cells["commune"],
        commune_kind=parse_choice(
            Commune.Kind, cells["commune_kind"], "commune_kind", Commune.Kind.COMMUNE
        ),
        commune_code=cells["commune_code"],
        commune_valid_from=parse_day(cells["commune_valid_from"], "commune_valid_from"),
        commune_valid_until=parse_day(cells["commune_valid_until"], "commune_valid_until"),
        rating=parse_choice(
            CommuneSupport.Rating, cells["rating"], "rating", CommuneSupport.Rating.NOT_RATED
        ),
        officer=cells["officer"],
        notes=cells["notes"],
    )
    return program, support


def read_rows(table, year=None):
    """Parse and check a whole file's rows; return (programs by year, support rows).

    `table` is the file's (row number, cells) pairs, the header first, as
    communes.spreadsheets reads them. Every bad row is reported, not only the first:
    raise BadRowsError with one "row N: reason" per problem. With year, rows of other
    years are skipped.
    """
    rows = iter(table)
    first_row = next(rows, None)
    if first_row is None:
        raise BadRowsError([row_problem(1, gettext("the file is empty"))])
    header_number, header = first_row
    header = [COLUMN_ALIASES.get(name.lower(), name.lower()) for name in header]
    missing = [
        column for column in COLUMNS if column not in header and column not in OPTIONAL_COLUMNS
    ]
    if not set(header) & set(COLUMNS):
        reason = gettext(
            "this row should name the columns, as the first row of an exported file does"
        )
        raise BadRowsError([row_problem(header_number, reason)])
    if missing:
        reason = gettext("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
        raise BadRowsError([row_problem(header_number, reason)])

    errors, programs, supports, seen = [], {}, [], {}
    for number, raw in rows:
        if not any(raw):
            continue
        if len(raw) != len(header):
            reason = gettext("%(cells)s cells where the header has %(header)s") % {
                "cells": len(raw),
                "header": len(header),
            }
            errors.append(row_problem(number, reason))
            continue
        cells = dict.fromkeys(OPTIONAL_COLUMNS, "") | dict(zip(header, raw, strict=True))
        try:
            program, support = parse_row(number, cells)
        except ValueError as error:
            errors.append(row_problem(number, error))
            continue
        if year is not None and program.year != year:
            continue
        first = programs.setdefault(program.year, program)
        if first != program:
            differing = [
                PROGRAM_COLUMNS.get(column.name, column.name)
                for column in fields(ProgramRow)
                if column.compare and getattr(first, column.name) != getattr(program, column.name)
            ]
            reason = gettext(
                "program columns (%(columns)s) differ from row %(row)s of the same year"
            ) % {"columns": ", ".join(differing), "row": first.number}
            errors.append(row_problem(number, reason))
            continue
        if support is None:
            continue
        key = (support.year, support.commune_code or fold(support.commune), fold(support.district))
        if key in seen:
            reason = gettext("%(commune)s is already listed for %(year)s on row %(row)s") % {
                "commune": support.commune,
                "year": support.year,
                "row": seen[key],
            }
            errors.append(row_problem(number, reason))
            continue
        seen[key] = number
        supports.append(support)
    if errors:
        raise BadRowsError(errors)
    return programs, supports


def supports_for_export(year=None):
    """Return the supports of a year (or every year), in the order files and pages use."""
    supports = CommuneSupport.objects.all()
    if year is not None:
        supports = supports.filter(program__year=year)
    return supports.in_display_order()


def write_rows(programs, supports, stream, delimiter=","):
    """Write the programs and their supports to stream as CSV text."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for cells in rows_for_export(programs, supports):
        writer.writerow([defuse_formula(cell) for cell in cells])


def rows_for_export(programs, supports):
    """Yield the cells of each row: one per support, one for a program without any."""
    by_program = {}
    for support in supports:
        by_program.setdefault(support.program_id, []).append(support)
    for program in sorted(programs, key=lambda program: program.year):
        program_cells = [
            program.year,
            program.title,
            format_month(program.start_month),
            format_month(program.end_month),
            "" if program.planned_count is None else program.planned_count,
            program.reported_results,
            program.summary,
        ]
        rows = by_program.get(program.pk, [])
        if not rows:
            yield program_cells + [""] * len(COMMUNE_COLUMNS)
        for support in rows:
            commune, district = support.commune, support.commune.district
            province = commune.province
            now = lineage.now(commune)
            yield program_cells + [
                district.name if district else "",
                file_word(District.Kind, district.kind) if district else "",
                district.code if district else "",
                province.name if province else "",
                commune.name,
                file_word(Commune.Kind, commune.kind),
                commune.code,
                format_day(commune.valid_from),
                format_day(commune.valid_until),
                file_word(CommuneSupport.Rating, support.rating),
                support.officer,
                support.notes,
                now_words(now),
                "; ".join(place.code for place in now.places),
            ]


def now_words(now):
    """Return what a unit is today in the file's words: "xã Phủ Thông, tỉnh Thái Nguyên"."""
    units = "; ".join(f"{file_word(Commune.Kind, p.kind)} {p.name}" for p in now.places)
    province = now.province and now.places[0]
    if province:
        units += f", {file_word(Province.Kind, province.province_kind)} {province.province_name}"
    return units


def programs_for_export(year=None):
    """Return the program of a year (or every program) as a list."""
    programs = SupportProgram.objects.all()
    if year is not None:
        programs = programs.filter(year=year)
    return list(programs)


def export_text(year=None, delimiter=","):
    """Return the CSV text of a year's program (or of every program)."""
    stream = io.StringIO()
    write_rows(programs_for_export(year), supports_for_export(year), stream, delimiter)
    return stream.getvalue()
