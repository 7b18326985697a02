import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from core import workflow
from news.models import Article
from tests.factories import admin_url, change_data, form_version, logged_in, make_article, make_user


@pytest.mark.django_db
def test_the_second_save_is_refused_and_keeps_the_second_editors_text():
    first = logged_in(Client(), make_user("editor", username="lan", last_name="Hoàng"))
    second = logged_in(Client(), make_user("editor", username="minh"))
    article = make_article(title="Tít gốc", status=Article.Status.REVIEW)
    url = admin_url("change", article.pk)

    # Both open the article, at the same version.
    opened = form_version(first.get(url))
    assert form_version(second.get(url)) == opened

    with time_machine.travel(datetime.datetime(2025, 3, 25, 9, 41, tzinfo=ZoneInfo("UTC"))):
        saved = first.post(url, change_data(article, title="Tít của Lan", edit_version=opened))
    assert saved.status_code == 302

    refused = second.post(
        url, change_data(article, title="Tít của Minh", lead="Sapo Minh viết", edit_version=opened)
    )
    content = refused.content.decode()
    assert refused.status_code == 200
    assert "Hoàng Lan đã lưu bài viết này lúc 16:41 25/03/2025" in content
    assert "CHƯA được lưu" in content
    # Minh's text is still in the form; Lan's is what is stored.
    assert 'value="Tít của Minh"' in content
    assert "Sapo Minh viết" in content
    article.refresh_from_db()
    assert article.title == "Tít của Lan"

    # Having been told, Minh saves again on purpose: the form now carries Lan's version.
    again = second.post(
        url, change_data(article, title="Tít đã gộp", edit_version=form_version(refused))
    )
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tít đã gộp"


@pytest.mark.django_db
def test_a_workflow_step_in_between_also_stops_a_stale_save(client):
    editor = make_user("editor")
    article = make_article(title="Tít gốc", status=Article.Status.REVIEW)
    url = admin_url("change", article.pk)
    opened = form_version(logged_in(client, editor).get(url))
    workflow.perform(article, "approve", make_user("publisher"))

    response = client.post(url, change_data(article, title="Tít mới", edit_version=opened))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Tít gốc"
    assert article.approved_at is not None


@pytest.mark.django_db
def test_a_button_is_judged_on_the_article_as_stored_when_it_is_saved(client, monkeypatch):
    from news.admin import ArticleAdmin

    article = make_article(title="Tít gốc", status=Article.Status.REVIEW)
    read_first = Article.objects.get(pk=article.pk)
    published = workflow.perform(article, "publish", make_user("publisher"))
    # The page read the article just before the publisher's move was committed.
    monkeypatch.setattr(ArticleAdmin, "get_object", lambda *args, **kwargs: read_first)
    data = change_data(
        read_first,
        title="Tít mới",
        edit_version=published.version,
        workflow_action="return",
        workflow_comment="Sửa tít.",
    )

    response = logged_in(client, make_user("editor")).post(admin_url("change", article.pk), data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Tít gốc", Article.Status.PUBLISHED)
    assert list(article.transitions.values_list("action", flat=True)) == ["publish"]
