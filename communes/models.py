"""Provinces, districts, communes and the yearly programs that support their youth work.

Vietnam reorganises its administrative units (communes merged in 2020; on 1 July
2025 districts were abolished, Bắc Kạn merged into Thái Nguyên and the communes
were arranged anew), but a program must keep the names as they were at the time:
a unit is never renamed or moved. It keeps its name, kind and district, gets
validity dates, and links to the units it became: one (a merger), several (a
split), each link with its date and legal basis. Pages follow the links to say
what it is now, "(nay là …)" (communes.lineage).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent
from core.redirects import KeepsOldAddresses
from core.text import fold, unique_slug

# A commune as pages name it: with the district and province it belonged to.
COMMUNE_PLACE = ["district", "province"]


class UnitQuerySet(models.QuerySet):
    def existing_in(self, year):
        """Return the units that existed on some day of the year (unknown dates: yes)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__year__lte=year),
            Q(valid_until__isnull=True) | Q(valid_until__year__gte=year),
        )


class AdministrativeUnit(PublicContent, models.Model):
    """What provinces, districts and communes share: a name and code valid for a time."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The name as it was at the time, without the kind: “Vi Hương”."),
    )
    code = models.CharField(
        _("official code"),
        max_length=10,
        blank=True,
        help_text=_(
            "The code in the national list of administrative units, if known. A code "
            "names one unit at a time: a later unit may reuse it."
        ),
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
    basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_(
            "The resolution and clause that established the unit, as written in Vietnamese: "
            "resolution 1683/NQ-UBTVQH15, clause 50 of article 1."
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
        if self.code:
            other = self.overlapping().first()
            if other is not None:
                raise ValidationError(
                    {
                        "code": gettext(
                            "%(unit)s had this official code at the same time "
                            "(%(period)s): a code names one unit at a time."
                        )
                        % {"unit": other, "period": period_text(other)}
                    }
                )

    def existed_in(self, year):
        """Return True if the unit existed on some day of the year (unknown dates: yes)."""
        return (self.valid_from is None or self.valid_from.year <= year) and (
            self.valid_until is None or self.valid_until.year >= year
        )

    def overlapping(self):
        """Return the other units of this kind of level with the same code at some same day."""
        others = type(self)._default_manager.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_from:
            others = others.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
            )
        if self.valid_until:
            others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_until))
        return others


def period_text(unit):
    """Return when a unit existed as pages write it: "01/07/2025 – …"."""
    return "{} – {}".format(
        date_format(unit.valid_from, "SHORT_DATE_FORMAT") if unit.valid_from else "…",
        date_format(unit.valid_until, "SHORT_DATE_FORMAT") if unit.valid_until else "…",
    )


def current_code_unique(model_name):
    """Return the constraint that no two units still in force share an official code.

    Units that have ended may share a code with a later one; that their periods do
    not overlap is checked by AdministrativeUnit.clean().
    """
    return models.UniqueConstraint(
        fields=["code"],
        condition=~Q(code="") & Q(valid_until__isnull=True),
        name=f"{model_name}_current_code_unique",
        violation_error_message=_("A unit in force already has this official code."),
    )


class Province(AdministrativeUnit):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", pgettext_lazy("province kind", "province")
        CITY = "thanh_pho", pgettext_lazy("province kind", "centrally governed city")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PROVINCE)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [current_code_unique("province")]


class District(AdministrativeUnit):
    class Kind(models.TextChoices):
        RURAL_DISTRICT = "huyen", pgettext_lazy("district kind", "rural district")
        CITY = "thanh_pho", pgettext_lazy("district kind", "provincial city")
        TOWN = "thi_xa", pgettext_lazy("district kind", "district-level town")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.RURAL_DISTRICT)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [current_code_unique("district")]


class CommuneQuerySet(UnitQuerySet):
    def with_place(self):
        """Return communes with the district and province they belonged to."""
        return self.select_related(*COMMUNE_PLACE)


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
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        help_text=_("The province the commune belonged to; its district's, when it had one."),
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
        ordering = ["name", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [current_code_unique("commune")]

    def get_absolute_url(self):
        return reverse("communes:commune-detail", kwargs={"slug": self.slug})

    def is_public(self):
        """Return True if readers may open the commune's page: every commune has one."""
        return True

    @classmethod
    def public_objects(cls):
        return cls.objects.all()

    def clean(self):
        super().clean()
        if self.district_id and self.district.province_id:
            if self.province_id is None:
                self.province_id = self.district.province_id
            elif self.province_id != self.district.province_id:
                raise ValidationError(
                    {"province": _("The commune's province must be its district's.")}
                )


