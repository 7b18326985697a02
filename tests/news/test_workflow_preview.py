import datetime

import pytest
import time_machine
from django.core import signing

from core import workflow
from news.models import SHARE_SALT, Article
from tests.factories import (
    ARTICLE_QUERIES,
    admin_url,
    logged_in,
    make_article,
    make_photo,
    make_user,
)

Status = Article.Status


@pytest.fixture
def draft(db):
    return make_article(title="Bản nháp bí mật", status=Status.DRAFT)


def assert_private(response):
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_staff_preview_shows_the_draft_as_the_public_page_would(client, draft):
    make_photo(draft, caption="Ảnh đoàn viên ra quân", position=1)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = logged_in(client, make_user("editor")).get(draft.get_preview_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "news/article_detail.html"
    assert "<h1>Bản nháp bí mật</h1>" in content
    assert "<figcaption>Ảnh đoàn viên ra quân" in content
    assert "Bản xem trước" in content
    assert_private(response)


def test_the_public_page_shows_no_preview_banner(client, db):
    article = make_article(title="Tin công khai")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Tin công khai" in content
    assert "Bản xem trước" not in content


def test_staff_preview_needs_an_account_that_may_see_the_article(client, draft):
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    contributor = make_user("contributor")  # not the author
    assert logged_in(client, contributor).get(draft.get_preview_url()).status_code == 404


def test_a_share_link_opens_one_draft_without_logging_in(client, draft):
    link = draft.get_share_url()
    response = client.get(link)
    assert response.status_code == 200
    assert "<h1>Bản nháp bí mật</h1>" in response.content.decode()
    assert_private(response)
    assert client.post(link).status_code == 405


def test_a_share_link_expires_after_seven_days(client, draft):
    with time_machine.travel(datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC)):
        link = draft.get_share_url()
    with time_machine.travel(datetime.datetime(2025, 3, 7, 8, 0, tzinfo=datetime.UTC)):
        assert client.get(link).status_code == 200
    with time_machine.travel(datetime.datetime(2025, 3, 8, 8, 1, tzinfo=datetime.UTC)):
        response = client.get(link)
    content = response.content.decode()
    assert response.status_code == 403
    assert "Liên kết xem trước này đã hết hạn" in content
    assert "Bản nháp bí mật" not in content
    assert_private(response)


def test_a_tampered_share_link_is_refused(client, draft):
    other = make_article(title="Bài khác chưa đăng", status=Status.DRAFT)
    token = signing.dumps(draft.pk, salt=SHARE_SALT)
    payload, rest = token.split(":", 1)
    forged_payload = signing.dumps(other.pk, salt=SHARE_SALT).split(":", 1)[0]
    for bad in [
        f"{forged_payload}:{rest}",  # another article's id with this link's signature
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        signing.dumps(other.pk, salt="another-purpose"),
    ]:
        response = client.get(f"/xem-truoc/{bad}/")
        assert response.status_code == 403
        content = response.content.decode()
        assert "Liên kết xem trước này không hợp lệ" in content
        assert "Bài khác chưa đăng" not in content


def test_a_share_link_of_a_trashed_article_is_gone(client, draft):
    link = draft.get_share_url()
    workflow.perform(draft, "trash", workflow.SYSTEM)
    assert client.get(link).status_code == 404


def test_the_change_page_offers_preview_and_share_link(client, draft):
    content = logged_in(client, make_user("editor")).get(admin_url("change", draft.pk))
    content = content.content.decode()
    assert draft.get_preview_url() in content
    assert "http://testserver/xem-truoc/" in content


@pytest.mark.usefixtures("rendered_fresh")
@pytest.mark.parametrize("others", [1, 8])
def test_the_public_article_page_keeps_its_query_count(
    client, db, others, django_assert_num_queries
):
    article = make_article(title="Tin chính")
    make_photo(article)
    for number in range(others):
        make_article(title=f"Tin khác {number}")
    # Without a category it has no related news; "Tin khác" is read once for all pages.
    client.get(article.get_absolute_url())
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("Tin khác ") == min(others, 6)


def test_view_on_the_site_is_offered_only_for_what_readers_can_open(client, draft):
    editor = logged_in(client, make_user("editor"))
    page = editor.get(admin_url("change", draft.pk)).content.decode()
    assert "/r/" not in page  # Django's "view on site" redirect
    assert "Xem trên trang web" not in page
    live = make_article(title="Tin đang đăng")
    page = logged_in(client, make_user("publisher")).get(admin_url("change", live.pk))
    assert "Xem trên trang web" in page.content.decode()
