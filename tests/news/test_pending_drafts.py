"""Changes to a live article wait as its pending draft while readers keep the live text."""

import copy
import re

import pytest
from django.db import connection
from django.test import Client

from core import cache, workflow
from news import pending, revisions
from news.models import Article, PendingDraft
from tests.factories import (
    admin_url,
    change_data,
    form_errors,
    form_version,
    logged_in,
    make_article,
    make_category,
    make_image,
    make_photo,
    make_user,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def renewals():
    """Return a function that says whether the page cache will be renewed at the commit.

    Each call forgets the renewal it saw: the test's own transaction never commits, and
    core.cache asks for one renewal per transaction, whatever was written in it.
    """

    def renewals():
        waiting = [entry for entry in connection.run_on_commit if entry[1] is cache.bump]
        for entry in waiting:
            connection.run_on_commit.remove(entry)
        connection.pages_written_uncommitted = False
        return len(waiting)

    renewals()
    return renewals


@pytest.fixture
def live():
    article = make_article(
        title="Tuổi trẻ Ba Bể ra quân",
        lead="Sáng 5/3, Huyện đoàn Ba Bể ra quân.",
        body="<p>Chín xã được hỗ trợ.</p>",
        category=make_category(),
    )
    make_photo(article, caption="Ảnh lễ ra quân")
    article.refresh_from_db()
    return article


@pytest.fixture
def publisher(client):
    return logged_in(client, make_user("publisher", username="hoa", last_name="Trần"))


def save(client, article, **overrides):
    article.refresh_from_db()
    data = change_data(article, photos=list(article.photos.all()), **overrides)
    data.setdefault("edit_version", form_version(client.get(admin_url("change", article.pk))))
    return client.post(admin_url("change", article.pk), data)


def edit(client, article, **overrides):
    """Press a button of the change form opened on the article's pending draft."""
    response = client.get(admin_url("change", article.pk))
    draft = PendingDraft.objects.get(article=article)
    shown = pending.apply_fields(draft, copy.copy(article))
    photos = [photo for photo in pending.placements(draft) if photo.pk]
    data = change_data(shown, photos=photos, edit_version=form_version(response), **overrides)
    return client.post(admin_url("change", article.pk), data)


def changes_pending(publisher, live, **extra):
    response = save(
        publisher,
        live,
        title="Tuổi trẻ Ba Bể ra quân Tháng Thanh niên",
        body="<p>Mười xã được hỗ trợ.</p>",
        **extra,
    )
    assert response.status_code == 302, form_errors(response)
    return response


def test_readers_keep_the_live_text_after_a_staff_save(client, publisher, live, renewals):
    version = live.version
    changes_pending(publisher, live)
    # Nothing readers see was written: the stored pages stay.
    assert renewals() == 0
    live.refresh_from_db()
    assert (live.title, live.version) == ("Tuổi trẻ Ba Bể ra quân", version)

    reader = Client()
    page = reader.get(live.get_absolute_url()).content.decode()
    assert "Chín xã được hỗ trợ." in page
    assert "Mười xã" not in page
    assert "Tháng Thanh niên" not in reader.get("/rss/").content.decode()
    found = reader.get("/tim-kiem/", {"q": "muoi xa"}).content.decode()
    assert "Tuổi trẻ Ba Bể ra quân" not in found
    assert "Tuổi trẻ Ba Bể ra quân" in reader.get("/tim-kiem/", {"q": "chin xa"}).content.decode()

    # Staff: the list and the form say so; the form and the preview show the changes.
    listed = publisher.get(admin_url("changelist")).content.decode()
    assert "Có bản sửa chưa xuất bản" in listed
    assert admin_url("pending", live.pk) in listed
    form = publisher.get(admin_url("change", live.pk)).content.decode()
    assert "Có bản sửa chưa xuất bản" in form
    assert 'value="Tuổi trẻ Ba Bể ra quân Tháng Thanh niên"' in form
    preview = publisher.get(live.get_preview_url()).content.decode()
    assert "Mười xã được hỗ trợ." in preview


def test_the_compare_page_shows_live_against_pending_field_by_field(publisher, live):
    changes_pending(publisher, live, featured="on")
    page = publisher.get(admin_url("pending", live.pk)).content.decode()
    assert "<del>Chín</del><ins>Mười</ins> xã được hỗ trợ." in page
    assert "<ins> Tháng Thanh niên</ins>" in page
    assert "<del>Không</del><ins>Có</ins>" in page  # featured
    assert "Sapo <small>(không đổi)</small>" in page
    # Nothing pending: nothing to compare.
    other = make_article(title="Tin khác")
    assert publisher.get(admin_url("pending", other.pk)).status_code == 404


def test_publishing_the_pending_draft_makes_it_live_once(client, publisher, live, renewals):
    changes_pending(publisher, live)
    live.refresh_from_db()
    version, revisions_before = live.version, revisions.versions_of(live).count()
    steps_before = live.transitions.count()
    published_at = live.published_at

    renewals()
    response = edit(publisher, live, workflow_action="publish")
    assert response.status_code == 302, form_errors(response)
    assert renewals() == 1

    live.refresh_from_db()
    assert live.title == "Tuổi trẻ Ba Bể ra quân Tháng Thanh niên"
    assert (live.version, live.published_at, live.status) == (
        version + 1,
        published_at,
        Status.PUBLISHED,
    )
    assert revisions.versions_of(live).count() == revisions_before + 1
    assert live.transitions.count() == steps_before + 1
    step = live.transitions.last()
    assert (step.action, step.from_status, step.to_status) == ("publish", "draft", "published")
    assert list(live.photos.values_list("caption", flat=True)) == ["Ảnh lễ ra quân"]
    assert not PendingDraft.objects.filter(article=live, pending=True).exists()
    assert "Mười xã được hỗ trợ." in Client().get(live.get_absolute_url()).content.decode()
    assert "Có bản sửa chưa xuất bản" not in publisher.get(admin_url("changelist")).content.decode()


def test_a_publisher_publishes_a_change_at_once_with_its_photos(publisher, live):
    kept = live.photos.get()
    added = make_image(caption="Ảnh mới")
    data = change_data(
        live,
        photos=[kept],
        title="Tít mới",
        workflow_action="publish",
        **{
            "photos-0-caption": "Chú thích mới",
            "photos-1-image": added.pk,
            "photos-1-caption": "Ảnh thêm",
            "photos-1-position": 1,
            "photos-1-order": 0,
            "photos-TOTAL_FORMS": 2,
        },
    )
    response = publisher.post(admin_url("change", live.pk), data)
    assert response.status_code == 302, form_errors(response)
    live.refresh_from_db()
    assert live.title == "Tít mới"
    assert list(live.photos.values_list("pk", "caption")) == [
        (kept.pk, "Chú thích mới"),
        (live.photos.last().pk, "Ảnh thêm"),
    ]


def test_a_pending_draft_keeps_its_photos_apart_until_published(publisher, live):
    kept = live.photos.get()
    added = make_image(caption="Ảnh mới")
    data = change_data(
        live,
        photos=[kept],
        **{
            "photos-0-DELETE": "on",
            "photos-1-image": added.pk,
            "photos-1-caption": "Ảnh thêm",
            "photos-1-position": 0,
            "photos-1-order": 0,
            "photos-TOTAL_FORMS": 2,
        },
    )
    assert publisher.post(admin_url("change", live.pk), data).status_code == 302
    assert list(live.photos.values_list("caption", flat=True)) == ["Ảnh lễ ra quân"]
    form = publisher.get(admin_url("change", live.pk)).content.decode()
    assert 'value="Ảnh thêm"' in form
    assert 'value="Ảnh lễ ra quân"' not in form
    preview = publisher.get(live.get_preview_url()).content.decode()
    assert "Ảnh thêm" in preview
    assert "Ảnh lễ ra quân" not in preview

    # Published, the draft's photos replace the article's.
    pending.move(live, PendingDraft.objects.get(article=live), "publish", workflow.SYSTEM)
    assert list(live.photos.values_list("image", "caption")) == [(added.pk, "Ảnh thêm")]


def test_discarding_drops_the_draft_and_keeps_the_live_article(publisher, live):
    changes_pending(publisher, live)
    live.refresh_from_db()
    version = live.version
    url = admin_url("pending_discard", live.pk)
    assert publisher.get(url).status_code == 405
    # A page opened before a later save does not discard what it never showed.
    stale = publisher.post(url, {"edit_version": version})
    assert PendingDraft.objects.get(article=live).pending
    assert "chưa bị bỏ" in publisher.get(stale["Location"]).content.decode()

    opened = form_version(publisher.get(admin_url("change", live.pk)))
    response = publisher.post(url, {"edit_version": opened}, follow=True)
    assert "Đã bỏ bản sửa chưa xuất bản" in response.content.decode()
    live.refresh_from_db()
    assert (live.title, live.version) == ("Tuổi trẻ Ba Bể ra quân", version)
    form = publisher.get(admin_url("change", live.pk)).content.decode()
    assert 'value="Tuổi trẻ Ba Bể ra quân"' in form
    assert "Có bản sửa chưa xuất bản" not in form


def test_who_may_not_change_the_live_article_may_not_discard_its_draft(client, publisher, live):
    changes_pending(publisher, live)
    editor = logged_in(Client(), make_user("editor"))
    opened = form_version(publisher.get(admin_url("change", live.pk)))
    response = editor.post(admin_url("pending_discard", live.pk), {"edit_version": opened})
    assert response.status_code == 403
    assert PendingDraft.objects.get(article=live).pending


def test_two_editors_of_one_live_article_are_still_stopped_by_the_version(live):
    first = logged_in(Client(), make_user("publisher", username="lan", last_name="Hoàng"))
    second = logged_in(Client(), make_user("publisher", username="minh"))
    url = admin_url("change", live.pk)
    opened = form_version(first.get(url))
    assert form_version(second.get(url)) == opened

    assert (
        first.post(url, change_data(live, title="Tít của Lan", edit_version=opened)).status_code
        == 302
    )
    refused = second.post(url, change_data(live, title="Tít của Minh", edit_version=opened))
    assert refused.status_code == 200
    assert "Hoàng Lan đã lưu bài viết này lúc" in refused.content.decode()
    assert PendingDraft.objects.get(article=live).fields["title"] == "Tít của Lan"
    # Publishing from a stale page is refused the same way.
    refused = second.post(
        url, change_data(live, title="Tít của Minh", edit_version=opened, workflow_action="publish")
    )
    assert refused.status_code == 200
    live.refresh_from_db()
    assert live.title == "Tuổi trẻ Ba Bể ra quân"


def test_the_pending_draft_goes_through_review_in_the_timeline(publisher, live):
    changes_pending(publisher, live)
    assert edit(publisher, live, workflow_action="submit").status_code == 302
    page = publisher.get(admin_url("change", live.pk)).content.decode()
    assert "Chờ duyệt" in page
    response = edit(publisher, live, workflow_action="return", workflow_comment="Sửa tít.")
    assert response.status_code == 302
    draft = PendingDraft.objects.get(article=live)
    assert (draft.status, draft.returned_at is not None) == (Status.DRAFT, True)
    steps = list(live.transitions.values_list("action", "from_status", "to_status"))
    assert steps[-2:] == [("submit", "draft", "review"), ("return", "review", "draft")]
    live.refresh_from_db()
    assert (live.status, live.title) == (Status.PUBLISHED, "Tuổi trẻ Ba Bể ra quân")


def test_an_editor_still_cannot_change_a_live_article(client, live):
    editor = logged_in(client, make_user("editor"))
    response = editor.post(admin_url("change", live.pk), change_data(live, title="Tít khác"))
    assert response.status_code == 403
    assert not PendingDraft.objects.filter(article=live).exists()


def test_taking_the_article_down_drops_its_pending_draft(publisher, live):
    changes_pending(publisher, live)
    workflow.perform(live, "archive", workflow.SYSTEM)
    assert not PendingDraft.objects.get(article=live).pending


@pytest.mark.parametrize("photos", [1, 4])
def test_the_change_form_of_a_live_article_runs_a_fixed_number_of_queries(
    publisher, live, photos, django_assert_num_queries
):
    for number in range(1, photos):
        make_photo(live, caption=f"Ảnh {number}")
    url = admin_url("change", live.pk)
    publisher.get(url)
    with django_assert_num_queries(CHANGE_FORM_QUERIES + photos):
        publisher.get(url)
    changes_pending(publisher, live)
    publisher.get(url)
    # One more with a pending draft, whatever its number of photos: their images, at once.
    with django_assert_num_queries(CHANGE_FORM_QUERIES + 1 + photos):
        response = publisher.get(url)
    assert "Có bản sửa chưa xuất bản" in response.content.decode()


# The session, the user, their permissions (2), the article, its draft row, its timeline
# with its users, its photos, the categories; and each photo's image in its chooser.
CHANGE_FORM_QUERIES = 10


FIRST_SUBMIT = re.compile(r'<(?:button|input)\b[^>]*\btype="submit"[^>]*>')


def first_submit(html):
    """Return the form's first submit control: the one Enter in a field presses."""
    form = html[html.index('id="article_form"') :]
    return FIRST_SUBMIT.search(form).group(0)


def test_enter_in_a_field_only_saves_never_discards_or_moves_the_article(publisher, live):
    save(publisher, live, title="Tuổi trẻ Ba Bể ra quân tình nguyện")
    html = publisher.get(admin_url("change", live.pk)).content.decode()
    assert "news_article_pending_discard" not in first_submit(html)
    assert 'formaction="' in html and 'value="publish"' in html  # what Enter must not press
    assert 'name="_continue"' in first_submit(html)
    draft = make_article(title="Bản nháp", status=Status.DRAFT)
    html = publisher.get(admin_url("change", draft.pk)).content.decode()
    assert 'name="_continue"' in first_submit(html)
    html = publisher.get(admin_url("add")).content.decode()
    assert 'name="_continue"' in first_submit(html)
