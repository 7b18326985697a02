"""Document files: which are accepted, under what name they are stored, how their text is read.

A file is recognised by its content, never by its name: a PDF starts with "%PDF-", Word,
Excel and OpenDocument files are ZIP archives holding their own parts, legacy Word and
Excel files are OLE2 compound files holding a "WordDocument" or "Workbook" stream
(read with olefile). Anything else, an HTML page or an SVG drawing renamed ".pdf"
included, is refused with a message for the editor.
"""

import io
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

import olefile
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.text import slugify_vi

MAX_FILE_BYTES = 30 * 1024 * 1024
# Seconds and bytes of memory the process reading one file may use (documents.extract).
EXTRACT_SECONDS = 300
EXTRACT_MEMORY = 1536 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    key: str  # the stored file's extension
    label: str
    content_type: str
    inline: bool = False  # opened in the browser (its own PDF viewer) rather than downloaded


FORMATS = {
    format.key: format
    for format in [
        Format("pdf", "PDF", "application/pdf", inline=True),
        Format(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Format("doc", "Word (DOC)", "application/msword"),
        Format(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Format("xls", "Excel (XLS)", "application/vnd.ms-excel"),
        Format("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text"),
    ]
}
ACCEPTED = "PDF, DOC, DOCX, XLS, XLSX, ODT"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(message, code="invalid_document_file", **params):
    return ValidationError(message, code=code, params=params)


def sniff(head, file):
    """Return the key of the format the content shows, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(file)
    if head.startswith(OLE2_MAGIC):
        return _ole_format(file)
    return None


def _zip_format(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                return "odt" if mimetype == b"application/vnd.oasis.opendocument.text" else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _ole_format(file):
    try:
        with olefile.OleFileIO(file) as ole:
            if ole.exists("WordDocument"):
                return "doc"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except (OSError, ValueError):
        return None
    return None


def check_upload(upload):
    """Return the Format of an uploaded file, or raise a ValidationError saying why it is refused.

    Only the size and the content decide: the name the file came with is not trusted.
    """
    if upload.size > MAX_FILE_BYTES:
        raise refused(
            _("The file is larger than %(limit)s. Please upload a smaller file."),
            code="document_file_too_large",
            limit=filesizeformat(MAX_FILE_BYTES),
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        key = sniff(head, upload)
    finally:
        upload.seek(position)
    if key is None:
        raise refused(
            _(
                "This file is not a PDF, Word, Excel or OpenDocument text file, whatever its "
                "name says (only %(formats)s are accepted)."
            ),
            formats=ACCEPTED,
        )
    return FORMATS[key]


def stored_name(original_name, file_format):
    """Return the ASCII name a file is stored under: its name folded, the true extension.

    "Kế hoạch số 12.PDF" becomes ke-hoach-so-12-3f9a1c.pdf (in documents/<year>/); the
    random part keeps two files of the same name apart and their addresses unguessable.
    """
    stem = slugify_vi(os.path.splitext(os.path.basename(original_name or ""))[0], 60)
    return f"{stem or 'van-ban'}-{secrets.token_hex(4)}.{file_format.key}"


def _limit_child():
    resource.setrlimit(resource.RLIMIT_AS, (EXTRACT_MEMORY, EXTRACT_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (EXTRACT_SECONDS, EXTRACT_SECONDS))


# Why a file's text could not be read, as the admin says it after "không đọc được: ".
REASONS = {
    "encrypted": _("the PDF is protected by a password"),
    "damaged": _("the file is damaged"),
    "ocr": _("the scan could not be read by OCR"),
    "timeout": _("reading it took too long"),
    "format": _("text is not read from this format"),
    "crashed": _("the reader stopped"),
}


class ExtractionFailed(Exception):
    """The text could not be read: args are a key of REASONS and a detail for the log."""


def extract_text(file_field, file_format):
    """Return the text of a stored file, read by documents.extract in a limited process.

    Raise ExtractionFailed if the file cannot be read, the reading is killed by the time
    or memory limit, or the process fails.
    """
    with tempfile.NamedTemporaryFile(suffix=f".{file_format}") as local:
        with file_field.open("rb") as stored:
            for chunk in stored.chunks():
                local.write(chunk)
        local.flush()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "documents.extract", file_format, local.name],
                capture_output=True,
                timeout=EXTRACT_SECONDS,
                preexec_fn=_limit_child,
                cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ExtractionFailed("timeout", "killed after the time limit") from error
    if result.returncode != 0:
        raise ExtractionFailed("crashed", result.stderr.decode(errors="replace")[-500:])
    try:
        answer = json.load(io.BytesIO(result.stdout))
    except ValueError as error:
        raise ExtractionFailed("crashed", "no answer") from error
    if "error" in answer:
        raise ExtractionFailed(answer["error"], answer.get("detail", ""))
    return answer["text"]
