"""Read the text of one stored document file, in a process of its own.

`python -m documents.extract FORMAT PATH` prints the text as JSON on standard output.
documents.files.extract_text() runs it under a time limit and a memory limit, so a
hostile file (a PDF that never ends, a decompression bomb) costs one killed child
process, never a worker. This module imports no Django: the child starts quickly.

Text PDFs are read with pypdf; pages with (almost) no text are scans, whose images
Tesseract reads with its Vietnamese model, at most MAX_OCR_PAGES of them. Word files
are read with python-docx; OpenDocument text and Excel workbooks are XML in a ZIP,
read with the standard library. Legacy Excel files (XLS) are read with xlrd, legacy
Word files (DOC) by Debian's catdoc, a program of its own run under this process's limits.
"""

import io
import json
import re
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

# A page with fewer letters than this is taken for a scan and read by OCR.
SCANNED_PAGE_LETTERS = 20
MAX_OCR_PAGES = 20
MAX_PDF_PAGES = 500
# Seconds Tesseract may spend on one page image.
OCR_PAGE_SECONDS = 60
# An image is scaled down to at most this many pixels before OCR.
OCR_MAX_PIXELS = 12_000_000
# What is kept of a file's text for search.
MAX_TEXT = 1_000_000
OCR_LANGUAGE = "vie"
# Seconds catdoc may spend on one Word file.
CATDOC_SECONDS = 120


class Unreadable(Exception):
    """The file's text cannot be read: args are a reason code (documents.files.REASONS)
    and a detail in English, for the log."""


def pdf_text(data):
    """Return a PDF's text, reading scanned pages by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("encrypted", "the PDF is encrypted")
        pages = reader.pages
        parts, ocr_pages = [], 0
        for number, page in enumerate(pages):
            if number >= MAX_PDF_PAGES:
                break
            text = page.extract_text() or ""
            scanned = sum(char.isalpha() for char in text) < SCANNED_PAGE_LETTERS
            if scanned and ocr_pages < MAX_OCR_PAGES:
                ocr_pages += 1
                text = " ".join(filter(None, [text, page_ocr(page)]))
            parts.append(text)
    except PdfReadError as error:
        raise Unreadable("damaged", str(error)) from error
    return "\n".join(parts)


def page_ocr(page):
    """Return the text Tesseract reads in a PDF page's images."""
    texts = []
    for image_file in page.images:
        image = image_file.image
        if image is None:
            continue
        texts.append(ocr(image))
    return "\n".join(texts)


def ocr(image):
    """Return the text of a Pillow image, read by Tesseract in Vietnamese."""
    import pytesseract

    if image.width * image.height > OCR_MAX_PIXELS:
        scale = (OCR_MAX_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    if image.mode not in {"L", "RGB"}:
        image = image.convert("RGB")
    try:
        return pytesseract.image_to_string(image, lang=OCR_LANGUAGE, timeout=OCR_PAGE_SECONDS)
    except RuntimeError as error:  # pytesseract's time-out
        raise Unreadable("timeout", "OCR took too long") from error
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError) as error:
        raise Unreadable("ocr", str(error)) from error


def docx_text(data):
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise Unreadable("damaged", str(error)) from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xml_text(archive, name):
    with archive.open(name) as member:
        # Only the text: the standard parser resolves no external entity.
        tree = ElementTree.parse(member)
    return " ".join(text.strip() for text in tree.getroot().itertext() if text.strip())


def zipped_xml_text(data, names):
    """Return the text of the XML members of an Office or OpenDocument file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            present = set(archive.namelist())
            return "\n".join(
                _xml_text(archive, name)
                for name in sorted(present)
                if any(re.fullmatch(pattern, name) for pattern in names)
            )
    except (zipfile.BadZipFile, ElementTree.ParseError) as error:
        raise Unreadable("damaged", str(error)) from error


def xls_text(data):
    """Return the text of every cell of a legacy Excel workbook."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as error:  # xlrd raises XLRDError, CompDocError, struct errors...
        raise Unreadable("damaged", str(error)) from error
    parts = []
    try:
        for sheet in book.sheets():
            for row in range(sheet.nrows):
                parts.extend(
                    str(value)
                    for value in sheet.row_values(row)
                    if isinstance(value, str) and value.strip()
                )
    except Exception as error:
        raise Unreadable("damaged", str(error)) from error
    finally:
        book.release_resources()
    return "\n".join(parts)


def doc_text(data):
    """Return the text of a legacy Word document, read by catdoc in UTF-8."""
    try:
        result = subprocess.run(
            ["catdoc", "-d", "utf-8", "-w"],
            input=data,
            capture_output=True,
            timeout=CATDOC_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        raise Unreadable("format", "catdoc is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise Unreadable("timeout", "catdoc took too long") from error
    if result.returncode != 0:
        raise Unreadable("damaged", result.stderr.decode(errors="replace")[-500:])
    return result.stdout.decode("utf-8", errors="replace")


READERS = {
    "pdf": pdf_text,
    "docx": docx_text,
    "odt": lambda data: zipped_xml_text(data, [r"content\.xml"]),
    "xlsx": lambda data: zipped_xml_text(data, [r"xl/sharedStrings\.xml"]),
    "xls": xls_text,
    "doc": doc_text,
}


def read(file_format, data):
    """Return the text of a file of this format (a key of READERS), or raise Unreadable."""
    reader = READERS.get(file_format)
    if reader is None:
        raise Unreadable("format", file_format)
    return " ".join(reader(data).split())[:MAX_TEXT]


def main(argv):
    file_format, path = argv
    with open(path, "rb") as file:
        data = file.read()
    try:
        result = {"text": read(file_format, data)}
    except Unreadable as error:
        result = {"error": error.args[0], "detail": error.args[1]}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
