import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, Category, Photo

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY_DIR = FIXTURES / "legacy"
REFERENCE_ARTICLE = LEGACY_DIR / "000_7655dac3e10b0773.txt"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_category(name="Công tác Đoàn", **fields):
    return Category.objects.create(name=name, **fields)


def make_article(title="Hội nghị tổng kết công tác Đoàn", **fields):
    fields.setdefault("lead", "Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị.")
    fields.setdefault("body", "<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    return Article.objects.create(title=title, **fields)


def image_bytes(size=(64, 48), image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name="anh.png", size=(64, 48), image_format="PNG"):
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(size, image_format), content_type=content_type)


def make_photo(article, caption="Bí thư Tỉnh đoàn chủ trì Hội nghị", with_file=True, **fields):
    photo = Photo(article=article, caption=caption, **fields)
    if with_file:
        photo.image = image_upload()
    photo.save()
    return photo
