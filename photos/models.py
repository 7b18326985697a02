import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent
from core.text import fold, slugify_vi
from core.validators import validate_image_extension, validate_image_limits
from photos import imaging, usage

# "Ảnh: Huyện đoàn Ba Bể" is a credit with the prefix pages already print.
_CREDIT_PREFIX = re.compile(
    r"^(?:ảnh\s*chụp|nguồn\s*ảnh|tác\s*giả\s*ảnh|ảnh|anh|nguồn|nguon|photo|foto)\s*[:：\-–—]\s*",
    re.IGNORECASE,
)


def normalize_credit(value):
    """Return a photo credit without the "Ảnh:" / "Nguồn ảnh:" prefix pages add themselves.

    The one rule for credits, applied by CreditField wherever a credit is saved.
    """
    credit = " ".join(unicodedata.normalize("NFC", value or "").split())
    while True:
        if credit.startswith("(") and credit.endswith(")"):
            credit = credit[1:-1].strip()
        stripped = _CREDIT_PREFIX.sub("", credit, count=1).strip()
        if stripped == credit:
            return credit
        credit = stripped


class CreditField(models.CharField):
    """A photo credit, stored without a prefix ("Ảnh: X" is kept as "X")."""

    def pre_save(self, model_instance, add):
        value = normalize_credit(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def library_path(image, filename):
    """Return an ASCII storage name in a dated folder.

    "Ảnh đẹp.jpg" becomes photos/2026/11/anh-dep-1a2b3c4d.jpg: ASCII names survive
    every proxy, CDN and backup tool; the short id keeps two uploads of one name apart.
    """
    path = PurePosixPath(filename)
    stem = slugify_vi(path.stem, max_length=60) or "anh"
    short_id = uuid.uuid4().hex[:8]
    return timezone.localdate().strftime(f"photos/%Y/%m/{stem}-{short_id}{path.suffix.lower()}")


@dataclass(frozen=True)
class Source:
    """One rendition of an image: its width and height, its WebP and JPEG/PNG addresses."""

    width: int
    height: int
    webp_url: str
    fallback_url: str


@dataclass(frozen=True)
class Picture:
    """What a page needs to draw an image ({% picture %}): frozen, so pages may share it."""

    url: str
    width: int | None
    height: int | None
    alt: str
    renditions: tuple[Source, ...] = ()

    def sources(self):
        return self.renditions


class ImageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the images the user may see and reuse.

        Editors and publishers see the whole library; contributors their own
        uploads and every image already shown in a published article.
        """
        if user.has_perm("photos.manage_library"):
            return self
        if not user.has_perm("photos.view_image"):
            return self.none()
        # What readers may see is decided by the apps that show images (photos.usage).
        return self.filter(Q(uploaded_by=user.pk) | usage.shown_to_readers())

    def search(self, query):
        """Return the images whose caption, alt text, credit or file name hold every word of query.

        Accents and case do not matter: "doan vien" finds "Đoàn viên".
        """
        images = self
        for word in fold(query).split():
            images = images.filter(search_text__contains=word)
        return images

    def with_usage(self):
        """Annotate use_count: how many times each image is used (photos.usage)."""
        return self.annotate(use_count=usage.use_count())


class Image(PublicContent, models.Model):
    """An image of the photo library, shared by every article (and, later, every section)."""

    file = models.ImageField(
        _("file"),
        upload_to=library_path,
        max_length=255,
        validators=[validate_image_extension, validate_image_limits],
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB and 40 megapixels."),
    )
    # Stored with the file, so pages know the size without opening it.
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Offered as the caption when the image is placed in an article."),
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it. Defaults to the caption."
        ),
    )
    credit = CreditField(
        _("credit"),
        max_length=150,
        blank=True,
        help_text=_("Who took the photo, e.g. “Huyện đoàn Ba Bể”; pages add “Photo:” themselves."),
    )
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(
        _("uploaded at"), default=timezone.now, editable=False, db_index=True
    )
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    # Caption, alt text, credit and file name folded (see core.text.fold), for search.
    search_text = models.TextField(editable=False, blank=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        get_latest_by = "uploaded_at"
        verbose_name = _("library image")
        verbose_name_plural = _("library images")
        permissions = [("manage_library", _("Can see, edit and delete every image in the library"))]

    def __str__(self):
        return self.caption or self.original_name or PurePosixPath(self.file.name).name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.store_upload()
        words = [self.caption, self.alt_text, normalize_credit(self.credit), self.original_name]
        self.search_text = fold(" ".join(words))
        super().save(*args, **kwargs)

    def store_upload(self):
        """Store a new upload re-encoded under an ASCII name, with its renditions."""
        upload = self.file
        self.original_name = unicodedata.normalize("NFC", PurePosixPath(upload.name).name)[:255]
        # All of it in the image thread: the decoded pixels live only while it runs.
        imaging.in_image_thread(self._store_prepared, upload)

    def _store_prepared(self, upload):
        prepared = imaging.prepare(upload)
        stem = PurePosixPath(self.original_name).stem
        self.file.save(f"{stem}.{prepared.extension}", ContentFile(prepared.content), save=False)
        self.width, self.height = prepared.width, prepared.height
        self.renditions = imaging.make_renditions(
            prepared.pixels, self.file.name, self.file.storage
        )

    def rebuild_renditions(self):
        """Make the renditions again from the stored original (rebuild_renditions)."""
        old = self.stored_names() - {self.file.name}
        imaging.in_image_thread(self._rebuild_from_original)
        self.save(update_fields=["width", "height", "renditions"])
        for name in old - self.stored_names():
            self.file.storage.delete(name)

    def _rebuild_from_original(self):
        pixels = imaging.open_stored(self.file)
        self.width, self.height = pixels.size
        self.renditions = imaging.make_renditions(pixels, self.file.name, self.file.storage)

    def stored_names(self):
        """Return the storage names of the original and of every rendition."""
        names = {self.file.name} if self.file else set()
        for rendition in self.renditions:
            names.update((rendition["webp"], rendition["fallback"]))
        return names

    def editable_by(self, user):
        """Return True if the user may edit or delete the image: its uploader, or an editor."""
        return user.has_perm("photos.manage_library") or self.uploaded_by_id == user.pk

    @property
    def alt(self):
        return self.alt_text or self.caption

    def sources(self):
        """Return the renditions, narrowest first, each with its files' addresses."""
        url = self.file.storage.url
        return [
            {
                **rendition,
                "webp_url": url(rendition["webp"]),
                "fallback_url": url(rendition["fallback"]),
            }
            for rendition in self.renditions
        ]

    def picture(self, alt=None):
        """Return the image as pages draw it, with alt (the image's own by default)."""
        return Picture(
            url=self.url,
            width=self.width,
            height=self.height,
            alt=self.alt if alt is None else alt,
            renditions=tuple(
                Source(
                    width=source["width"],
                    height=source["height"],
                    webp_url=source["webp_url"],
                    fallback_url=source["fallback_url"],
                )
                for source in self.sources()
            ),
        )

    @property
    def url(self):
        """Return the address to show the image at: its largest rendition, else the original."""
        if self.renditions:
            return self.file.storage.url(self.renditions[-1]["fallback"])
        return self.file.url if self.file else ""

    @property
    def thumbnail_url(self):
        if self.renditions:
            return self.file.storage.url(self.renditions[0]["fallback"])
        return self.file.url if self.file else ""

    @property
    def stored_key(self):
        """Return what every stored name of the image holds: its original's, less the extension.

        Stored names carry a unique short id, so text that contains the key shows the
        original or one of its renditions.
        """
        return str(PurePosixPath(self.file.name).with_suffix(""))


@receiver(post_delete, sender=Image, dispatch_uid="photos.delete_files")
def delete_files(sender, instance, **kwargs):
    """Delete an image's files once its row is gone for good."""
    storage, names = instance.file.storage, instance.stored_names()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
