from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.richtext import sanitize_html, split_blocks
from portal.text import unique_slug
from portal.validators import validate_image_extension, validate_image_limits


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Part of the web address. Left empty, it is made from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the menu.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Category, self.name, 140, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:category-detail", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles readers may see at this moment."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Return articles with what list pages show, in one query."""
        return self.select_related("category").defer("body")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
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
    lead = models.TextField(
        _("lead"), help_text=_("The short introduction (sapo) shown in bold under the title.")
    )
    body = RichTextUploadingField(
        _("body"),
        blank=True,
        help_text=_(
            "Scripts, inline styles, frames and forms are removed when the article is saved."
        ),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    author_name = models.CharField(
        _("byline"),
        max_length=150,
        blank=True,
        help_text=_("The author's name as printed at the end of the article, e.g. “Ngọc Tú”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="articles",
        null=True,
        blank=True,
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Day and time shown to readers, typed day first (25/03/2023 07:00). "
            "Left empty, it is set when the article is published."
        ),
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown in the top block of the home page.")
    )
    legacy_key = models.CharField(
        _("legacy portal key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifies an article imported from the old portal."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_date")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, 200, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug})

    def body_with_photos(self, photos):
        """Return the body as a list of parts, each {"html": …} or {"photo": …}.

        A photo stands after the number of body blocks its position says
        (0: right under the lead); photos past the end close the article.
        """
        photos = sorted(photos, key=lambda photo: (photo.position, photo.order, photo.pk or 0))
        parts, waiting = [], list(photos)
        for index, block in enumerate(split_blocks(self.body)):
            while waiting and waiting[0].position <= index:
                parts.append({"photo": waiting.pop(0)})
            parts.append({"html": block})
        parts.extend({"photo": photo} for photo in waiting)
        return parts


class PhotoQuerySet(models.QuerySet):
    def with_file(self):
        """Return the photos that have an image file (imported captions may not)."""
        return self.exclude(image="")


class Photo(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        blank=True,
        validators=[validate_image_extension, validate_image_limits],
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB and 40 megapixels."),
    )
    caption = models.CharField(_("caption"), max_length=500)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the photo shows, for readers who cannot see it. Defaults to the caption."
        ),
    )
    credit = models.CharField(_("credit"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_(
            "How many body paragraphs come before the photo: 0 puts it right under the lead."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Order among photos at the same position.")
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption

    @property
    def alt(self):
        return self.alt_text or self.caption
