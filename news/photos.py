"""News and the photo library: what pages outside {% picture %} need to know of a photo,
and how news uses library images (registered with photos.usage by news.apps).

Social cards, structured data and feed enclosures show one file: the largest
rendition (made when the image was saved), or the original where there is none.
"""

import contextlib
import mimetypes

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from news.models import Article, Photo
from photos import usage


def photo_meta(photo, request=None, with_length=False):
    """Return {"url", "width", "height", "type", "alt"} of a photo's image, and "length".

    url is absolute when a request is given; length (in bytes, asked with with_length,
    which opens the file's storage) is None if the file is missing.
    """
    image = photo.image
    if image.renditions:
        largest = image.renditions[-1]
        name, width, height = largest["fallback"], largest["width"], largest["height"]
    else:
        name, width, height = image.file.name, image.width, image.height
    url = image.file.storage.url(name)
    length = None
    if with_length:
        with contextlib.suppress(OSError):
            length = image.file.storage.size(name)
    return {
        "url": request.build_absolute_uri(url) if request is not None else url,
        "width": width,
        "height": height,
        "type": mimetypes.guess_type(name)[0] or "image/jpeg",
        "length": length,
        "alt": photo.alt,
    }


class ArticleImages(usage.Use):
    """How news uses the photo library: photo rows placing images, and images in bodies."""

    def shown_to_readers(self):
        return Photo.objects.filter(article__in=Article.objects.published()).values("image")

    def count(self):
        placed = (
            Photo.objects.filter(image=OuterRef("pk"))
            .order_by()
            .values("image")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Subquery(placed)

    def articles(self, image):
        """Return the articles that place the image or show it in their body, by id."""
        placing = Q(pk__in=Photo.objects.filter(image=image).values("article"))
        return Article.all_objects.filter(placing | Q(body__contains=image.stored_key))

    def places(self, image):
        return [
            (article.title, reverse("admin:news_article_change", args=[article.pk]))
            for article in self.articles(image).order_by("pk").only("title")
        ]

    def protecting(self, image):
        # Photo rows protect their image themselves (PROTECT); a body only names its file.
        return [
            _("The body of the article “%(title)s” shows “%(image)s”")
            % {"title": article, "image": image}
            for article in Article.all_objects.filter(body__contains=image.stored_key)
        ]
