"""The portal's own identity: the one place pages, feeds and structured data read it from."""

from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Identity:
    name: str
    full_name: str
    kicker: str
    logo: str  # a static path, a square raster image
    logo_width: int
    logo_height: int

    @property
    def logo_url(self):
        return static(self.logo)


def site_identity():
    """Return the union's name and logo as headers, feeds and structured data show them."""
    return Identity(
        name=_("Bắc Kạn Provincial Youth Union"),
        full_name=_("Hồ Chí Minh Communist Youth Union of Bắc Kạn province"),
        kicker=_("Hồ Chí Minh Communist Youth Union"),
        logo="img/logo.png",
        logo_width=512,
        logo_height=512,
    )
