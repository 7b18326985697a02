from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core import search as site_search
from core.preview import StaffPreviewMixin
from documents import search
from documents.forms import DocumentFilterForm
from documents.models import Document, DocumentType, Issuer, WorkField
from news.models import Article

PAGE_SIZE = 20
# Results a reader may page through when searching.
RESULT_LIMIT = 1000
# Documents the site's search page shows before its link to /van-ban/?q=…
SITE_SEARCH_SHOWN = 5


class DocumentListView(ListView):
    """/van-ban/: published documents, newest first, filtered and searched."""

    template_name = "documents/document_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.form = DocumentFilterForm(
            self.request.GET,
            types=list(DocumentType.objects.all()),
            issuers=list(Issuer.objects.all()),
            fields=list(WorkField.objects.all()),
            years=self.years(),
        )
        self.form.is_valid()
        data = self.form.cleaned_data
        documents = Document.objects.published()
        for name, column in (("type", "doc_type"), ("issuer", "issuer"), ("field", "field")):
            if data.get(name):
                documents = documents.filter(**{column: data[name]})
        if data.get("year"):
            documents = documents.filter(issued_on__year=data["year"])
        self.terms = search.query_terms(data.get("q", ""))
        if not self.terms:
            return documents.for_listing()
        found = search.find(documents, self.terms, RESULT_LIMIT)
        self.found = found
        return found

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.terms:
            # A page of ids, best first: read those documents only.
            shown = Document.objects.for_listing().in_bulk(list(object_list))
            object_list = [shown[pk] for pk in object_list if pk in shown]
            page.object_list = object_list
        return paginator, page, object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        data = self.form.cleaned_data
        context.update(
            form=self.form,
            terms=self.terms,
            query=data.get("q", ""),
            selected={
                name: data[name].slug if data.get(name) else ""
                for name in ("type", "issuer", "field")
            },
            selected_year=str(data["year"]) if data.get("year") else "",
            page_query=params.urlencode(),
            filtered=any(data.get(name) for name in ("q", "type", "issuer", "field", "year")),
        )
        return context

    def years(self):
        """Return the years readers may filter on, newest first."""
        first = (
            Document.objects.published()
            .order_by("issued_on")
            .values_list("issued_on", flat=True)
            .first()
        )
        this_year = timezone.localdate().year
        since = min(first.year, this_year) if first else this_year
        return range(this_year, since - 1, -1)


class DocumentDetailView(DetailView):
    """A document as readers see it: its record, its files, its related news and successors.

    Its staff preview (DocumentPreviewView) is this page with other rows."""

    model = Document
    template_name = "documents/document_detail.html"
    preview = False

    def get_queryset(self):
        return self.rows(Document.objects.published())

    def rows(self, documents):
        return documents.select_related("doc_type", "issuer", "field", "replaced_by")

    def get_context_data(self, **kwargs):
        document = self.object
        replaced_by = document.replaced_by
        if replaced_by is not None and not replaced_by.is_live:
            replaced_by = None
        return super().get_context_data(
            files=list(document.files.all()),
            replaced_by=replaced_by,
            preview=self.preview,
            replaces=list(Document.objects.published().filter(replaced_by=document)),
            related_articles=list(
                Article.objects.cards().filter(documents=document).order_by("-published_at")[:6]
            ),
            **kwargs,
        )


class DocumentPreviewView(StaffPreviewMixin, DocumentDetailView):
    """Any document the staff member may see in the admin, drafts included."""


# Headers of a downloaded file. Whatever a file holds, the browser must not run it as part
# of the portal: no guessing of its type, no script, no frame, no plugin, and a sandbox
# for anything it would render as a page.
FILE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


@require_safe
def document_file(request, pk, file_pk):
    """A published document's file: a PDF opens in the browser's viewer, others download."""
    document = get_object_or_404(Document.objects.published(), pk=pk)
    stored = get_object_or_404(document.files.all(), pk=file_pk)
    file_format = stored.file_format
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not file_format.inline,
        filename=stored.file.name.rsplit("/", 1)[-1],
        content_type=file_format.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY if file_format.inline else "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def find_for_site_search(terms, limit):
    """Return the published documents holding every term, as the site's search page shows them."""
    ids = search.find(Document.objects.published(), terms, limit)
    shown = Document.objects.for_listing().in_bulk(ids)
    return [
        site_search.Hit(
            title=document.summary,
            url=document.get_absolute_url(),
            kind=f"{document.doc_type.name} {document.number}",
            date=document.issued_on,
        )
        for document in (shown[pk] for pk in ids if pk in shown)
    ]


def search_source():
    return site_search.Source(
        name="documents",
        heading=_("Documents"),
        find=find_for_site_search,
        more_url=lambda query: reverse("documents:document-list") + "?" + urlencode({"q": query}),
    )
