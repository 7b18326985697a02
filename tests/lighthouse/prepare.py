"""Give the demo's reference article real-size photos and print the pages to audit.

Run by tests/lighthouse/run.sh after `load_demo`: each of the article's photos
becomes a 4000×3000 JPEG of a few megabytes, as a camera makes them, stored in
the photo library like an upload (so its renditions are made). Prints one
path per line: the pages `make lighthouse` audits.
"""

import io
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

from communes.models import SupportProgram  # noqa: E402
from news.models import Article  # noqa: E402
from photos.models import Image as LibraryImage  # noqa: E402

SIZE = (4000, 3000)


def camera_photo(seed):
    """Return JPEG bytes with a camera photo's size and detail (noise over soft colour)."""
    width, height = SIZE
    colour = Image.linear_gradient("L").resize(SIZE).filter(ImageFilter.GaussianBlur(40))
    noise = Image.effect_noise(SIZE, 48 + seed)
    picture = Image.merge("RGB", (colour, noise, Image.eval(colour, lambda v: 255 - v)))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def main():
    article = Article.objects.published().filter(photos__isnull=False).distinct().first()
    if article is None:
        sys.exit("No published article with photos: run load_demo first.")
    for seed, photo in enumerate(article.photos.all()):
        content = camera_photo(seed)
        image = LibraryImage(caption=photo.caption, alt_text=photo.alt_text, credit=photo.credit)
        image.file = SimpleUploadedFile("anh-may-anh.jpg", content, content_type="image/jpeg")
        image.save()
        photo.image = image
        photo.save()
        print(f"{photo.caption}: {len(content) / 1e6:.1f} MB original", file=sys.stderr)
    program = SupportProgram.objects.order_by("-year").first()
    pages = [
        reverse("news:home"),
        reverse("news:article-list"),
        article.get_absolute_url(),
        reverse("news:search"),
        reverse("news:search") + "?q=thanh+nien",
        reverse("communes:program-detail", args=[program.year]),
        reverse("site-map"),
    ]
    print("\n".join(pages))


if __name__ == "__main__":
    main()
