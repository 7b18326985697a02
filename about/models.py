"""The union's own information: its identity, introduction pages and directory."""

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from about.i18n import TranslatableMixin, Translated
from core.cache import PublicContent
from core.redirects import KeepsOldAddresses
from core.richtext import RichTextField
from core.text import unique_slug
from core.validators import validate_image_extension, validate_image_limits

IMAGE_VALIDATORS = [validate_image_extension, validate_image_limits]
# How deep the introduction's tree is looked at for hidden pages above a page.
PAGE_DEPTH = 5
OPENSTREETMAP_HOSTS = {"openstreetmap.org", "www.openstreetmap.org", "osm.org"}


def validate_openstreetmap_url(value):
    if urlsplit(value).hostname not in OPENSTREETMAP_HOSTS:
        raise ValidationError(
            _("Give a link to openstreetmap.org (the page of the place, or its Share link)."),
            code="not_openstreetmap",
        )


class PortalIdentity(PublicContent, Translated):
    """Who runs the portal, from a day on: edited by the union's leaders.

    One record per identity the union has had: Tỉnh đoàn Bắc Kạn until the merger,
    Tỉnh đoàn Thái Nguyên from 1 July 2025. Each is in force from its valid_from until
    the next one's. Every page (header, footer, titles) and every e-mail reads the one
    in force as a frozen about.identity.Identity through current_identity(); an
    article names the one in force on its publication date (identity_on()).
    """

    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("The union's full name, as its official documents write it."),
    )
    full_name_en = models.CharField(_("full name in English"), max_length=200, blank=True)
    short_name = models.CharField(
        _("short name"),
        max_length=100,
        help_text=_("Shown in the header and page titles: the name readers know the union by."),
    )
    short_name_en = models.CharField(_("short name in English"), max_length=100, blank=True)
    parent_organisation = models.CharField(
        _("parent organisation"),
        max_length=200,
        blank=True,
        help_text=_("Shown above the name in the header: the national youth union."),
    )
    parent_organisation_en = models.CharField(
        _("parent organisation in English"), max_length=200, blank=True
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="identity/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        validators=IMAGE_VALIDATORS,
        help_text=_("A square PNG or WebP image of at least 96 × 96 pixels looks best."),
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_en = models.CharField(_("address in English"), max_length=300, blank=True)
    map_url = models.URLField(
        _("map link"),
        blank=True,
        validators=[validate_openstreetmap_url],
        help_text=_(
            "The address on OpenStreetMap: find the place on openstreetmap.org and paste the "
            "page's address. Left empty, the contact page links to a search for the address."
        ),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    content_responsible = models.CharField(
        _("responsible for the content"),
        max_length=200,
        blank=True,
        help_text=_("Name and position of the leader in charge of the portal's content."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=300,
        blank=True,
        help_text=_("The licence line of the portal: its number, who issued it and when."),
    )
    licence_en = models.CharField(_("licence in English"), max_length=300, blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    zalo_url = models.URLField(_("Zalo page"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    tiktok_url = models.URLField(_("TikTok page"), blank=True)
    valid_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_(
            "The first day the union runs the portal under this name: 01/07/2025 for the "
            "union formed by the merger. Empty for the first identity. Pages switch to a "
            "new identity at midnight on that day."
        ),
    )
    formed_by_merger = models.BooleanField(
        _("formed by a merger"),
        default=False,
        help_text=_(
            "Tick if the union under this name was formed by merging unions: articles "
            "published before then say that their publisher has since merged."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = [F("valid_from").asc(nulls_first=True)]
        verbose_name = _("portal information")
        verbose_name_plural = _("portal information")
        constraints = [
            models.UniqueConstraint(
                Coalesce("valid_from", Value(datetime.date.min)),
                name="portal_identity_one_per_start",
                violation_error_message=_(
                    "Another identity starts on the same day (or also has no start)."
                ),
            )
        ]

    def __str__(self):
        name = self.short_name or self.full_name or gettext("Web portal")
        if self.valid_from:
            return gettext("%(name)s (from %(date)s)") % {
                "name": name,
                "date": self.valid_from.strftime("%d/%m/%Y"),
            }
        return name


class RelatedPortal(PublicContent, TranslatableMixin, models.Model):
    identity = models.ForeignKey(
        PortalIdentity, on_delete=models.CASCADE, related_name="related_portals"
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("E.g. the central youth union, the provincial Party committee."),
    )
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    url = models.URLField(_("address"))
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("related portal")
        verbose_name_plural = _("related portals")

    def __str__(self):
        return self.name


class IntroPageQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_visible=True)


class IntroPage(PublicContent, KeepsOldAddresses, Translated):
    """A page of the introduction ("Giới thiệu chung", "Chức năng, nhiệm vụ"…), in a tree."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the web address, without accents: “công tác đoàn” becomes "
            "“cong-tac-doan”. Left empty, it is made from the title."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent page"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty for a page at the top of the introduction."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first.")
    )
    body = RichTextField(
        _("body"),
        blank=True,
        help_text=_("Scripts, inline styles, frames and forms are removed when the page is saved."),
    )
    body_en = RichTextField(
        _("body in English"),
        blank=True,
        help_text=_("Left empty, the English page shows the Vietnamese text with a note."),
    )
    shows_directory = models.BooleanField(
        _("show the organisation chart"),
        default=False,
        help_text=_("Show the leaders and departments of the directory under the text."),
    )
    is_visible = models.BooleanField(
        _("shown on the site"), default=True, help_text=_("Untick to hide the page from readers.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = IntroPageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("introduction page")
        verbose_name_plural = _("introduction pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                IntroPage, self.title, 200, exclude_pk=self.pk, fallback="gioi-thieu"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("about:page", kwargs={"slug": self.slug})

    def is_public(self):
        """Return True if readers may open the page: it and every page above it are shown."""
        page, seen = self, set()
        while page is not None and page.pk not in seen:
            if not page.is_visible:
                return False
            seen.add(page.pk)
            page = page.parent
        return page is None

    @classmethod
    def public_objects(cls):
        # A page under a hidden page is hidden too (about.views.page_tree).
        hidden, parent = Q(is_visible=False), "parent"
        for _depth in range(PAGE_DEPTH):
            hidden |= Q(**{f"{parent}__is_visible": False})
            parent = f"{parent}__parent"
        return cls.objects.exclude(hidden)

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A page cannot be placed under itself or one of its subpages.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Department(PublicContent, Translated):
    """A unit of the directory: the standing committee or one of the union's departments."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("E.g. the standing committee, the office, a department."),
    )
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    is_leadership = models.BooleanField(
        _("leadership"),
        default=False,
        help_text=_("Tick for the standing committee: it heads the organisation chart."),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first.")
    )

    class Meta:
        ordering = ["-is_leadership", "order", "name"]
        verbose_name = pgettext_lazy("directory", "unit")
        verbose_name_plural = pgettext_lazy("directory", "units")

    def __str__(self):
        return self.name


class Officer(PublicContent, TranslatableMixin, models.Model):
    """A person in the directory, in a unit, with the position they hold."""

    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(
        _("position"),
        max_length=200,
        help_text=_("E.g. secretary of the union, head of the office."),
    )
    position_en = models.CharField(_("position in English"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=pgettext_lazy("directory", "unit"),
        on_delete=models.CASCADE,
        related_name="officers",
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="directory/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=IMAGE_VALIDATORS,
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first within the unit.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self):
        return f"{self.name} ({self.position})"
