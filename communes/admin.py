from django.contrib import admin, messages
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.models import LINKS, Commune, CommuneSupport, District, Province, SupportProgram
from core.admin import VietnameseSlugAdmin


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
