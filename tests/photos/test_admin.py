"""The photo library in the admin ("Thư viện ảnh"), as each newsroom role."""

import re

import pytest
from django.urls import reverse

from news.models import Article, Photo
from photos.models import Image
from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    article_form_data,
    form_errors,
    image_upload,
    logged_in,
    make_article,
    make_image,
    make_photo,
    make_user,
)

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/photos/image/"
ROLES = ["contributor", "editor", "publisher"]


def image_url(name, *args):
    return reverse(f"admin:photos_image_{name}", args=args)


def listed(response):
    return re.findall(r'class="field-title"><a href="[^"]+">(.*?)</a>', response.content.decode())


@pytest.fixture
def people():
    return {
        "contributor": make_user("contributor"),
        "other": make_user("contributor", username="khac"),
        "editor": make_user("editor"),
        "publisher": make_user("publisher"),
    }


@pytest.fixture
def library(people):
    other = people["other"]
    images = {
        "own": make_image(caption="Ảnh của tôi", uploaded_by=people["contributor"]),
        "shown": make_image(caption="Đoàn viên ra quân", uploaded_by=other),
        "drafted": make_image(caption="Ảnh trong bản nháp", uploaded_by=other),
        "unused": make_image(caption="Ảnh chưa dùng", uploaded_by=other, credit="Ảnh: Ba Bể"),
    }
    make_photo(make_article(title="Bài đã đăng"), image=images["shown"])
    make_photo(make_article(title="Bài nháp", status=Article.Status.DRAFT), image=images["drafted"])
    return images


EVERY_CAPTION = {"Ảnh của tôi", "Đoàn viên ra quân", "Ảnh trong bản nháp", "Ảnh chưa dùng"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("contributor", {"Ảnh của tôi", "Đoàn viên ra quân"}),
        ("editor", EVERY_CAPTION),
        ("publisher", EVERY_CAPTION),
    ],
)
def test_the_library_lists_what_each_role_may_see(client, people, library, role, expected):
    response = logged_in(client, people[role]).get(CHANGELIST_URL)
    assert response.status_code == 200
    assert set(listed(response)) == expected
    html = response.content.decode()
    assert "<h1>Chọn ảnh trong thư viện để thay đổi</h1>" in html
    assert html.count('<img class="library-thumb"') == len(expected)


def test_the_library_is_searched_without_accents(client, people, library):
    editor = logged_in(client, people["editor"])
    assert listed(editor.get(CHANGELIST_URL, {"q": "doan VIEN"})) == ["Đoàn viên ra quân"]
    assert listed(editor.get(CHANGELIST_URL, {"q": "ba be"})) == ["Ảnh chưa dùng"]


def test_the_library_filters_unused_images(client, people, library):
    editor = logged_in(client, people["editor"])
    unused = set(listed(editor.get(CHANGELIST_URL, {"used": "no"})))
    assert unused == {"Ảnh của tôi", "Ảnh chưa dùng"}


