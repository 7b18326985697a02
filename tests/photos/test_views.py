"""CKEditor's uploader and file browser, as each newsroom role and against hostile files.

The hostile files are in tests/fixtures/images: a GIF with a script appended (as
poly.html and poly.gif), an HTML page named page.jpg, an SVG with a script, a PNG
header claiming 40,000 × 40,000 pixels and a real 13,300 × 13,300 PNG of 172 KB.
The file over 10 MB is made here rather than kept in the repository.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from PIL import ImageFile

from news.models import Article
from photos import views
from photos.models import Image
from tests.factories import (
    fixture_upload,
    image_upload,
    logged_in,
    make_article,
    make_image,
    make_photo,
    make_user,
    oversized_png,
    stored_files,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/ckeditor/upload/"
BROWSE_URL = "/ckeditor/browse/"
ROLES = ["contributor", "editor", "publisher"]


def upload(client, upload_file, query=""):
    return client.post(UPLOAD_URL + query, {"upload": upload_file})


@pytest.mark.parametrize("role", ROLES)
def test_an_image_goes_into_the_library_under_an_ascii_name(client, settings, role):
    user = make_user(role)
    response = upload(logged_in(client, user), image_upload("Ảnh đẹp.jpg", image_format="JPEG"))
    assert response.status_code == 200
    answer = response.json()
    image = Image.objects.get()
    assert answer["uploaded"] == 1
    assert re.fullmatch(r"anh-dep-[0-9a-f]{8}\.jpg", answer["fileName"])
    # The editor gets the largest rendition, never the original.
    assert answer["url"] == image.url == "/media/" + image.renditions[-1]["fallback"]
    assert image.uploaded_by == user
    assert image.original_name == "Ảnh đẹp.jpg"
    assert all(name.isascii() for name in stored_files(settings))


# (fixture, name it is sent under, what the editor is told, or None if it is stored)
HOSTILE = {
    "gif-script-as-html": ("poly.gif", "poly.html", "tệp này có đuôi “html”"),
    "gif-script-as-gif": ("poly.gif", "poly.gif", None),
    "html-as-jpg": ("page.jpg", "page.jpg", "không phải ảnh JPEG, PNG, WebP hay GIF"),
    "svg-with-script": ("script.svg", "script.svg", "không phải ảnh JPEG, PNG, WebP hay GIF"),
    "40000px-png-header": ("huge-header-40000.png", "anh.png", "40 megapixel"),
    "13300px-png": ("bomb-13300.png", "anh.png", "40 megapixel"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_refused_or_defused(client, settings, monkeypatch, role, case):
    fixture, name, message = case

    def no_decoding(image):
        raise AssertionError("pixels were decoded")

    if fixture.startswith(("bomb", "huge")):
        monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    response = upload(logged_in(client, make_user(role)), fixture_upload(fixture, name))
    assert response.status_code == 200
    answer = response.json()
    if message:
        assert answer["uploaded"] == 0
        assert message in answer["error"]["message"]
        assert Image.objects.count() == 0
        assert stored_files(settings) == []
        return
    # Stored, as the GIF it really is, re-encoded: the appended script is gone.
    image = Image.objects.get()
    assert answer["uploaded"] == 1
    assert image.file.name.endswith(".gif")
    for name in stored_files(settings):
        assert name.endswith((".gif", ".webp", ".jpg")), name
        assert b"<script" not in (settings.MEDIA_ROOT / name).read_bytes()


@pytest.mark.parametrize("role", ROLES)
def test_a_file_over_10_mb_is_refused(client, settings, role):
    oversized = SimpleUploadedFile("anh-lon.png", oversized_png(), content_type="image/png")
    answer = upload(logged_in(client, make_user(role)), oversized).json()
    assert answer["uploaded"] == 0
    assert "lớn hơn 10 MB" in answer["error"]["message"]
    assert stored_files(settings) == []


class UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


@pytest.mark.parametrize("role", ROLES)
def test_a_request_announcing_more_than_10_mb_is_refused_before_its_body_is_read(role):
    request = RequestFactory().post(UPLOAD_URL, {"upload": image_upload()})
    request.META["CONTENT_LENGTH"] = str(30 * 1024 * 1024)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    request.user = make_user(role)
    answer = views.upload(request)
    assert answer.status_code == 200
    assert b'"uploaded": 0' in answer.content
    assert Image.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_the_answer_is_json_and_never_echoes_the_request(client, role):
    hostile = "?CKEditorFuncNum=1);alert(document.domain)//&CKEditor=id_body&langCode=vi"
    response = upload(logged_in(client, make_user(role)), image_upload(), query=hostile)
    assert response["Content-Type"] == "application/json"
    assert b"alert" not in response.content
    assert b"<script" not in response.content
    assert response.json()["uploaded"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_an_upload_without_the_csrf_token_is_refused(settings, role):
    client = logged_in(Client(enforce_csrf_checks=True), make_user(role))
    for headers in ({}, {"Origin": "https://evil.example"}):
        response = client.post(UPLOAD_URL, {"upload": image_upload()}, headers=headers)
        assert response.status_code == 403
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize("role", ROLES)
def test_an_upload_with_the_csrf_header_ckeditor_sends_is_stored(role):
    client = logged_in(Client(enforce_csrf_checks=True), make_user(role))
    client.get("/admin/news/article/add/")  # sets the CSRF cookie, as the editor's page does
    token = client.cookies["csrftoken"].value
    response = client.post(UPLOAD_URL, {"upload": image_upload()}, headers={"X-CSRFToken": token})
    assert response.json()["uploaded"] == 1


def test_readers_and_strangers_may_not_upload(client, django_user_model):
    assert upload(client, image_upload()).status_code == 403
    reader = django_user_model.objects.create_user("docgia", password="x")
    assert upload(logged_in(client, reader), image_upload()).status_code == 403
    assert logged_in(client, make_user("editor")).get(UPLOAD_URL).status_code == 405
    assert Image.objects.count() == 0


# --- Browse server ------------------------------------------------------------------------


def browse_captions(response):
    return re.findall(r'<span class="library-caption">(.*?)</span>', response.content.decode())


@pytest.fixture
def library():
    """Images of three people: one shown in a published article, one in a draft, one unused."""
    contributor, other = make_user("contributor"), make_user("contributor", username="khac")
    own = make_image(caption="Ảnh của tôi", uploaded_by=contributor)
    shown = make_image(caption="Đoàn viên ra quân", uploaded_by=other)
    make_photo(make_article(title="Bài đã đăng"), image=shown)
    drafted = make_image(caption="Ảnh trong bản nháp", uploaded_by=other)
    make_photo(make_article(title="Bài nháp", status=Article.Status.DRAFT), image=drafted)
    make_image(caption="Ảnh chưa dùng", uploaded_by=other)
    return contributor, own


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("contributor", {"Ảnh của tôi", "Đoàn viên ra quân"}),
        ("editor", {"Ảnh của tôi", "Đoàn viên ra quân", "Ảnh trong bản nháp", "Ảnh chưa dùng"}),
        ("publisher", {"Ảnh của tôi", "Đoàn viên ra quân", "Ảnh trong bản nháp", "Ảnh chưa dùng"}),
    ],
)
def test_browse_shows_each_role_what_it_may_reuse(client, library, role, expected):
    contributor, _ = library
    user = contributor if role == "contributor" else make_user(role)
    response = logged_in(client, user).get(BROWSE_URL, {"CKEditorFuncNum": "3"})
    assert response.status_code == 200
    assert set(browse_captions(response)) == expected


def test_browse_searches_without_accents(client, library):
    response = logged_in(client, make_user("editor")).get(BROWSE_URL, {"q": "doan vien"})
    assert browse_captions(response) == ["Đoàn viên ra quân"]


def test_browse_speaks_vietnamese_and_hands_the_script_only_digits(client, library):
    editor = logged_in(client, make_user("editor"))
    page = editor.get(BROWSE_URL, {"CKEditorFuncNum": "12"}).content.decode()
    assert "<h1>Thư viện ảnh</h1>" in page
    assert "Tìm trong thư viện" in page
    assert 'data-ckeditor-func-num="12"' in page
    hostile = '1"><script>alert(document.domain)</script>'
    page = editor.get(BROWSE_URL, {"CKEditorFuncNum": hostile}).content.decode()
    assert "alert(document.domain)" not in page
    assert 'data-ckeditor-func-num=""' in page


def test_browse_pages_keep_the_callback_and_the_search(client):
    for index in range(views.BROWSE_PAGE_SIZE + 1):
        make_image(caption=f"Ảnh số {index}")
    page = logged_in(client, make_user("editor")).get(BROWSE_URL, {"CKEditorFuncNum": "5"})
    html = page.content.decode()
    assert len(browse_captions(page)) == views.BROWSE_PAGE_SIZE
    assert "Trang 1 / 2" in html
    assert 'href="?CKEditorFuncNum=5&amp;q=&amp;page=2"' in html


@pytest.mark.parametrize("count", [2, 20])
def test_browse_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for index in range(count):
        make_image(caption=f"Ảnh số {index}")
    editor = logged_in(client, make_user("editor"))
    # Session, user, the user's permissions (two), the count and the page of images.
    with django_assert_num_queries(6):
        editor.get(BROWSE_URL)


def test_browse_asks_strangers_to_log_in(client):
    response = client.get(BROWSE_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
