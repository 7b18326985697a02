"""Reading the documents' files for search, as queued tasks (`manage.py db_worker`).

Saving a file queues `read_file`; the worker reads it (documents.files.extract_text, in a
process of its own under a time and memory limit) and stores the text and the folded
words search reads. The file's state shows in the admin: waiting, being read, read, or
could not be read and why. A file that cannot be read changes nothing else: its document
publishes as any other.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from documents.files import ExtractionFailed, extract_text
from documents.models import DocumentFile

logger = logging.getLogger(__name__)
Reading = DocumentFile.Reading


def queue_reading(document_file):
    """Queue the reading of a file once the transaction that stored it commits."""
    transaction.on_commit(lambda: _enqueue(document_file.pk))


def _enqueue(pk):
    try:
        read_file.enqueue(pk)
    except Exception:
        # The file is saved already; it stays "waiting" and `read_documents` catches up.
        logger.exception("Could not queue the reading of document file %s", pk)


@task
def read_file(pk):
    """Read one file's text and store it with its document's search words; return the state."""
    return read_now(pk)


def read_now(pk):
    claimed = DocumentFile.objects.filter(pk=pk).exclude(reading=Reading.READING)
    if not claimed.update(reading=Reading.READING, reading_error=""):
        return None
    document_file = DocumentFile.objects.select_related("document").get(pk=pk)
    try:
        text = extract_text(document_file.file, document_file.format)
    except ExtractionFailed as error:
        reason, detail = (error.args + ("", ""))[:2]
        logger.warning("Could not read document file %s (%s): %s", pk, reason, detail)
        fields = {"reading": Reading.FAILED, "reading_error": reason, "text": ""}
    except Exception:
        logger.exception("Could not read document file %s", pk)
        fields = {"reading": Reading.FAILED, "reading_error": "crashed", "text": ""}
    else:
        fields = {"reading": Reading.READ, "text": text}
    with transaction.atomic():
        DocumentFile.objects.filter(pk=pk).update(read_at=timezone.now(), **fields)
        document_file.document.refresh_file_words()
    return fields["reading"]
