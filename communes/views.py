from itertools import groupby

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.views.generic import DetailView, ListView, TemplateView

from communes.csv_format import (
    COLUMNS,
    FILE_ENCODING,
    export_text,
    rows_for_export,
    supports_for_export,
)
from communes.lineage import lineage, place
from communes.models import Commune, CommuneSupport, SupportProgram
from core.pagination import ArchivePaginationMixin
from core.text import fold
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
        # Under the district of that year; communes created after districts were
        # abolished, under their province.
        context["district_groups"] = [
            (group, list(members))
            for group, members in groupby(supports, key=lambda support: support.group)
        ]
        context["articles"], context["more_articles"] = newest_linked(support_programs=program)
        return context


class CommuneDetailView(DetailView):
    def get_queryset(self):
        return Commune.objects.with_place()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commune = self.object
        history = lineage(Commune)
        context["came_from"] = history.predecessors(commune.pk)
        context["became"] = history.successors(commune.pk)
        # The union's support across the whole lineage: the units this one was formed
        # from, and those it went into, each row naming the unit supported.
        lineage_units = history.ancestors(commune.pk) | history.descendants(commune.pk)
        context["supports"] = (
            CommuneSupport.objects.filter(commune__in=[commune.pk, *lineage_units])
            .select_related("program", "commune")
            .order_by("-program__year", "commune__name")
        )
        context["articles"], context["more_articles"] = newest_linked(communes=commune)
        return context


def supported_communes():
    """Return every supported commune with its supports, oldest year first (one query)."""
    supports = CommuneSupport.objects.select_related(
        "program", "commune__district", "commune__province"
    ).order_by("program__year")
    communes = {}
    for support in supports:
        communes.setdefault(support.commune.pk, (support.commune, []))[1].append(support)
    return list(communes.values())


class CommuneListView(TemplateView):
    """Every supported commune, under the district it belonged to when supported."""

    template_name = "communes/commune_list.html"

    def get_context_data(self, **kwargs):
        groups = {}
        for commune, supports in supported_communes():
            group = commune.district or commune.province
            groups.setdefault(group, []).append((commune, supports, True))
        ordered = sorted(
            groups.items(),
            key=lambda item: (item[0] is None, fold(item[0].name) if item[0] else ""),
        )
        return super().get_context_data(
            groups=[
                (group, sorted(members, key=lambda member: fold(member[0].name)))
                for group, members in ordered
            ],
            reading="then",
            **kwargs,
        )


class CommuneNowListView(TemplateView):
    """Every supported commune under the unit it is part of today ("theo đơn vị hiện nay")."""

    template_name = "communes/commune_list.html"

    def get_context_data(self, **kwargs):
        history = lineage(Commune)
        groups = {}
        for commune, supports in supported_communes():
            now = history.now(commune.pk)
            # A unit in force (or ended without a successor) is its own group.
            for today in now.places or (place(commune),):
                whole = now.single or not now.places
                groups.setdefault(today, []).append((commune, supports, whole))
        ordered = sorted(groups.items(), key=lambda item: fold(item[0].name))
        return super().get_context_data(
            groups=[
                (today, sorted(members, key=lambda member: fold(member[0].name)))
                for today, members in ordered
            ],
            reading="now",
            **kwargs,
        )


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
