"""The union's documents (văn bản): directives, plans, reports, with their files.

A document shows what Nghị định 42/2022/NĐ-CP asks of an official portal: its type,
issuing body, number and symbol, dates of issue and effect, summary (trích yếu) and
files. It goes through the newsroom's workflow (core.workflow) like an article, and
readers see only `Document.objects.published()`.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent
from core.text import unique_slug
from core.workflow import (
    PUBLISHED_ROWS,
    LiveManager,
    Workflowed,
    WorkflowQuerySet,
    WorkflowStep,
)
from documents import search
from documents.files import FORMATS, REASONS


class ListEntry(PublicContent, models.Model):
    """An entry of a list leaders extend in the admin (types, issuing bodies, fields)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Part of the web address. Left empty, it is made from the name."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in lists and filters.")
    )

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, 160, exclude_pk=self.pk, fallback="muc")
        super().save(*args, **kwargs)


class DocumentType(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Issuer(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")


class WorkField(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("field of work")
        verbose_name_plural = _("fields of work")


class DocumentQuerySet(WorkflowQuerySet):
    def for_listing(self):
        """Return documents with what lists show, in one query."""
        return self.select_related("doc_type", "issuer", "field").defer(
            "search_text", "search_files"
        )


# The lists' order (Document.Meta.ordering), which their indexes follow.
LIST_ORDER = ["-issued_on", "-id"]
# What published() and the newsroom's stages test, kept in the indexes after the order.
WORKFLOW_COLUMNS = ["published_at", "expires_at", "status", "deleted_at"]
NEWSROOM_FILTERED = [
    *WORKFLOW_COLUMNS,
    "returned_at",
    "approved_at",
    "created_by",
    "doc_type",
    "issuer",
    "field",
    "validity",
]


class LiveDocumentManager(LiveManager.from_queryset(DocumentQuerySet)):
    """Hide documents in the trash."""


class Document(PublicContent, Workflowed):
    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        REPLACED = "replaced", _("Replaced")

    number = models.CharField(
        _("number and symbol"),
        max_length=100,
        help_text=_("As printed on the document, e.g. “225-KH/TWĐTN-CTTN”."),
    )
    # The foreign keys, the status, the publication time and the date of issue have no
    # index of their own: see Meta.indexes.
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,
    )
    issuer = models.ForeignKey(
        Issuer,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,
    )
    field = models.ForeignKey(
        WorkField,
        verbose_name=_("field of work"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        db_index=False,
    )
    issued_on = models.DateField(_("date of issue"), help_text=_("Typed day first: 25/03/2025."))
    effective_on = models.DateField(
        _("date of effect"),
        null=True,
        blank=True,
        help_text=_("Left empty if it takes effect on the day of issue."),
    )
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    summary = models.TextField(
        _("summary"), help_text=_("The document's summary (trích yếu), as printed on it.")
    )
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity, default=Validity.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        related_name="replaces",
        null=True,
        blank=True,
        help_text=_("The document that replaces this one; it then shows this one as replaced."),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("related news"),
        related_name="documents",
        blank=True,
        help_text=_("News about this document, shown on its page and theirs once published."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Search: the folded words of the number, summary and lists (search_text) and of the
    # files' text (search_files), set by derive() and indexed by the database.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_files = models.TextField(editable=False, blank=True, default="")

    objects = LiveDocumentManager()
    all_objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        get_latest_by = "issued_on"
        default_manager_name = "all_objects"
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # Each list walks an index in its own order and stops when its page is full: with
        # single-column indexes and no statistics SQLite took "status = 'published'" or
        # "doc_type_id = ?" for rare and sorted every row they matched
        # (tests/documents/test_query_plans.py).
        indexes = [
            # /van-ban/, all years or one (a range of the date of issue).
            models.Index(
                fields=[*LIST_ORDER, *WORKFLOW_COLUMNS],
                name="document_public_order",
                condition=PUBLISHED_ROWS,
            ),
            # The newsroom's list, with every column its filters and stages test.
            models.Index(fields=[*LIST_ORDER, *NEWSROOM_FILTERED], name="document_newsroom_order"),
            # One type's, issuing body's, field's or person's list, for readers and the
            # newsroom; also what the foreign keys need.
            models.Index(fields=["doc_type", *LIST_ORDER], name="document_type_order"),
            models.Index(fields=["issuer", *LIST_ORDER], name="document_issuer_order"),
            models.Index(fields=["field", *LIST_ORDER], name="document_field_order"),
            models.Index(fields=["created_by", *LIST_ORDER], name="document_owner_order"),
            # The trash, newest first: everyone's or one's own.
            models.Index(
                fields=["-deleted_at", "-id"],
                name="document_trash",
                condition=Q(deleted_at__isnull=False),
            ),
            models.Index(
                fields=["created_by", "-deleted_at", "-id"],
                name="document_owner_trash",
                condition=Q(deleted_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issuer", "issued_on"],
                name="document_number_issuer_day",
                violation_error_message=_(
                    "This issuing body already has a document with this number on this day."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="document_published_has_time",
                violation_error_message=_("A published document needs a publication time."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=models.F("published_at")),
                name="document_expires_after_publication",
                violation_error_message=_("The expiry time must come after the publication time."),
            ),
        ]
        permissions = [
            ("submit_document", _("Can submit a document for review")),
            ("review_document", _("Can review, return and approve documents")),
            ("publish_document", _("Can publish and take down documents")),
            ("view_all_documents", _("Can see everyone's documents in the admin")),
        ]

    def __str__(self):
        return f"{self.number} · {self.summary[:80]}" if self.summary else self.number

    def save(self, *args, **kwargs):
        self.derive()
        self.version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", "updated_at", "search_text"}
        super().save(*args, **kwargs)

    def derive(self):
        """Work out the folded words search reads from the number, summary and lists."""
        self.search_text = search.searchable(
            " ".join(
                [
                    self.number,
                    self.summary,
                    self.signer,
                    self.doc_type.name if self.doc_type_id else "",
                    self.issuer.name if self.issuer_id else "",
                ]
            )
        )

    def clean(self):
        super().clean()
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": _("A document cannot replace itself.")})
        if self.replaced_by_id and self.validity != self.Validity.REPLACED:
            self.validity = self.Validity.REPLACED
        if self.effective_on and self.issued_on and self.effective_on < self.issued_on:
            raise ValidationError(
                {"effective_on": _("The date of effect cannot come before the date of issue.")}
            )

    def get_absolute_url(self):
        return reverse("documents:document-detail", kwargs={"pk": self.pk})

    def get_preview_url(self):
        """Return the staff preview of the document as readers would see it."""
        return reverse("documents:document-preview", kwargs={"pk": self.pk})

    def refresh_file_words(self):
        """Store the folded words of the files' text (after a file was read or removed)."""
        texts = self.files.exclude(text="").values_list("text", flat=True)
        words = search.searchable(" ".join(texts))
        Document.all_objects.filter(pk=self.pk).update(search_files=words)
        self.search_files = words


class TrashedDocument(Document):
    """The documents in the trash, listed on their own page of the admin."""

    class Meta:
        proxy = True
        default_manager_name = "all_objects"
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("document in the trash")
        verbose_name_plural = _("documents' trash")


def _upload_to(instance, filename):
    # The name is already ASCII (documents.files.stored_name); the folder is the year's.
    return f"documents/{timezone.localdate():%Y}/{filename}"


class DocumentFile(PublicContent, models.Model):
    """A file of a document: the main one or an attachment, and what was read from it."""

    class Reading(models.TextChoices):
        WAITING = "waiting", _("waiting to be read")
        READING = "reading", _("being read")
        READ = "read", _("read")
        FAILED = "failed", _("could not be read")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=200)
    is_main = models.BooleanField(
        _("main file"), default=False, help_text=_("The document itself; others are attachments.")
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Left empty, the file's name is shown.")
    )
    original_name = models.CharField(_("uploaded as"), max_length=255, editable=False)
    format = models.CharField(
        _("format"),
        max_length=10,
        choices=[(key, f.label) for key, f in FORMATS.items()],
        editable=False,
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    reading = models.CharField(
        _("text"), max_length=10, choices=Reading, default=Reading.WAITING, editable=False
    )
    reading_error = models.CharField(
        _("why not"), max_length=20, blank=True, editable=False, choices=list(REASONS.items())
    )
    text = models.TextField(_("text read from the file"), blank=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-is_main", "order", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(is_main=True),
                name="document_one_main_file",
                violation_error_message=_("A document has only one main file."),
            )
        ]

    def __str__(self):
        return self.title or self.original_name or self.file.name

    def get_absolute_url(self):
        return reverse("documents:file", kwargs={"pk": self.document_id, "file_pk": self.pk})

    def is_public(self):
        """Return True if readers may open the file now: its document is published."""
        return self.document.is_public()

    @property
    def file_format(self):
        return FORMATS[self.format]

    @property
    def reading_state(self):
        """Return what the admin says of the file's text: "read", or why it could not be."""
        if self.reading == self.Reading.FAILED:
            return _("could not be read: %(reason)s") % {"reason": self.get_reading_error_display()}
        return self.get_reading_display()


class DocumentTransition(WorkflowStep):
    """One step of a document through the workflow, shown as its timeline."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="transitions"
    )


# Every save made inside a revision block (the admin, workflow steps, restores) keeps a
# copy of the document with its files' names.
reversion.register(DocumentFile, exclude=["text"])
reversion.register(Document, follow=["files"], exclude=["search_text", "search_files"])
