import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from core.html import sanitize_html
from news import revisions
from news.models import Article, Category, Photo, Stage
from photos.models import Image as LibraryImage
from portal.management.commands.generate_articles import GENERATED_PREFIX
from tests.factories import make_article, make_category, make_commune, make_program, make_support

pytestmark = pytest.mark.django_db


def generate(*arguments):
    call_command("generate_articles", *arguments, stdout=io.StringIO(), stderr=io.StringIO())


COUNT = 120  # three batches of 50


@pytest.fixture
def generated():
    program = make_program(2022)
    make_support(program, make_commune("Kim Hỷ"))
    generate("--count", str(COUNT), "--seed", "3", "--batch-size", "50")
    return Article.all_objects.filter(slug__startswith=GENERATED_PREFIX)


def test_makes_marked_realistic_articles_mostly_published(generated):
    assert generated.count() == COUNT
    published = generated.filter(status=Article.Status.PUBLISHED).count()
    assert 0.75 * COUNT <= published <= 0.95 * COUNT
    live = generated.at_stage(Stage.LIVE)
    assert live.count() > 0.6 * COUNT
    years = {article.published_at.year for article in live}
    assert len(years) >= 8
    article = live.exclude(photos=None).first()
    assert article.body.count("<p>") >= 3
    assert any(
        place in article.title + article.lead + article.body
        for place in (
            "Ba Bể",
            "Chợ Đồn",
            "Na Rì",
            "Ngân Sơn",
            "Pác Nặm",
            "Bạch Thông",
            "Chợ Mới",
            "Bắc Kạn",
        )
    )
    for article in generated:
        assert sanitize_html(article.body) == article.body
        article.full_clean(validate_unique=False)


def test_photos_revisions_and_links_come_with_them(generated, client):
    photos = Photo.objects.filter(article__in=generated)
    assert photos.count() > 0.75 * COUNT
    # Six shared placeholders of the photo library, with their files.
    images = LibraryImage.objects.filter(placements__in=photos).distinct()
    assert images.count() == 6
    assert all(image.file.storage.exists(image.file.name) for image in images)
    article = generated.at_stage(Stage.LIVE).exclude(photos=None).first()
    history = list(revisions.versions_of(article))
    assert 1 <= len(history) <= 3
    assert history[0].field_dict["title"] == article.title
    assert revisions.photo_lines(history[0])
    page = client.get(article.get_absolute_url()).content.decode()
    assert article.title in page
    assert "<figure" in page
    assert "(Ảnh: Dữ liệu mẫu)" in page  # the credit of the placeholders in the library
    assert Category.objects.filter(articles__in=generated).distinct().count() >= 5


def test_a_generated_archive_is_found_by_search(generated, client):
    """Each generated article is stored as a save would store it: its words are searchable."""
    article = generated.at_stage(Stage.LIVE).order_by("-published_at").first()
    assert article.search_title and article.search_body
    response = client.get("/tim-kiem/", {"q": article.title})
    titles = re.findall(r'<h2 class="card-title"><a href="([^"]+)"', response.content.decode())
    assert article.get_absolute_url() in titles


def test_the_pages_show_them_at_once(client):
    make_article(title="Bài đã có")
    assert "Bài đã có" in client.get("/tin-tuc/").content.decode()
    generate("--count", "30", "--seed", "1")
    page = client.get("/tin-tuc/").content.decode()
    assert "du-lieu-mau-" in page


def test_delete_removes_everything_generated_and_nothing_else(
    generated, django_capture_on_commit_callbacks
):
    kept_category = make_category(name="Thiếu nhi")
    kept = make_article(title="Bài thật", category=kept_category)
    before = Revision.objects.count()
    assert before > COUNT
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        generate("--delete")
    assert list(Article.all_objects.all()) == [kept]
    assert not Photo.objects.exists()
    assert not Version.objects.exists()
    assert not Revision.objects.exists()
    assert list(Category.objects.all()) == [kept_category]
    assert not LibraryImage.objects.exists()
    media = Path(default_storage.location)
    assert [path for path in media.rglob("*") if path.is_file()] == []  # no file left behind


def test_count_must_be_positive():
    with pytest.raises(CommandError, match="--count"):
        generate("--count", "0")
