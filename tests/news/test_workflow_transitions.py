import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core import cache, workflow
from news.models import Article, ArticleTransition, Stage
from tests.factories import (
    admin_url,
    change_data,
    form_version,
    logged_in,
    make_article,
    make_user,
    move,
)

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
        response = move(logged_in(client, newsroom["contributor"]), article, "submit")

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

    refused = move(client, article, "return", workflow_comment="  ", lead="Sapo đã sửa")
    article.refresh_from_db()
    assert refused.status_code == 200
    assert article.status == Status.REVIEW
    assert not ArticleTransition.objects.exists()
    page = refused.content.decode()
    assert "Vui lòng ghi rõ tác giả cần sửa gì." in page
    # Nothing was saved, and what was typed is still in the form.
    assert article.lead != "Sapo đã sửa"
    assert "Sapo đã sửa" in page

    with django_capture_on_commit_callbacks(execute=True):
        move(client, article, "return", workflow_comment="Bổ sung số liệu 9 xã & ảnh.")

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


def revision_count(client, article):
    """Return how many saves the article's revisions page lists."""
    page = client.get(admin_url("revisions", article.pk)).content.decode()
    return page.count("Lưu trong trang quản trị")


def test_one_press_of_save_and_submit_is_one_save(
    client, newsroom, monkeypatch, django_capture_on_commit_callbacks
):
    author = newsroom["contributor"]
    article = make_article(title="Ra quân tình nguyện", status=Status.DRAFT, created_by=author)
    client = logged_in(client, author)
    opened = form_version(client.get(admin_url("change", article.pk)))
    revisions_before = revision_count(client, article)
    # Every renewal of the pages' content version the request asks for at its commit.
    renewals = mock.Mock(wraps=cache.bump)
    monkeypatch.setattr(cache, "bump", renewals)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = move(
            client, article, "submit", title="Ra quân tình nguyện hè", edit_version=opened
        )

    assert response.status_code == 302
    assert response["Location"] == admin_url("change", article.pk)
    article.refresh_from_db()
    assert (article.title, article.stage) == ("Ra quân tình nguyện hè", Stage.IN_REVIEW)
    assert article.version == opened + 1
    assert [callback for callback in callbacks if callback is renewals] == [renewals]
    page = client.get(response["Location"]).content.decode()
    assert "“Ra quân tình nguyện hè”: Gửi duyệt." in page
    timeline = page[page.index('class="workflow-timeline"') :]
    assert timeline.count("<li>") == 1
    assert "(Bản nháp → Chờ duyệt)" in timeline
    assert revision_count(client, article) == revisions_before + 1
    assert len(mail.outbox) == 3  # the reviewers, told once


def test_returning_without_a_comment_is_refused_under_the_comment_box(client, newsroom):
    article = make_article(title="Hội nghị", status=Status.REVIEW)
    client = logged_in(client, newsroom["editor"])
    revisions_before = revision_count(client, article)
    version = article.version

    refused = move(client, article, "return", workflow_comment=" ", title="Hội nghị điển hình")

    assert refused.status_code == 200
    page = refused.content.decode()
    [box] = [
        action
        for action in re.findall(r'<div class="workflow-action">(.*?)</div>', page, re.S)
        if 'name="workflow_comment"' in action
    ]
    assert "Vui lòng ghi rõ tác giả cần sửa gì." in box
    assert box.index("Vui lòng ghi rõ") < box.index('name="workflow_comment"')
    assert page.count("Vui lòng ghi rõ tác giả cần sửa gì.") == 1
    article.refresh_from_db()
    assert (article.title, article.stage, article.version) == ("Hội nghị", Stage.IN_REVIEW, version)
    assert revision_count(client, article) == revisions_before
    assert not ArticleTransition.objects.exists()
    # The same rule refuses a return made any other way, naming the same box.
    with pytest.raises(ValidationError) as error:
        workflow.perform(article, "return", newsroom["editor"], comment=" ")
    assert error.value.message_dict == {"workflow_comment": ["Vui lòng ghi rõ tác giả cần sửa gì."]}