class Link(PublicContent, models.Model):
    """What a unit became: all or part of it went into its successor on a date, by law.

    A merger is several links into one successor, a split several links out of one
    predecessor (each a part), a unit kept as it was a single whole link.
    """

    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The first day of the successor: 01/07/2025 for the 2025 arrangement."),
    )
    resolution = models.CharField(
        _("resolution"),
        max_length=100,
        blank=True,
        help_text=_("The number of the resolution that decided it: “1683/NQ-UBTVQH15”."),
    )
    clause = models.CharField(
        _("clause"),
        max_length=100,
        blank=True,
        help_text=_("Where in the resolution, as written in Vietnamese: clause 50 of article 1."),
    )
    whole = models.BooleanField(
        _("whole unit"),
        default=True,
        help_text=_(
            "Untick when only part of the unit's area and population went into the "
            "successor (a split)."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

    def clean(self):
        super().clean()
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError(_("A unit cannot be its own successor."))

    @property
    def basis(self):
        """Return the legal basis as pages write it: "Nghị quyết số …, khoản … Điều …"."""
        return legal_basis(self.resolution, self.clause)


def legal_basis(resolution, clause):
    parts = [gettext("Resolution No. %(number)s") % {"number": resolution}] if resolution else []
    return ", ".join(parts + ([clause] if clause else []))


def link_constraints(model_name):
    return [
        models.UniqueConstraint(
            fields=["predecessor", "successor"],
            name=f"{model_name}_once",
            violation_error_message=_("These two units are already linked."),
        ),
        models.CheckConstraint(
            condition=~Q(predecessor=models.F("successor")),
            name=f"{model_name}_not_itself",
            violation_error_message=_("A unit cannot be its own successor."),
        ),
    ]


class ProvinceLink(Link):
    predecessor = models.ForeignKey(
        Province,
        verbose_name=_("former unit"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Province,
        verbose_name=_("became"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )

    class Meta(Link.Meta):
        verbose_name = _("province link")
        verbose_name_plural = _("province links")
        constraints = link_constraints("provincelink")


class DistrictLink(Link):
    predecessor = models.ForeignKey(
        District,
        verbose_name=_("former unit"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        District,
        verbose_name=_("became"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )

    class Meta(Link.Meta):
        verbose_name = _("district link")
        verbose_name_plural = _("district links")
        constraints = link_constraints("districtlink")


class CommuneLink(Link):
    predecessor = models.ForeignKey(
        Commune,
        verbose_name=_("former unit"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Commune,
        verbose_name=_("became"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )

    class Meta(Link.Meta):
        verbose_name = _("commune link")
        verbose_name_plural = _("commune links")
        constraints = link_constraints("communelink")


# The links of each level of unit, for code that works on any (communes.lineage, the import).
LINKS = {Province: ProvinceLink, District: DistrictLink, Commune: CommuneLink}


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

    def is_public(self):
        """Return True if readers may open the program's page: every program has one."""
        return True

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
        with its program and its commune's district and province (what each is now
        comes from communes.lineage, remembered).
        """
        supports = self.select_related(
            "program", *[f"commune__{related}" for related in COMMUNE_PLACE]
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

    def clean(self):
        super().clean()
        if self.commune_id and self.program_id and not self.commune.existed_in(self.program.year):
            raise ValidationError(
                {
                    "commune": gettext(
                        "%(unit)s did not exist in %(year)s (%(period)s): a program lists "
                        "the units of its own year."
                    )
                    % {
                        "unit": self.commune,
                        "year": self.program.year,
                        "period": period_text(self.commune),
                    }
                }
            )

    @property
    def group(self):
        """Return what pages list the commune under: its district, or its province if none."""
        return self.commune.district or self.commune.province

    @property
    def sort_key(self):
        """Order by year, district, commune, the way Vietnamese readers look names up.

        Communes without a district (created after 1 July 2025) come last, by province.
        """
        group = self.group
        return (
            self.program.year,
            self.commune.district is None,
            fold(group.name) if group else "",
            fold(self.commune.name),
        )
