from itertools import groupby

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.views.generic import DetailView, ListView

from communes.csv_format import (
    COLUMNS,
    FILE_ENCODING,
    export_text,
    rows_for_export,
    supports_for_export,
)
from communes.models import Commune, CommuneSupport, SupportProgram
from core.pagination import ArchivePaginationMixin
from news.models import Article

# A program's or commune's page shows its newest news; the rest are a page of their own.
LINKED_NEWS = 6


def newest_linked(**link):
    """Return the newest published articles linked as `link` says, and whether there are more."""
    articles = Article.objects.cards().filter(**link)
    newest = list(articles[: LINKED_NEWS + 1])
    return newest[:LINKED_NEWS], len(newest) > LINKED_NEWS


def chart_rows(programs):
    """Return one bar per program: rating segments and planned mark as percentages.

    Widths are relative to the largest number (planned or supported), so years
    compare at a glance.
    """
    scale = max(
        [max(program.support_count, program.planned_count or 0) for program in programs] + [1]
    )
    rows = []
    for program in programs:
        segments = [
            {"rating": rating, "count": count, "percent": round(100 * count / scale, 2)}
            for rating, count in program.rating_counts()
            if count
        ]
        planned = program.planned_count
        rows.append(
            {
                "program": program,
                "segments": segments,
                "planned_percent": round(100 * planned / scale, 2) if planned else None,
            }
        )
    return rows


class ProgramListView(ListView):
    def get_queryset(self):
        return SupportProgram.objects.with_rating_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart_rows"] = chart_rows(context["object_list"])
        context["ratings"] = CommuneSupport.Rating.choices
        return context


class ProgramDetailView(DetailView):
    context_object_name = "program"

    def get_object(self, queryset=None):
        return get_object_or_404(
            SupportProgram.objects.with_rating_counts(), year=self.kwargs["year"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program = self.object
        supports = program.supports.in_display_order()
        context["district_groups"] = [
            (district, list(members))
            for district, members in groupby(supports, key=lambda support: support.commune.district)
        ]
        context["articles"], context["more_articles"] = newest_linked(support_programs=program)
        return context


class CommuneDetailView(DetailView):
    def get_queryset(self):
        return Commune.objects.with_history()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commune = self.object
        context["supports"] = commune.supports.select_related("program").order_by("-program__year")
        context["predecessors"] = commune.predecessors.select_related("district")
        context["articles"], context["more_articles"] = newest_linked(communes=commune)
        return context


class LinkedArticleListView(ArchivePaginationMixin, ListView):
    """Every published article linked to a program or a commune, page by page."""

    template_name = "communes/linked_articles.html"

    def get_queryset(self):
        self.subject = self.get_subject()
        return Article.objects.cards().filter(**{self.link: self.subject})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject, subject_name=self.subject_name(), **kwargs
        )


class ProgramArticleListView(LinkedArticleListView):
    link = "support_programs"

    def get_subject(self):
        return get_object_or_404(SupportProgram, year=self.kwargs["year"])

    def subject_name(self):
        return self.subject.title


class CommuneArticleListView(LinkedArticleListView):
    link = "communes"

    def get_subject(self):
        return get_object_or_404(
            Commune.objects.select_related("district"), slug=self.kwargs["slug"]
        )

    def subject_name(self):
        return capfirst(str(self.subject))


def program_csv(request, year):
    """Download a year's supported communes in the import_communes format."""
    program = get_object_or_404(SupportProgram, year=year)
    response = HttpResponse(
        export_text(program.year).encode(FILE_ENCODING), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="xa-ho-tro-{program.year}.csv"'
    return response


def program_json(request, year):
    """Download a year's supported communes as JSON: the CSV's rows, in its order and columns."""
    program = get_object_or_404(SupportProgram, year=year)
    rows = [
        dict(zip(COLUMNS, cells, strict=True))
        for cells in rows_for_export([program], supports_for_export(program.year))
    ]
    for row in rows:
        # Numbers stay numbers; an unknown plan is null rather than an empty cell.
        row["planned_count"] = row["planned_count"] if row["planned_count"] != "" else None
    response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="xa-ho-tro-{program.year}.json"'
    return response
