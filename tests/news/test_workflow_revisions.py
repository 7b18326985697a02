import re

import pytest
from django.utils import translation

from news import revisions
from news.models import Article
from photos.models import Image
from tests.factories import admin_url, change_data, logged_in, make_article, make_photo, make_user

Status = Article.Status


@pytest.fixture
def edited(client, db):
    """An article saved three times in the admin by an editor, with one photo."""
    editor = make_user("editor", username="lan")
    article = make_article(
        title="Tuổi trẻ ra quân",
        body="<p>Chín xã được hỗ trợ.</p><p>Đoạn cuối.</p>",
        status=Status.DRAFT,
    )
    photo = make_photo(article, caption="Ảnh một")
    client = logged_in(client, editor)
    url = admin_url("change", article.pk)
    for overrides, caption in [
        ({}, "Ảnh một"),
        ({"title": "Tuổi trẻ <Bắc Kạn> ra quân"}, "Ảnh một"),
        ({"body": "<p>Mười xã được hỗ trợ.</p><p>Đoạn cuối.</p>"}, "Ảnh đã sửa"),
    ]:
        article.refresh_from_db()
        photo.caption = caption
        response = client.post(url, change_data(article, photos=[photo], **overrides))
        assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return client, article, photo


def version_ids(article):
    return list(revisions.versions_of(article).values_list("pk", flat=True))


def test_every_admin_save_keeps_a_revision_listed_for_staff(edited):
    client, article, _photo = edited
    response = client.get(admin_url("revisions", article.pk))
    content = response.content.decode()
    assert len(version_ids(article)) == 3
    assert content.count("Lưu trong trang quản trị") == 3
    assert content.count(">Khôi phục phiên bản này<") == 2  # not for the current one


def test_comparing_two_revisions_shows_a_readable_escaped_diff(edited):
    client, article, _photo = edited
    newest, middle, oldest = version_ids(article)
    response = client.get(admin_url("compare", article.pk), {"old": oldest, "new": newest})
    content = response.content.decode()
    assert response.status_code == 200
    # Title: the added words are marked, and escaped, never markup.
    assert "<ins>&lt;Bắc Kạn&gt; </ins>" in content
    assert "<Bắc Kạn>" not in content
    # Body compared as text, without its tags.
    assert "<del>Chín</del><ins>Mười</ins> xã được hỗ trợ." in content
    assert "&lt;p&gt;" not in content
    # The photos' captions and places are part of the revision.
    assert "Vị trí 0, thứ tự 0: Ảnh <del>một</del><ins>đã sửa</ins>" in content
    assert "Sapo <small>(không đổi)</small>" in content


def test_restoring_brings_back_text_and_captions_as_a_new_revision(edited):
    client, article, photo = edited
    status_before = article.status
    oldest = version_ids(article)[-1]

    response = client.post(admin_url("restore", article.pk, oldest))

    assert response.status_code == 302
    article.refresh_from_db()
    photo.refresh_from_db()
    assert article.title == "Tuổi trẻ ra quân"
    assert "Chín xã" in article.body
    assert photo.caption == "Ảnh một"
    assert article.status == status_before
    ids = version_ids(article)
    assert len(ids) == 4  # nothing removed, one added
    assert (
        "Khôi phục phiên bản lúc" in client.get(admin_url("revisions", article.pk)).content.decode()
    )


def test_a_photo_left_to_the_library_s_caption_reads_so_in_a_comparison(edited):
    client, article, photo = edited
    photo.image.caption = "Lễ ra quân"
    photo.image.save()
    photo.caption = ""
    response = client.post(admin_url("change", article.pk), change_data(article, photos=[photo]))
    assert response.status_code == 302
    newest, previous = revisions.versions_of(article)[:2]
    with translation.override("vi"):
        assert revisions.photo_lines(previous) == "Vị trí 0, thứ tự 0: Ảnh đã sửa"
        assert revisions.photo_lines(newest) == (
            "Vị trí 0, thứ tự 0: Lễ ra quân (chú thích trong thư viện)"
        )
    response = client.get(admin_url("compare", article.pk), {"old": previous.pk, "new": newest.pk})
    assert "quân (chú thích trong thư viện)</ins>" in response.content.decode()


def test_restoring_a_caption_leaves_the_library_image_as_it_is(edited):
    client, article, photo = edited
    Image.objects.update(caption="")
    before = Image.objects.values().get()
    oldest = version_ids(article)[-1]
    assert client.post(admin_url("restore", article.pk, oldest)).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Ảnh một"
    assert Image.objects.values().get() == before


def test_who_cannot_edit_cannot_restore(client, edited):
    _client, article, _photo = edited
    oldest = version_ids(article)[-1]
    other = logged_in(client, make_user("contributor", username="ctv"))
    assert other.post(admin_url("restore", article.pk, oldest)).status_code == 404
    article.refresh_from_db()
    assert article.title == "Tuổi trẻ <Bắc Kạn> ra quân"


def test_a_revision_of_another_article_is_not_found(edited):
    client, article, _photo = edited
    other = make_article(title="Bài khác", status=Status.DRAFT)
    assert client.post(admin_url("restore", other.pk, version_ids(article)[-1])).status_code == 404
    response = client.get(
        admin_url("compare", other.pk), {"old": version_ids(article)[-1], "new": "x"}
    )
    assert response.status_code == 404


def test_restoring_asks_first_and_warns_when_the_article_is_live(edited):
    client, article, _photo = edited
    oldest = version_ids(article)[-1]
    page = client.get(admin_url("restore", article.pk, oldest)).content.decode()
    # Nothing changes on the way to the question.
    article.refresh_from_db()
    assert article.title == "Tuổi trẻ <Bắc Kạn> ra quân"
    assert "Đồng ý, khôi phục phiên bản này" in page
    assert "<del>&lt;Bắc Kạn&gt; </del>" in page
    assert "đang hiển thị trên trang" not in page  # a draft: nobody reads it yet

    Article.objects.filter(pk=article.pk).update(
        status=Status.PUBLISHED, published_at=article.created_at
    )
    client.force_login(make_user("publisher"))
    page = client.get(admin_url("restore", article.pk, oldest)).content.decode()
    assert "Nội dung này đang hiển thị trên trang: bạn đọc sẽ thấy ngay" in page


def test_the_history_shows_saves_and_workflow_steps_apart_to_the_second(edited):
    client, article, _photo = edited
    from core import workflow

    workflow.perform(article, "submit", workflow.SYSTEM)
    page = client.get(admin_url("revisions", article.pk)).content.decode()
    saves = page[page.index("Các lần sửa nội dung") : page.index("Các bước quy trình")]
    steps = page[page.index("Các bước quy trình") :]
    assert saves.count("Lưu trong trang quản trị") == 3  # a step adds no revision
    assert "Gửi duyệt" in steps
    assert re.search(r"\d\d:\d\d:\d\d \d\d/\d\d/\d{4}", saves)
    assert re.search(r"\d\d:\d\d:\d\d \d\d/\d\d/\d{4}", steps)
