from django.contrib import admin, messages
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.models import Commune, CommuneSupport, District, SupportProgram
from core.admin import VietnameseSlugAdmin


def history_links(unit):
    """Return links to the units this one came from, for the change page."""
    predecessors = list(unit.predecessors.all())
    if not predecessors:
        return "—"
    opts = unit._meta
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]), item)
            for item in predecessors
        ),
    )


@admin.register(District)
class DistrictAdmin(VietnameseSlugAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_until", "successor"]
    list_filter = ["kind"]
    list_select_related = ["successor"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor"]
    readonly_fields = ["came_from"]
    fields = ["name", "kind", "code", "slug", "valid_from", "valid_until", "successor", "came_from"]

    @admin.display(description=_("came from"))
    def came_from(self, district):
        return history_links(district)


@admin.register(Commune)
class CommuneAdmin(VietnameseSlugAdmin):
    list_display = [
        "name",
        "kind",
        "district",
        "code",
        "valid_from",
        "valid_until",
        "successor",
        "support_count",
    ]
    list_filter = ["kind", "district"]
    list_select_related = ["district", "successor"]
    search_fields = ["name", "code", "district__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["district", "successor", "articles"]
    readonly_fields = ["came_from"]
    # The support count annotation drops Meta.ordering; lists and autocomplete need one.
    ordering = ["name"]
    fields = [
        "name",
        "kind",
        "district",
        "code",
        "slug",
        "valid_from",
        "valid_until",
        "successor",
        "came_from",
        "articles",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(support_count=Count("supports"))

    @admin.display(description=_("years supported"), ordering="support_count")
    def support_count(self, commune):
        return commune.support_count

    @admin.display(description=_("came from"))
    def came_from(self, commune):
        return history_links(commune)


class CommuneSupportInline(admin.TabularInline):
    model = CommuneSupport
    extra = 1
    autocomplete_fields = ["commune"]
    fields = ["commune", "rating", "officer", "notes"]


@admin.register(SupportProgram)
class SupportProgramAdmin(admin.ModelAdmin):
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
class CommuneSupportAdmin(admin.ModelAdmin):
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
