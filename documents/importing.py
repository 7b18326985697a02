"""Reading FOLDER/documents.csv for `manage.py import_documents`: parsing apart from writing.

`read_folder()` checks every row (columns, dates typed day first, known type and issuing
body, the file present and of an accepted format) and returns them all, or raises
BadRows with every problem by line, so that nothing is written from a bad file.
`import_row()` then creates or updates one document (same number, issuer and date of
issue: the same document) with its main file.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from core.text import fold
from documents import files
from documents.models import Document, DocumentFile, DocumentType, Issuer, WorkField

REQUIRED = ["number", "type", "issuer", "issued_on", "effective_on", "summary", "file"]
OPTIONAL = ["field", "signer", "status"]
# How the "status" column may say a document's validity (folded: accents and case ignored).
VALIDITY = {
    "": Document.Validity.IN_FORCE,
    "in_force": Document.Validity.IN_FORCE,
    "con hieu luc": Document.Validity.IN_FORCE,
    "expired": Document.Validity.EXPIRED,
    "het hieu luc": Document.Validity.EXPIRED,
    "replaced": Document.Validity.REPLACED,
    "bi thay the": Document.Validity.REPLACED,
    "da bi thay the": Document.Validity.REPLACED,
}


class BadRows(Exception):
    """The file has problems: args[0] is a list of "line N: what is wrong"."""


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    doc_type: DocumentType
    issuer: Issuer
    field: WorkField | None
    issued_on: datetime.date
    effective_on: datetime.date | None
    summary: str
    signer: str
    validity: str
    path: Path
    file_format: files.Format


def parse_day(text):
    """Return the date typed day first (25/03/2025), or raise ValueError."""
    return datetime.datetime.strptime(text.strip(), "%d/%m/%Y").date()


def _by_name(model):
    return {fold(entry.name): entry for entry in model.objects.all()}


def read_folder(folder):
    """Return the Rows of folder/documents.csv, or raise BadRows (or OSError) saying why not."""
    folder = Path(folder)
    with open(folder / "documents.csv", encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise BadRows([f"line 1: missing columns: {', '.join(missing)}"])
        records = list(reader)
    lists = {
        "type": _by_name(DocumentType),
        "issuer": _by_name(Issuer),
        "field": _by_name(WorkField),
    }
    rows, problems, seen = [], [], {}
    for line, record in enumerate(records, start=2):
        record = {key: (value or "").strip() for key, value in record.items() if key}
        try:
            row = _row(line, record, lists, folder)
        except ValueError as error:
            problems.append(f"line {line}: {error}")
            continue
        key = (fold(row.number), row.issuer.pk, row.issued_on)
        if key in seen:
            problems.append(f"line {line}: the same document as line {seen[key]}")
            continue
        seen[key] = line
        rows.append(row)
    if problems:
        raise BadRows(problems)
    return rows


def _row(line, record, lists, folder):
    for name in ("number", "type", "issuer", "issued_on", "summary", "file"):
        if not record.get(name):
            raise ValueError(f"{name} is empty")
    entries = {}
    for name in ("type", "issuer", "field"):
        if name == "field" and not record.get("field"):
            entries[name] = None
            continue
        entries[name] = lists[name].get(fold(record[name]))
        if entries[name] is None:
            known = ", ".join(sorted(entry.name for entry in lists[name].values()))
            raise ValueError(f"unknown {name} {record[name]!r} (known: {known})")
    try:
        issued_on = parse_day(record["issued_on"])
    except ValueError:
        raise ValueError(f"issued_on {record['issued_on']!r} is not a day (dd/mm/yyyy)") from None
    effective_on = None
    if record.get("effective_on"):
        try:
            effective_on = parse_day(record["effective_on"])
        except ValueError:
            raise ValueError(
                f"effective_on {record['effective_on']!r} is not a day (dd/mm/yyyy)"
            ) from None
        if effective_on < issued_on:
            raise ValueError("effective_on comes before issued_on")
    validity = VALIDITY.get(fold(record.get("status", "")).replace("-", " "))
    if validity is None:
        raise ValueError(f"status {record['status']!r} is not one of in_force, expired, replaced")
    path = (folder / record["file"]).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise ValueError(f"file {record['file']!r} is not in the folder")
    with open(path, "rb") as stream:
        upload = File(stream, name=path.name)
        try:
            file_format = files.check_upload(upload)
        except ValidationError as error:
            raise ValueError(f"file {record['file']!r}: {' '.join(error.messages)}") from None
    return Row(
        line=line,
        number=record["number"],
        doc_type=entries["type"],
        issuer=entries["issuer"],
        field=entries["field"],
        issued_on=issued_on,
        effective_on=effective_on,
        summary=record["summary"],
        signer=record.get("signer", ""),
        validity=validity,
        path=path,
        file_format=file_format,
    )


def import_row(row, user):
    """Create or update the row's document and its main file; return (document, file, created).

    The file is replaced, and read again, only if its content changed.
    """
    document = Document.all_objects.filter(
        number=row.number, issuer=row.issuer, issued_on=row.issued_on
    ).first()
    created = document is None
    if created:
        document = Document(number=row.number, issuer=row.issuer, issued_on=row.issued_on)
        document.created_by = user if getattr(user, "pk", None) else None
    document.doc_type = row.doc_type
    document.field = row.field
    document.effective_on = row.effective_on
    document.summary = row.summary
    document.signer = row.signer
    document.validity = row.validity
    document.save()
    content = row.path.read_bytes()
    main = document.files.filter(is_main=True).first()
    if main is not None and main.size == len(content) and _same(main, content):
        return document, None, created
    if main is not None:
        main.file.delete(save=False)
    else:
        main = DocumentFile(document=document, is_main=True)
    main.original_name = row.path.name
    main.format = row.file_format.key
    main.size = len(content)
    main.reading = DocumentFile.Reading.WAITING
    main.text = ""
    with open(row.path, "rb") as stream:
        main.file.save(files.stored_name(row.path.name, row.file_format), File(stream), save=False)
    main.save()
    return document, main, created


def _same(stored, content):
    try:
        with stored.file.open("rb") as handle:
            return handle.read() == content
    except OSError:
        return False