def test_approval_keeps_the_article_in_review_and_tells_the_publishers(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = make_article(title="Tin A", status=Status.REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        move(logged_in(client, newsroom["editor"]), article, "approve")
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
        move(logged_in(client, newsroom["publisher"]), article, "publish")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.announced_at is not None
    [message] = mail.outbox
    assert message.to == ["ngoctu@tinhdoan.example"]
    assert message.subject == "Đã đăng: Tin B"
    assert article.get_absolute_url() in message.body


def test_the_timeline_says_each_step_as_the_state_reads(client, newsroom):
    article = make_article(status=Status.DRAFT, created_by=newsroom["contributor"])
    workflow.perform(article, "submit", newsroom["contributor"])
    workflow.perform(article, "return", newsroom["editor"], comment="Tít dài quá.")
    workflow.perform(article, "submit", newsroom["contributor"])
    workflow.perform(article, "approve", newsroom["editor"])
    at = datetime.datetime(2030, 3, 2, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Vietnam
    workflow.perform(article, "publish", newsroom["publisher"], at=at)

    page = logged_in(client, newsroom["publisher"]).get(admin_url("change", article.pk))
    content = page.content.decode()
    timeline = content[content.index('class="workflow-timeline"') :]
    steps = [" ".join(re.sub(r"<[^>]+>", "", step).split()) for step in timeline.split("<li>")[1:]]

    assert len(steps) == 5
    assert "Gửi duyệt (Bản nháp → Chờ duyệt)" in steps[0]
    # A return reads as the state does: returned, not a plain draft.
    assert "Trả lại tác giả (Chờ duyệt → Bị trả lại)" in steps[1]
    assert "Tít dài quá." in steps[1]
    assert "(Bị trả lại → Chờ duyệt)" in steps[2]
    assert "Duyệt bài (Chờ duyệt → Đã duyệt, chờ xuất bản)" in steps[3]
    assert (
        "Hẹn giờ xuất bản lúc 02/03/2030 08:30 (Đã duyệt, chờ xuất bản → Hẹn giờ đăng)"
        in (steps[4])
    )
    assert "Đã xuất bản" not in timeline
    # A scheduled article offers the publisher one move, taking it down: not yet live, a
    # save changes it directly (no pending draft, so no draft's moves), never a reopening.
    assert 'value="archive">Lưu và gỡ bài</button>' in content
    assert 'value="submit"' not in content
    assert 'value="reopen"' not in content


def test_buttons_follow_the_role(client, newsroom):
    article = make_article(status=Status.REVIEW, created_by=newsroom["contributor"])
    editor_page = logged_in(client, newsroom["editor"]).get(admin_url("change", article.pk))
    assert "Lưu và trả lại tác giả</button>" in editor_page.content.decode()
    assert 'value="publish"' not in editor_page.content.decode()
    contributor_page = logged_in(client, newsroom["contributor"]).get(
        admin_url("change", article.pk)
    )
    assert 'value="return"' not in contributor_page.content.decode()


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
            at=datetime.datetime(2025, 3, 2, tzinfo=datetime.UTC),
        )
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    assert not ArticleTransition.objects.exists()


def test_a_returned_article_is_easy_to_spot_and_submitting_again_clears_it(client, newsroom):
    author = newsroom["contributor"]
    article = make_article(title="Bài cần sửa", status=Status.REVIEW, created_by=author)
    workflow.perform(article, "return", newsroom["editor"], comment="Thiếu số liệu 9 xã.")
    article.refresh_from_db()
    assert article.stage == Stage.RETURNED

    client = logged_in(client, author)
    dashboard = client.get("/admin/").content.decode()
    assert '?stage=returned">Bị trả lại</a></th><td>1</td>' in dashboard
    listing = client.get(admin_url("changelist") + "?stage=returned").content.decode()
    assert "Bài cần sửa" in listing
    page = client.get(admin_url("change", article.pk)).content.decode()
    note = page[page.index('class="workflow-returned"') : page.index("</blockquote>")]
    assert "Bientap trả lại bài lúc" in note
    assert "Thiếu số liệu 9 xã." in note

    move(client, article, "submit")
    article.refresh_from_db()
    assert article.stage == Stage.IN_REVIEW
    assert article.returned_at is None


def test_the_dashboard_queues_do_not_overlap(client, newsroom):
    make_article(title="Chờ duyệt", status=Status.REVIEW)
    approved = make_article(title="Đã duyệt", status=Status.REVIEW)
    workflow.perform(approved, "approve", newsroom["editor"])
    dashboard = logged_in(client, newsroom["publisher"]).get("/admin/").content.decode()
    assert '?stage=in_review">Chờ duyệt</a></th><td>1</td>' in dashboard
    assert '?stage=approved">Đã duyệt, chờ xuất bản</a></th><td>1</td>' in dashboard


def bulk(client, action, articles):
    return client.post(
        admin_url("changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_bulk_approval_obeys_the_workflow_article_by_article(client, newsroom):
    waiting = make_article(title="Chờ duyệt", status=Status.REVIEW)
    draft = make_article(title="Còn nháp", status=Status.DRAFT)
    response = bulk(logged_in(client, newsroom["editor"]), "approve_selected", [waiting, draft])
    content = response.content.decode()
    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert waiting.stage == Stage.APPROVED
    assert draft.stage == Stage.DRAFT
    assert "Duyệt bài: 1 bài viết." in content
    assert "“Còn nháp” được giữ nguyên" in content


def test_bulk_publishing_is_offered_to_publishers_only(client, newsroom):
    article = make_article(title="Chờ đăng", status=Status.REVIEW)
    editor = logged_in(client, newsroom["editor"])
    assert 'value="publish_selected"' not in editor.get(admin_url("changelist")).content.decode()
    bulk(editor, "publish_selected", [article])
    article.refresh_from_db()
    assert article.status == Status.REVIEW

    bulk(logged_in(client, newsroom["publisher"]), "publish_selected", [article])
    article.refresh_from_db()
    assert article.stage == Stage.LIVE


def test_a_step_of_the_system_is_mailed_in_its_name(newsroom, django_capture_on_commit_callbacks):
    article = make_article(title="Tin nhập", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(article, "submit", workflow.SYSTEM)
    assert mail.outbox
    assert "Cổng thông tin đã gửi bài “Tin nhập” chờ duyệt." in mail.outbox[0].body


def test_the_admin_history_names_only_what_changed(client, newsroom):
    article = make_article(status=Status.REVIEW, lead="Sapo cũ")
    editor = make_user("editor", username="duc", first_name="Văn Đức", last_name="Trần")
    client = logged_in(client, editor)
    # The body as CKEditor sends it back: written differently, stored the same.
    restyled = article.body.replace("<p>", '<p style="text-align:left">')

    move(client, article, "approve", body=restyled)
    article.refresh_from_db()
    client.post(admin_url("change", article.pk), change_data(article, lead="Sapo mới"))

    page = client.get(admin_url("history", article.pk)).content.decode()
    history = [
        " ".join(re.sub(r"<[^>]+>", "", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    ]
    assert "Trần Văn Đức Đã thay đổi trạng thái." in history[0]  # named family name first
    assert history[1].endswith("Đã thay đổi sapo.")
    assert "Nội dung" not in page
    assert "workflow" not in page
