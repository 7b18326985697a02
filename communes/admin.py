from collections import Counter

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from communes import spreadsheets
from communes.csv_format import BadRowsError
from communes.forms import ExportForm, ImportForm
from communes.importing import import_rows
from communes.models import LINKS, Commune, CommuneSupport, District, Province, SupportProgram
from core.admin import VietnameseSlugAdmin

# An import writes programs, supported communes and the units a file names, and removes
# supported communes when asked; an export reads programs and supported communes.
IMPORT_PERMISSIONS = [
    *(
        f"communes.{action}_{model}"
        for model in ("supportprogram", "communesupport", "province", "district", "commune")
        for action in ("add", "change")
    ),
    "communes.delete_communesupport",
]
EXPORT_PERMISSIONS = ["communes.view_supportprogram", "communes.view_communesupport"]


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_until__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_until__isnull=False)
        return queryset


LINK_FIELDS = ["whole", "date", "resolution", "clause"]


def link_inlines(unit_model):
    """Return the two inlines of a unit's change page: what it became, what it came from."""
    link_model = LINKS[unit_model]

    class BecameInline(admin.TabularInline):
        model = link_model
        fk_name = "predecessor"
        extra = 0
        autocomplete_fields = ["successor"]
        fields = ["successor", *LINK_FIELDS]
        verbose_name = _("successor")
        verbose_name_plural = _("Became (successors, with the date and legal basis)")

    class CameFromInline(admin.TabularInline):
        model = link_model
        fk_name = "successor"
        extra = 0
        autocomplete_fields = ["predecessor"]
        fields = ["predecessor", *LINK_FIELDS]
        verbose_name = _("predecessor")
        verbose_name_plural = _("Came from (predecessors, with the date and legal basis)")

    return [BecameInline, CameFromInline]


UNIT_FIELDS = ["name", "kind", "code", "slug", "valid_from", "valid_until", "basis"]