@pytest.mark.parametrize("count", [3, 30])
def test_the_library_runs_a_fixed_number_of_queries(
    client, people, django_assert_num_queries, count
):
    for index in range(count):
        make_image(caption=f"Ảnh số {index}", uploaded_by=people["other"])
    editor = logged_in(client, people["editor"])
    # Session, user, permissions (two), the filtered and total counts, the page; the first
    # page after a change also reads the identity (the header) and the next moment.
    with django_assert_num_queries(7 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        response = editor.get(CHANGELIST_URL)
    assert len(listed(response)) == count


@pytest.mark.parametrize(
    ("role", "image", "may_change"),
    [
        ("contributor", "own", True),
        ("contributor", "shown", False),
        ("editor", "unused", True),
        ("publisher", "unused", True),
    ],
)
def test_only_the_uploader_or_an_editor_changes_an_image(
    client, people, library, role, image, may_change
):
    image = library[image]
    user = logged_in(client, people[role])
    data = {"caption": "Chú thích mới", "alt_text": "", "credit": "Nguồn ảnh: Tỉnh đoàn"}
    response = user.post(image_url("change", image.pk), data)
    image.refresh_from_db()
    if may_change:
        assert response.status_code == 302, form_errors(response)
        assert (image.caption, image.credit) == ("Chú thích mới", "Tỉnh đoàn")
    else:
        assert response.status_code == 403
        assert image.caption == "Đoàn viên ra quân"


@pytest.mark.parametrize(
    ("role", "image", "deleted"),
    [
        ("contributor", "own", True),
        ("contributor", "unused", False),  # someone else's
        ("contributor", "shown", False),
        ("editor", "unused", True),
        ("editor", "drafted", False),  # in use
        ("publisher", "unused", True),
        ("publisher", "shown", False),  # in use
    ],
)
def test_deleting_one_image(client, people, library, role, image, deleted):
    image = library[image]
    names = image.stored_names()
    user = logged_in(client, people[role])
    response = user.post(image_url("delete", image.pk), {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists() != deleted
    if deleted:
        assert response["Location"] == CHANGELIST_URL
    else:
        # Refused (403), shown as in use, or not even visible to this role.
        for name in names:
            assert image.file.storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_a_deleted_images_files_go_with_it(client, people):
    image = make_image(uploaded_by=people["contributor"])
    names = image.stored_names()
    assert len(names) == 3  # the original, its WebP and its PNG rendition
    logged_in(client, people["contributor"]).post(image_url("delete", image.pk), {"post": "yes"})
    assert not any(image.file.storage.exists(name) for name in names)


@pytest.mark.parametrize("role", ROLES)
def test_bulk_delete_spares_images_in_use_and_other_peoples(client, people, library, role):
    pks = [image.pk for image in library.values()]
    user = logged_in(client, people[role])
    user.post(CHANGELIST_URL, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    left = set(Image.objects.values_list("caption", flat=True))
    # Nothing in use goes; a contributor deletes nothing of anyone else's.
    assert {"Đoàn viên ra quân", "Ảnh trong bản nháp"} <= left
    if role == "contributor":
        assert "Ảnh chưa dùng" in left


def test_an_image_shown_in_an_articles_body_cannot_be_deleted(client, people):
    image = make_image(caption="Ảnh trong nội dung", uploaded_by=people["editor"])
    make_article(title="Bài có ảnh trong nội dung", body=f'<p><img src="{image.url}" alt="A"></p>')
    editor = logged_in(client, people["editor"])
    page = editor.get(image_url("delete", image.pk)).content.decode()
    assert "Nội dung bài “Bài có ảnh trong nội dung” đang dùng ảnh" in page
    editor.post(image_url("delete", image.pk), {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_change_page_shows_where_the_image_is_used(client, people, library):
    page = logged_in(client, people["editor"]).get(image_url("change", library["shown"].pk))
    html = page.content.decode()
    assert ">Bài đã đăng</a>" in html
    assert 'class="library-preview"' in html


def test_an_image_is_added_to_the_library_by_its_uploader(client, people):
    contributor = logged_in(client, people["contributor"])
    data = {"file": image_upload("Đêm hội.png"), "caption": "Đêm hội", "alt_text": "", "credit": ""}
    response = contributor.post(image_url("add"), data)
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert image.uploaded_by == people["contributor"]
    assert re.fullmatch(r"photos/\d{4}/\d{2}/dem-hoi-[0-9a-f]{8}\.png", image.file.name)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("contributor", {"Ảnh của tôi", "Đoàn viên ra quân"}),
        ("editor", EVERY_CAPTION),
    ],
)
def test_the_photo_rows_autocomplete_offers_what_each_role_may_reuse(
    client, people, library, role, expected
):
    user = logged_in(client, people[role])
    query = {"app_label": "news", "model_name": "photo", "field_name": "image"}

    def offered(term):
        response = user.get("/admin/autocomplete/", {**query, "term": term})
        return {result["text"] for result in response.json()["results"]}

    assert offered("") == expected
    assert offered("doan vien") == {"Đoàn viên ra quân"}


def test_a_contributor_cannot_place_an_image_they_may_not_see(client, people, library):
    contributor = logged_in(client, people["contributor"])
    photos = [{"image": str(library["drafted"].pk), "caption": "Ảnh mượn"}]
    response = contributor.post("/admin/news/article/add/", article_form_data(photos=photos))
    assert response.status_code == 200
    assert any("Hãy chọn một lựa chọn hợp lệ" in error for error in form_errors(response))
    assert not Photo.objects.filter(caption="Ảnh mượn").exists()
