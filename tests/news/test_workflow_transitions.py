import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from news import workflow
from news.models import Article, ArticleTransition
from tests.conftest import make_article
from tests.news.workflow_support import admin_url, logged_in, make_user

Status = Article.Status


@pytest.fixture
def newsroom(db):
    return {
        "contributor": make_user("contributor", username="ngoctu"),
        "editor": make_user("editor", username="bientap"),
        "editor2": make_user("editor", username="bientap2"),
        "publisher": make_user("publisher", username="tongbientap"),
    }


def test_submitting_tells_every_reviewer_and_only_them(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = make_article(title="Ra quân tình nguyện", status=Status.DRAFT)
    article.created_by = newsroom["contributor"]
    article.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, newsroom["contributor"]).post(
            admin_url("transition", article.pk, "submit")
        )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    recipients = sorted(message.to[0] for message in mail.outbox)
    # Editors and the publisher review; the contributor is not told of their own step.
    assert recipients == [
        "bientap2@tinhdoan.example",
        "bientap@tinhdoan.example",
        "tongbientap@tinhdoan.example",
    ]
    assert mail.outbox[0].subject == "Bài chờ duyệt: Ra quân tình nguyện"
    assert f"/admin/news/article/{article.pk}/change/" in mail.outbox[0].body


def test_returning_needs_a_comment_and_mails_it_to_the_author(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = make_article(
        title="Hội nghị", status=Status.REVIEW, created_by=newsroom["contributor"]
    )
    client = logged_in(client, newsroom["editor"])

    refused = client.post(admin_url("transition", article.pk, "return"), {"comment": "  "})
    article.refresh_from_db()
    assert refused.status_code == 302
    assert article.status == Status.REVIEW
    assert not ArticleTransition.objects.exists()
    page = client.get(admin_url("change", article.pk)).content.decode()
    assert "Vui lòng ghi rõ tác giả cần sửa gì." in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            admin_url("transition", article.pk, "return"),
            {"comment": "Bổ sung số liệu 9 xã & ảnh."},
        )

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    [message] = mail.outbox
    assert message.to == ["ngoctu@tinhdoan.example"]
    assert message.subject == "Bài bị trả lại: Hội nghị"
    # Plain-text mail: the comment as written, not HTML-escaped.
    assert "Bổ sung số liệu 9 xã & ảnh." in message.body
    step = ArticleTransition.objects.get()
    assert (step.user, step.from_status, step.to_status, step.comment) == (
        newsroom["editor"],
        Status.REVIEW,
        Status.DRAFT,
        "Bổ sung số liệu 9 xã & ảnh.",
    )


def test_approval_keeps_the_article_in_review_and_tells_the_publishers(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = make_article(title="Tin A", status=Status.REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, newsroom["editor"]).post(admin_url("transition", article.pk, "approve"))
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert article.approved_at is not None
    assert [m.to for m in mail.outbox] == [["tongbientap@tinhdoan.example"]]
    assert mail.outbox[0].subject == "Chờ xuất bản: Tin A"
    # Approving twice is not a step.
    assert not workflow.is_allowed(newsroom["editor2"], article, "approve")


def test_publishing_now_tells_the_author(client, newsroom, django_capture_on_commit_callbacks):
    article = make_article(title="Tin B", status=Status.REVIEW, created_by=newsroom["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, newsroom["publisher"]).post(
            admin_url("transition", article.pk, "publish")
        )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.announced_at is not None
    [message] = mail.outbox
    assert message.to == ["ngoctu@tinhdoan.example"]
    assert message.subject == "Đã đăng: Tin B"
    assert article.get_absolute_url() in message.body


def test_the_timeline_shows_every_step_on_the_change_page(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = make_article(status=Status.DRAFT, created_by=newsroom["contributor"])
    workflow.perform(article, "submit", newsroom["contributor"])
    workflow.perform(article, "return", newsroom["editor"], comment="Tít dài quá.")
    workflow.perform(article, "submit", newsroom["contributor"])
    workflow.perform(article, "publish", newsroom["publisher"])

    page = logged_in(client, newsroom["publisher"]).get(admin_url("change", article.pk))
    content = page.content.decode()

    steps = list(ArticleTransition.objects.values_list("action", flat=True))
    assert steps == ["submit", "return", "submit", "publish"]
    assert "Diễn biến" in content
    assert content.count("Bản nháp → Chờ duyệt") == 2
    assert "Chờ duyệt → Bản nháp" in content
    assert "Tít dài quá." in content
    assert "Chờ duyệt → Đã xuất bản" in content
    # A published article offers the publisher exactly one move: taking it down.
    assert "Gỡ bài" in content
    assert "Gửi duyệt" not in content


def test_buttons_follow_the_role(client, newsroom):
    article = make_article(status=Status.REVIEW, created_by=newsroom["contributor"])
    editor_page = logged_in(client, newsroom["editor"]).get(admin_url("change", article.pk))
    assert "Trả lại tác giả" in editor_page.content.decode()
    assert "Xuất bản</button>" not in editor_page.content.decode()
    contributor_page = logged_in(client, newsroom["contributor"]).get(
        admin_url("change", article.pk)
    )
    assert "Trả lại tác giả" not in contributor_page.content.decode()


def test_perform_checks_the_state_it_reads_from_the_database(newsroom):
    article = make_article(status=Status.REVIEW)
    stale = Article.objects.get(pk=article.pk)
    workflow.perform(article, "publish", newsroom["publisher"])
    # The stale copy still says "review"; the move is judged on the stored state.
    with pytest.raises(PermissionDenied):
        workflow.perform(stale, "return", newsroom["editor"], comment="Sửa")
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_an_expiry_before_the_publication_time_is_refused(newsroom):
    article = make_article(status=Status.REVIEW)
    article.expires_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    article.save()
    with pytest.raises(ValidationError):
        workflow.perform(
            article,
            "publish",
            newsroom["publisher"],
            publish_at=datetime.datetime(2025, 3, 2, tzinfo=datetime.UTC),
        )
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    assert not ArticleTransition.objects.exists()
