"""The union's identity as pages and e-mails read it: a frozen value, remembered per version.

Loaded once per content version (core.cache.remember: two queries, the record and its
related portals) and shared by every page until the next change of anything readers
see, the identity included (PortalIdentity and RelatedPortal are public content).
"""

from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.templatetags.static import static
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


# The record's words an Identity carries, by name.
_WORDS = [
    field.name for field in fields(Identity) if field.name not in {"pk", "logo", "portal_links"}
]


def load_identity():
    """Return the stored identity with its related portals, or a blank one if none is stored."""
    record = PortalIdentity.objects.filter(pk=PortalIdentity.IDENTITY_PK).first()
    if record is None:
        return Identity()
    logo = Logo(record.logo.url, record.logo_width, record.logo_height) if record.logo else None
    return Identity(
        pk=record.pk,
        logo=logo,
        portal_links=tuple(
            PortalLink(portal.name, portal.name_en, portal.url)
            for portal in record.related_portals.all()
        ),
        **{name: getattr(record, name) for name in _WORDS},
    )


def current_identity():
    """Return the identity as of the current content version."""
    return cache.remember("about:identity", load_identity)
