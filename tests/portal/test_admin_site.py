"""The admin's "view on site" redirect tells nobody the address of what readers cannot open."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core import workflow
from documents.models import Document
from news.models import Article, TrashedArticle
from tests.factories import (
    HIDDEN_STAGES,
    logged_in,
    make_article,
    make_article_at,
    make_category,
    make_commune,
    make_document,
    make_intro_page,
    make_program,
    make_user,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def view_on_site(obj, model=None):
    content_type = ContentType.objects.get_for_model(model or obj, for_concrete_model=False)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


def test_every_model_with_a_public_address_says_when_readers_may_open_it():
    # Forgetting the declaration would only hide the redirect; this says which model forgot.
    addressed = [model for model in apps.get_models() if hasattr(model, "get_absolute_url")]
    assert {model._meta.label for model in addressed} >= {"news.Article", "about.IntroPage"}
    assert [model for model in addressed if not callable(getattr(model, "is_public", None))] == []


@pytest.mark.parametrize("role", ["contributor", "editor", "publisher"])
def test_no_one_is_sent_to_the_address_of_a_draft_or_a_trashed_article(client, role):
    author = make_user("contributor", username="tacgia")
    draft = make_article(title="Nhân sự Ban Thường vụ khoá mới", status=Status.DRAFT)
    mine = make_article(title="Bản nháp của tác giả", status=Status.DRAFT, created_by=author)
    trashed = make_article(title="Bài đã xoá vì sai sót")
    workflow.perform(trashed, "trash", workflow.SYSTEM)
    taken_down = make_article(title="Bài đã gỡ")
    workflow.perform(taken_down, "archive", workflow.SYSTEM)
    user = author if role == "contributor" else make_user(role)
    logged_in(client, user)

    for path in [
        view_on_site(draft),
        view_on_site(mine),
        view_on_site(trashed),
        view_on_site(trashed, model=TrashedArticle),
        view_on_site(taken_down),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Location" not in response
        assert "nhan-su" not in response.content.decode()


def test_a_published_article_is_shown_to_whoever_may_see_it_in_the_admin(client):
    author = make_user("contributor", username="tacgia")
    mine = make_article(title="Tin đã đăng của tác giả", created_by=author)
    other = make_article(title="Tin đã đăng của người khác")

    logged_in(client, author)
    assert client.get(view_on_site(mine))["Location"] == mine.get_absolute_url()
    # Not in the contributor's admin: not answered, published or not.
    assert client.get(view_on_site(other)).status_code == 404
    logged_in(client, make_user("editor"))
    assert client.get(view_on_site(other))["Location"] == other.get_absolute_url()


def test_other_public_pages_are_redirected_to_and_hidden_ones_are_not(client):
    logged_in(client, make_user("superuser", username="quantri"))
    shown = make_intro_page("Lịch sử truyền thống")
    hidden_parent = make_intro_page("Trang đang soạn", is_visible=False)
    under_hidden = make_intro_page("Trang con", parent=hidden_parent)
    for obj in [make_category(), make_commune(), make_program(2024), shown]:
        assert client.get(view_on_site(obj))["Location"] == obj.get_absolute_url()
    for obj in [hidden_parent, under_hidden]:
        assert client.get(view_on_site(obj)).status_code == 404


@pytest.mark.parametrize("path", ["/admin/r/999999/1/", "/admin/r/{ct}/abc/", "/admin/r/{ct}/0/"])
def test_unknown_types_and_objects_are_not_found(client, path):
    logged_in(client, make_user("publisher"))
    path = path.format(ct=ContentType.objects.get_for_model(Article).pk)
    assert client.get(path).status_code == 404


def test_the_redirect_is_for_staff_only(client):
    article = make_article()
    response = client.get(view_on_site(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_document_is_redirected_to_only_once_published(client):
    logged_in(client, make_user("superuser", username="quantri"))
    published = make_document()
    draft = make_document(number="20-KH/TĐTN", status=Document.Status.DRAFT)
    assert client.get(view_on_site(published))["Location"] == published.get_absolute_url()
    assert client.get(view_on_site(draft)).status_code == 404


def test_each_row_and_its_models_public_rows_agree_on_what_readers_may_open():
    # is_public() answers for one row (the admin's "view on site"), public_objects() for
    # a model (old addresses redirect only to these): the two must never disagree.
    now = timezone.now()
    for stage in ["live", *HIDDEN_STAGES]:
        make_article_at(workflow.Stage(stage), now)
    make_document()
    make_document(number="20-KH/TĐTN", status=Document.Status.DRAFT)
    hidden_parent = make_intro_page("Trang đang soạn", is_visible=False)
    make_intro_page("Trang con", parent=hidden_parent)
    make_intro_page("Lịch sử truyền thống")
    make_category()
    make_commune()
    both = [
        model
        for model in apps.get_models()
        if callable(getattr(model, "is_public", None))
        and callable(getattr(model, "public_objects", None))
    ]
    assert {model._meta.label for model in both} >= {"news.Article", "about.IntroPage"}
    for model in both:
        public = set(model.public_objects().values_list("pk", flat=True))
        rows = model._default_manager.all()
        assert rows.exists(), model._meta.label
        for row in rows:
            assert row.is_public() is (row.pk in public), (model._meta.label, row)
