"""Districts, communes and the yearly programs that support their youth work.

Vietnam reorganises its administrative units (communes merged in 2020,
districts abolished on 1 July 2025), but a program must keep the names as
they were at the time: a unit is never renamed, it gets validity dates and a
link to the unit it became, shown as "(nay là …)".
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.cache import PublicContent
from core.redirects import KeepsOldAddresses
from core.text import fold, unique_slug

# How many successor links pages load with select_related: enough for a
# commune merged in 2020 and again in 2025. Deeper chains still display
# correctly, at the cost of a query per extra link.
SUCCESSOR_DEPTH = 2
# A commune with its district and successors as far as pages show "(nay là …)".
COMMUNE_HISTORY = ["district__successor", "__".join(["successor"] * SUCCESSOR_DEPTH)]


class AdministrativeUnit(PublicContent, models.Model):
    """What districts and communes share: a name valid for a time, then a successor."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The name as it was at the time, without the kind: “Vi Hương”."),
    )
    code = models.CharField(
        _("official code"),
        max_length=10,
        blank=True,
        help_text=_("The code in the national list of administrative units, if known."),
    )
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Left empty if unknown.")
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the unit existed under this name. Empty while it exists."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Part of the web address. Left empty, it is made from the name."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("became"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_(
            "The unit this one was merged into or renamed to; pages then show "
            "“(nay là …)” after the old name."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def save(self, *args, **kwargs):
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            self.slug = unique_slug(
                type(self), self.name, max_length, exclude_pk=self.pk, fallback="don-vi"
            )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot come before its start.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot be its own successor.")})

    @property
    def current_successor(self):
        """Return the unit this one finally became, following the successor links."""
        seen, unit = {self.pk}, self.successor
        while unit is not None and unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit


class District(AdministrativeUnit):
    class Kind(models.TextChoices):
        RURAL_DISTRICT = "huyen", pgettext_lazy("district kind", "rural district")
        CITY = "thanh_pho", pgettext_lazy("district kind", "provincial city")
        TOWN = "thi_xa", pgettext_lazy("district kind", "district-level town")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.RURAL_DISTRICT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="district_code_unique",
                violation_error_message=_("Another district already has this official code."),
            )
        ]


class CommuneQuerySet(models.QuerySet):
    def with_history(self):
        """Return communes with their district and successors, as pages name them."""
        return self.select_related(*COMMUNE_HISTORY)


class Commune(KeepsOldAddresses, AdministrativeUnit):
    class Kind(models.TextChoices):
        COMMUNE = "xa", pgettext_lazy("commune kind", "commune")
        WARD = "phuong", pgettext_lazy("commune kind", "ward")
        TOWNSHIP = "thi_tran", pgettext_lazy("commune kind", "township")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COMMUNE)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        help_text=_("Empty for communes created after districts were abolished (1 July 2025)."),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("articles"),
        related_name="communes",
        blank=True,
        help_text=_("News about this commune, listed on its page once published."),
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="commune_code_unique",
                violation_error_message=_("Another commune already has this official code."),
            )
        ]

    def get_absolute_url(self):
        return reverse("communes:commune-detail", kwargs={"slug": self.slug})

    @classmethod
    def public_objects(cls):
        return cls.objects.all()


class SupportProgramQuerySet(models.QuerySet):
    def with_rating_counts(self):
        """Annotate support_count and one rating_<value> count per rating, in one query."""
        # distinct: filters on supports (admin list filters, search) add joins
        # that would otherwise multiply the counts.
        counts = {
            f"rating_{rating.value}": Count(
                "supports", filter=Q(supports__rating=rating), distinct=True
            )
            for rating in CommuneSupport.Rating
        }
        # Meta.ordering does not apply to aggregating queries: order explicitly.
        return self.annotate(support_count=Count("supports", distinct=True), **counts).order_by(
            *SupportProgram._meta.ordering
        )


class SupportProgram(PublicContent, models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        error_messages={"unique": _("There is already a program for this year.")},
    )
    title = models.CharField(_("title"), max_length=300)
    start_month = models.DateField(
        _("start month"),
        null=True,
        blank=True,
        help_text=_("Only the month and year count: type 01/02/2022 for February 2022."),
    )
    end_month = models.DateField(
        _("end month"),
        null=True,
        blank=True,
        help_text=_("Only the month and year count: type 01/12/2022 for December 2022."),
    )
    planned_count = models.PositiveSmallIntegerField(
        _("planned number of communes"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    reported_results = models.TextField(
        _("reported results"),
        blank=True,
        help_text=_("As reported, e.g. “5 xã hoàn thành xuất sắc nhiệm vụ”."),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("articles"),
        related_name="support_programs",
        blank=True,
        help_text=_("News about this program, listed on its page once published."),
    )

    objects = SupportProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        get_latest_by = "year"
        verbose_name = _("support program")
        verbose_name_plural = _("support programs")

    def __str__(self):
        return f"{self.year}: {self.title}"

    def save(self, *args, **kwargs):
        # Only the month matters; keep the first day so equal months compare equal.
        if self.start_month:
            self.start_month = self.start_month.replace(day=1)
        if self.end_month:
            self.end_month = self.end_month.replace(day=1)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("communes:program-detail", kwargs={"year": self.year})

    def get_csv_url(self):
        return reverse("communes:program-csv", kwargs={"year": self.year})

    def clean(self):
        super().clean()
        if self.start_month and self.end_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": _("The end month cannot come before the start.")})

    def rating_counts(self):
        """Return (rating, count) for every rating, from with_rating_counts()."""
        return [
            (rating, getattr(self, f"rating_{rating.value}")) for rating in CommuneSupport.Rating
        ]


class CommuneSupportQuerySet(models.QuerySet):
    def in_display_order(self):
        """Return the supports as pages, files and the API list them: a list, by sort_key.

        By year, district and commune, accents folded the way Vietnamese readers look
        names up, which no database collation does alike on SQLite and PostgreSQL; each
        with its program and its commune's history (names "nay là …").
        """
        supports = self.select_related(
            "program", *[f"commune__{related}" for related in COMMUNE_HISTORY]
        )
        return sorted(supports, key=lambda support: support.sort_key)


class CommuneSupport(PublicContent, models.Model):
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Completed the tasks excellently")
        GOOD = "good", _("Completed the tasks well")
        COMPLETED = "completed", _("Completed the tasks")
        NOT_COMPLETED = "not_completed", _("Did not complete the tasks")
        NOT_RATED = "not_rated", _("Not yet rated")

    program = models.ForeignKey(
        SupportProgram,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="supports"
    )
    rating = models.CharField(
        _("rating"), max_length=20, choices=Rating, default=Rating.NOT_RATED, db_index=True
    )
    officer = models.CharField(
        _("officer in charge"),
        max_length=150,
        blank=True,
        help_text=_("The provincial union officer who follows the commune."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CommuneSupportQuerySet.as_manager()

    class Meta:
        ordering = ["program", "commune__name"]
        verbose_name = _("supported commune")
        verbose_name_plural = _("supported communes")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "commune"],
                name="one_support_per_commune_per_year",
                violation_error_message=_("This commune is already in this year's program."),
            )
        ]

    def __str__(self):
        return f"{self.commune} ({self.program.year})"

    @property
    def sort_key(self):
        """Order by year, district, commune, the way Vietnamese readers look names up."""
        district = self.commune.district
        return (
            self.program.year,
            district is None,
            fold(district.name) if district else "",
            fold(self.commune.name),
        )
