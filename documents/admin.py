from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import (
    RevisionsAdminMixin,
    StageFilter,
    TrashAdminMixin,
    VietnameseSlugAdmin,
    WorkflowAdminMixin,
)
from documents import revisions, search, tasks
from documents.forms import DocumentAdminForm, DocumentFileForm
from documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    Issuer,
    TrashedDocument,
    WorkField,
)


class ListEntryAdmin(VietnameseSlugAdmin):
    list_display = ["name", "slug", "order", "document_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(description=_("documents"), ordering="document_count")
    def document_count(self, entry):
        return entry.document_count


admin.site.register(DocumentType, ListEntryAdmin)
admin.site.register(Issuer, ListEntryAdmin)
admin.site.register(WorkField, ListEntryAdmin)


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    form = DocumentFileForm
    extra = 1
    fields = ["file", "is_main", "title", "order", "format", "size", "reading_state"]
    readonly_fields = ["format", "size", "reading_state"]

    # Files follow the document: editable exactly when the document is.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(request, obj)

    @admin.display(description=_("text for search"))
    def reading_state(self, document_file):
        return document_file.reading_state if document_file.pk else "—"


def _editable(request, document):
    from core import workflow

    return document is None or workflow.can_edit(request.user, document)


class DocumentStageFilter(StageFilter):
    mine_label = _("My documents")


class FoldedSearchMixin:
    """Search documents as readers do: every word, in the record or the files, accents folded."""

    def get_search_results(self, request, queryset, search_term):
        terms = search.query_terms(search_term)
        if not terms:
            return queryset, False
        return queryset.filter(search.matches(terms)), False


@admin.register(Document)
class DocumentAdmin(FoldedSearchMixin, RevisionsAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = DocumentAdminForm
    revisions = revisions
    list_display = ["number", "summary_start", "doc_type", "issuer", "issued_on", "state", "author"]
    list_display_links = ["number", "summary_start"]
    list_filter = [DocumentStageFilter, "doc_type", "issuer", "field", "validity"]
    list_select_related = ["doc_type", "issuer", "created_by"]
    search_fields = ["number", "summary"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["replaced_by", "articles"]
    readonly_fields = ["creator", "created_at", "last_editor", "updated_at"]
    inlines = [DocumentFileInline]
    actions = ["submit_selected", "approve_selected", "publish_selected", "archive_selected"]
    actions += ["trash_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "doc_type",
                    "issuer",
                    "field",
                    ("issued_on", "effective_on"),
                    "signer",
                    "summary",
                ]
            },
        ),
        (_("Validity"), {"fields": ["validity", "replaced_by"]}),
        (_("Related news"), {"fields": ["articles"]}),
        (
            _("History"),
            {
                "fields": ["creator", "created_at", "last_editor", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/css/news.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("doc_type", "issuer")

    @admin.display(description=_("summary"), ordering="summary")
    def summary_start(self, document):
        return document.summary[:120]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is DocumentFile:
            for document_file in formset.new_objects + [
                changed for changed, _fields in formset.changed_objects if "file" in _fields
            ]:
                tasks.queue_reading(document_file)
            if formset.deleted_objects:
                form.instance.refresh_file_words()

    def get_urls(self):
        return [*self.revision_urls(), *super().get_urls()]


@admin.register(TrashedDocument)
class TrashedDocumentAdmin(FoldedSearchMixin, TrashAdminMixin, admin.ModelAdmin):
    list_display = ["number", *TrashAdminMixin.list_display[1:]]
    search_fields = ["number"]
