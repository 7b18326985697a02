"""What the base stores for every app: the addresses that moved (core.redirects)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent


class FormerSlug(models.Model):
    """A slug a row had before; written by the database itself (core.redirects triggers)."""

    model = models.CharField(_("kind"), max_length=100)
    slug = models.CharField(_("former slug"), max_length=255)
    object_id = models.BigIntegerField(_("object"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(fields=["model", "slug"], name="former_slug_unique"),
        ]

    def __str__(self):
        return self.slug


class Redirect(PublicContent, models.Model):
    """An old address a leader sends to a new one: a path, a web address or an object."""

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_(
            "The address that no longer exists, from the first slash: "
            "“/Pages/tin-tuc.aspx?ID=123”. A full address (https://…) may be pasted."
        ),
        error_messages={"unique": _("There is already a redirect from this address.")},
    )
    redirect_to = models.CharField(
        _("new address"),
        max_length=500,
        help_text=_(
            "Where readers are sent: an address of this portal (“/tin-tuc/…/”, or pasted in "
            "full) or of another site (https://…). An article, category, commune or page "
            "of this portal is followed even if its address changes later."
        ),
    )
    target_model = models.CharField(max_length=100, blank=True, editable=False)
    target_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self):
        return self.old_path
