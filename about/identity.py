"""The union's identity as pages and e-mails read it: a frozen value, remembered per version.

Every identity the union has had is loaded once per content version
(core.cache.remember: two queries, the records and their related portals) and shared
by every page until the next change of anything readers see, the identity included
(PortalIdentity and RelatedPortal are public content). Pages show the identity in
force today (current_identity()); an article names the one in force on the day it
was published (identity_on()). The page cache knows when the next one begins
(next_identity_change, registered in about.apps), so pages switch at that midnight.
"""

import datetime
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext

from about.i18n import TranslatableMixin
from about.models import PortalIdentity
from core import cache

OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search?"
# Shown, shared and given to search engines until leaders upload the union's logo.
DEFAULT_LOGO = "img/logo.png"
DEFAULT_LOGO_SIZE = 512


@dataclass(frozen=True)
class Logo:
    url: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class PortalLink(TranslatableMixin):
    """A related portal in the footer."""

    name: str
    name_en: str
    url: str


@dataclass(frozen=True)
class Identity(TranslatableMixin):
    """Who runs the portal, as every page shows it (about.models.PortalIdentity's words)."""

    pk: int | None = None
    full_name: str = ""
    full_name_en: str = ""
    short_name: str = ""
    short_name_en: str = ""
    parent_organisation: str = ""
    parent_organisation_en: str = ""
    address: str = ""
    address_en: str = ""
    map_url: str = ""
    phone: str = ""
    email: str = ""
    content_responsible: str = ""
    licence: str = ""
    licence_en: str = ""
    facebook_url: str = ""
    zalo_url: str = ""
    youtube_url: str = ""
    tiktok_url: str = ""
    logo: Logo | None = None
    portal_links: tuple[PortalLink, ...] = ()
    valid_from: datetime.date | None = None
    formed_by_merger: bool = False

    def __str__(self):
        return self.short_name or self.full_name or gettext("Web portal")

    @property
    def name(self):
        """Return the short name for the language shown (header, titles)."""
        return self.localized("short_name") or self.localized("full_name") or gettext("Web portal")

    @property
    def long_name(self):
        return self.localized("full_name") or self.name

    @property
    def publisher_logo(self):
        """Return the logo (url, width, height) for sharing and structured data.

        The uploaded logo, or the portal's own square mark until one is uploaded.
        """
        return self.logo or Logo(static(DEFAULT_LOGO), DEFAULT_LOGO_SIZE, DEFAULT_LOGO_SIZE)

    @property
    def map_link(self):
        """Return the OpenStreetMap page of the address: the one given, or a search for it."""
        if self.map_url:
            return self.map_url
        if self.address:
            return OPENSTREETMAP_SEARCH + urlencode({"query": self.address})
        return ""

    @property
    def social_links(self):
        """Return (network, URL) for each social page given, in a fixed order."""
        networks = [
            ("Facebook", self.facebook_url),
            ("Zalo", self.zalo_url),
            ("YouTube", self.youtube_url),
            ("TikTok", self.tiktok_url),
        ]
        return [(network, url) for network, url in networks if url]


# The record's values an Identity carries, by name.
_WORDS = [
    field.name for field in fields(Identity) if field.name not in {"pk", "logo", "portal_links"}
]


def load_identities():
    """Return every stored identity with its related portals, the earliest first."""
    records = PortalIdentity.objects.prefetch_related("related_portals")
    return tuple(
        Identity(
            pk=record.pk,
            logo=Logo(record.logo.url, record.logo_width, record.logo_height)
            if record.logo
            else None,
            portal_links=tuple(
                PortalLink(portal.name, portal.name_en, portal.url)
                for portal in record.related_portals.all()
            ),
            **{name: getattr(record, name) for name in _WORDS},
        )
        for record in records
    )


def identities():
    """Return every identity the union has had, as of the current content version."""
    return cache.remember("about:identities", load_identities)


def identity_on(day):
    """Return the identity in force on a day: the last to begin on or before it.

    Before the first identity's start, the first; with none stored, a blank one.
    """
    known = identities()
    if not known:
        return Identity()
    begun = [item for item in known if item.valid_from is None or item.valid_from <= day]
    return begun[-1] if begun else known[0]


def current_identity():
    """Return the identity in force today, as of the current content version."""
    return identity_on(timezone.localdate(timezone.now()))


def publisher_of(moment):
    """Return the identity that ran the portal at a moment (an article's publication)."""
    return identity_on(timezone.localdate(moment))


def next_identity_change(now):
    """Return the midnight at which the next identity begins, if one is due.

    Registered with the page cache (about.apps), which asks once per content version.
    """
    day = (
        PortalIdentity.objects.filter(valid_from__gt=timezone.localdate(now))
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
