"""The editor's Content-Security-Policy follows the editor: every admin form that draws it,
found by walking the admin, and no admin page without it."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.csp import build_policy

from tests.factories import (
    make_article,
    make_image,
    make_question,
    make_rich_text_editor,
    make_rich_text_row,
    make_user,
    rich_text_forms,
)

pytestmark = pytest.mark.django_db

EDITOR_POLICY = build_policy(settings.EDITOR_CSP)
STRICT_POLICY = build_policy(settings.SECURE_CSP)


def test_the_walk_finds_the_rich_text_forms_of_today():
    found = {(form.model._meta.label, field) for form in rich_text_forms() for field in form.fields}
    assert found >= {
        ("news.Article", "body"),
        ("about.IntroPage", "body"),
        ("about.IntroPage", "body_en"),
        ("questions.Question", "answer"),
    }
    # The trash shows articles but edits none: no editor there.
    assert "news.TrashedArticle" not in {form.model._meta.label for form in rich_text_forms()}


@pytest.mark.parametrize("form", rich_text_forms(), ids=str)
def test_every_rich_text_form_gets_the_editor_s_policy(client, form):
    editor = make_rich_text_editor(form)
    texts = {field: f"<p>Văn bản đã lưu của ô {field}.</p>" for field in form.fields}
    row = make_rich_text_row(form, editor, texts)
    client.force_login(editor)
    response = client.get(form.change_url(row))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == EDITOR_POLICY
    page = response.content.decode()
    for field, name in form.input_names().items():
        assert f'name="{name}"' in page
        assert f"Văn bản đã lưu của ô {field}." in page


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:news_article_changelist",
        "admin:photos_image_changelist",
        "admin:questions_question_changelist",
    ],
)
def test_admin_pages_without_rich_text_keep_the_strict_policy(client, url_name):
    make_article()
    make_image()
    make_question()
    client.force_login(make_user("publisher"))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert "ckeditor" not in response.content.decode()