@admin.register(Province)
class ProvinceAdmin(VietnameseSlugAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_until"]
    list_filter = ["kind", InForceFilter]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    fields = UNIT_FIELDS
    inlines = link_inlines(Province)


@admin.register(District)
class DistrictAdmin(VietnameseSlugAdmin):
    list_display = ["name", "kind", "province", "code", "valid_from", "valid_until"]
    list_filter = ["kind", InForceFilter, "province"]
    list_select_related = ["province"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["province"]
    fields = [*UNIT_FIELDS[:3], "province", *UNIT_FIELDS[3:]]
    inlines = link_inlines(District)


@admin.register(Commune)
class CommuneAdmin(VietnameseSlugAdmin):
    list_display = [
        "name",
        "kind",
        "district",
        "province",
        "code",
        "valid_from",
        "valid_until",
        "support_count",
    ]
    list_filter = ["kind", InForceFilter, "province", "district"]
    list_select_related = ["district", "province"]
    search_fields = ["name", "code", "district__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["district", "province", "articles"]
    # The support count annotation drops Meta.ordering; lists and autocomplete need one.
    ordering = ["name", F("valid_from").asc(nulls_first=True)]
    fields = [*UNIT_FIELDS[:3], "district", "province", *UNIT_FIELDS[3:], "articles"]
    inlines = link_inlines(Commune)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(support_count=Count("supports"))

    @admin.display(description=_("years supported"), ordering="support_count")
    def support_count(self, commune):
        return commune.support_count


class FileToolsMixin:
    """Links to the import and export of files on a list, for those allowed to use them."""

    def changelist_view(self, request, extra_context=None):
        tools = {
            "import_url": reverse("admin:communes_supportprogram_import")
            if request.user.has_perms(IMPORT_PERMISSIONS)
            else None,
            "export_url": reverse("admin:communes_supportprogram_export")
            if request.user.has_perms(EXPORT_PERMISSIONS)
            else None,
        }
        return super().changelist_view(request, {**tools, **(extra_context or {})})


class CommuneSupportInline(admin.TabularInline):
    model = CommuneSupport
    extra = 1
    autocomplete_fields = ["commune"]
    fields = ["commune", "rating", "officer", "notes"]


@admin.register(SupportProgram)
class SupportProgramAdmin(FileToolsMixin, admin.ModelAdmin):
    list_display = ["year", "title", "period", "planned_vs_actual", "rating_summary"]
    list_display_links = ["year", "title"]
    list_filter = ["year", "supports__commune__district", "supports__rating"]
    search_fields = ["title", "summary", "reported_results", "supports__commune__name"]
    autocomplete_fields = ["articles"]
    readonly_fields = ["summary_table"]
    inlines = [CommuneSupportInline]
    fieldsets = [
        (None, {"fields": ["year", "title", "start_month", "end_month", "planned_count"]}),
        (_("Results"), {"fields": ["summary_table", "reported_results", "summary", "articles"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_rating_counts()

    @admin.display(description=_("period"))
    def period(self, program):
        if not program.start_month:
            return "—"
        end = program.end_month.strftime("%m/%Y") if program.end_month else "…"
        return f"{program.start_month:%m/%Y} – {end}"

    @admin.display(description=_("communes (supported / planned)"), ordering="support_count")
    def planned_vs_actual(self, program):
        planned = "—" if program.planned_count is None else program.planned_count
        return f"{program.support_count} / {planned}"

    @admin.display(description=_("ratings"))
    def rating_summary(self, program):
        return format_html_join(
            "; ",
            "{}: {}",
            ((rating.label, count) for rating, count in program.rating_counts() if count),
        )

    @admin.display(description=_("summary"))
    def summary_table(self, program):
        if program.pk is None:
            return "—"
        return render_to_string("admin/communes/program_summary.html", {"program": program})

    def get_urls(self):
        return [
            path(
                "nhap-tu-tep/",
                self.admin_site.admin_view(self.import_view),
                name="communes_supportprogram_import",
            ),
            path(
                "xuat-ra-tep/",
                self.admin_site.admin_view(self.export_view),
                name="communes_supportprogram_export",
            ),
            *super().get_urls(),
        ]

    def file_page(self, request, template, title, status=200, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **context,
        }
        return TemplateResponse(request, template, context, status=status)

    def import_view(self, request):
        """Read a file, show what it would change, and write it all once confirmed.

        The preview is the import itself, rolled back; the confirmation runs it again
        and writes it only if it changes what the preview showed.
        """
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        title = _("Import supported communes from a file")
        if request.method != "POST":
            return self.file_page(request, "admin/communes/import.html", title, form=ImportForm())
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.file_page(
                request, "admin/communes/import.html", title, status=400, form=form
            )
        confirmed = "_confirm" in request.POST
        try:
            with transaction.atomic():
                report = import_rows(
                    form.programs,
                    form.supports,
                    remove_missing=form.cleaned_data["remove_missing"],
                )
                written = confirmed and report.digest() == form.cleaned_data["digest"]
                if not written:
                    transaction.set_rollback(True)
        except BadRowsError as error:
            form.add_error("file", error.errors)
            return self.file_page(
                request, "admin/communes/import.html", title, status=400, form=form
            )
        if written:
            self.message_user(request, import_summary(report), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:communes_supportprogram_changelist"))
        if confirmed:
            self.message_user(
                request,
                _(
                    "The data changed since the preview: nothing was written. Check what the "
                    "file would change now, then confirm again."
                ),
                messages.WARNING,
            )
        return self.file_page(
            request,
            "admin/communes/import_preview.html",
            _("Check what the file will change"),
            form=form,
            report=report,
            sections=[
                (capfirst(model._meta.verbose_name_plural), groups)
                for model, groups in report.by_kind()
            ],
            digest=report.digest(),
        )

    def export_view(self, request):
        """Show the export's choices; with them, send the file."""
        if not request.user.has_perms(EXPORT_PERMISSIONS):
            raise PermissionDenied
        title = _("Export supported communes to a file")
        if "file_format" not in request.GET:
            return self.file_page(request, "admin/communes/export.html", title, form=ExportForm())
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.file_page(
                request, "admin/communes/export.html", title, status=400, form=form
            )
        year, file_format = form.cleaned_data["year"], form.cleaned_data["file_format"]
        name = f"xa-ho-tro-{year}" if year else "xa-ho-tro"
        if file_format == "xlsx":
            response = HttpResponse(
                spreadsheets.export_xlsx(year), content_type=spreadsheets.XLSX_TYPE
            )
            name += ".xlsx"
        else:
            delimiter = ";" if file_format == "csv-semicolon" else ","
            response = HttpResponse(
                spreadsheets.export_csv(year, delimiter), content_type="text/csv; charset=utf-8"
            )
            name += ".csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def import_summary(report):
    """Return what an import wrote, in one sentence."""
    counts = Counter(change.outcome for change in report.changes)
    return gettext(
        "The file was imported: %(created)s rows created, %(updated)s changed, %(removed)s removed."
    ) % {outcome: counts[outcome] for outcome in ("created", "updated", "removed")}


def make_rating_action(rating):
    """Return the bulk action that gives the chosen communes this rating."""

    @admin.action(
        description=format_lazy(_("Set the rating to “{rating}”"), rating=rating.label),
        permissions=["change"],
    )
    def set_rating(modeladmin, request, queryset):
        updated = queryset.update(rating=rating)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d commune rated “%(rating)s”.",
                "%(count)d communes rated “%(rating)s”.",
                updated,
            )
            % {"count": updated, "rating": rating.label},
            messages.SUCCESS,
        )

    set_rating.__name__ = f"set_rating_{rating.value}"
    return set_rating


@admin.register(CommuneSupport)
class CommuneSupportAdmin(FileToolsMixin, admin.ModelAdmin):
    list_display = ["commune", "district", "year", "rating", "officer"]
    list_filter = ["program__year", "commune__district", "rating"]
    list_select_related = ["program", "commune__district"]
    search_fields = ["commune__name", "commune__district__name", "officer", "notes"]
    autocomplete_fields = ["program", "commune"]
    actions = [make_rating_action(rating) for rating in CommuneSupport.Rating]

    @admin.display(description=_("district"), ordering="commune__district__name")
    def district(self, support):
        return support.commune.district or "—"

    @admin.display(description=_("year"), ordering="program__year")
    def year(self, support):
        return support.program.year
