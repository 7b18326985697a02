import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core import workflow
from news.models import Article
from tests.factories import admin_url, logged_in, make_article, make_user

Status = Article.Status
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute, second=0, day=25):
    return datetime.datetime(2025, 3, day, hour, minute, second, tzinfo=HANOI)


@pytest.fixture
def scheduled(db):
    """An article a publisher scheduled at 06:00 for 07:00 on 25/03/2025."""
    author = make_user("contributor", username="ngoctu")
    publisher = make_user("publisher")
    article = make_article(title="Tin hẹn giờ", status=Status.REVIEW, created_by=author)
    with time_machine.travel(at(6, 0), tick=False):
        workflow.perform(article, "publish", publisher, at=at(7, 0))
    article.refresh_from_db()
    return article


def is_public(client, article):
    page = client.get(article.get_absolute_url())
    listed = article.title in client.get("/tin-tuc/").content.decode()
    assert (page.status_code == 200) == listed
    return listed


def test_a_scheduled_article_appears_at_the_exact_minute(client, scheduled):
    other = make_article(title="Tin đã đăng", published_at=at(5, 0))
    with time_machine.travel(at(6, 59, 59), tick=False):
        assert not is_public(client, scheduled)
        assert "Tin hẹn giờ" not in client.get(other.get_absolute_url()).content.decode()
    with time_machine.travel(at(7, 0), tick=False):
        assert is_public(client, scheduled)
        # "Tin khác" on another article's page uses the same rule.
        assert "Tin hẹn giờ" in client.get(other.get_absolute_url()).content.decode()


def test_an_article_leaves_the_site_at_its_expiry_time(client, db):
    article = make_article(
        title="Thông báo tuyển dụng", published_at=at(7, 0), expires_at=at(17, 0)
    )
    with time_machine.travel(at(16, 59, 59), tick=False):
        assert is_public(client, article)
    with time_machine.travel(at(17, 0), tick=False):
        assert not is_public(client, article)
        assert not Article.objects.published().exists()
        # Still in the admin, marked as expired.
        listing = logged_in(client, make_user("publisher")).get(admin_url("changelist"))
        assert "Thông báo tuyển dụng" in listing.content.decode()
        assert "Đã hết hạn" in listing.content.decode()


def test_an_archived_article_is_gone_from_the_site(client, db):
    article = make_article(title="Tin cũ")
    workflow.perform(article, "archive", make_user("publisher"))
    assert not is_public(client, article)


def test_publish_scheduled_announces_once_when_the_moment_has_come(scheduled):
    with time_machine.travel(at(6, 59), tick=False):
        call_command("publish_scheduled", stdout=io.StringIO())
        assert mail.outbox == []
    with time_machine.travel(at(7, 0), tick=False):
        call_command("publish_scheduled", stdout=io.StringIO())
    with time_machine.travel(at(7, 5), tick=False):
        call_command("publish_scheduled", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["ngoctu@tinhdoan.example"]
    assert message.subject == "Đã đăng: Tin hẹn giờ"
    scheduled.refresh_from_db()
    assert scheduled.announced_at == at(7, 0)


def test_publish_scheduled_reports_its_count(scheduled, capsys):
    with time_machine.travel(at(8, 0), tick=False):
        call_command("publish_scheduled")
        call_command("publish_scheduled")
    # Each model that goes through the workflow is announced (core.notifications).
    assert capsys.readouterr().out.splitlines() == [
        "1 article(s) announced.",
        "0 document(s) announced.",
        "0 article(s) announced.",
        "0 document(s) announced.",
    ]


def test_articles_published_before_the_workflow_are_not_announced(db):
    make_article(title="Tin cũ")  # created directly, as the importer does
    # The migration marks existing ones; new direct creations have no author to mail.
    call_command("publish_scheduled", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_admin_shows_what_is_scheduled(client, scheduled):
    make_article(title="Tin đã đăng", published_at=at(5, 0))
    with time_machine.travel(at(6, 30), tick=False):
        client = logged_in(client, make_user("publisher", username="lanhdao"))
        listing = client.get(admin_url("changelist") + "?stage=scheduled").content.decode()
        dashboard = client.get("/admin/").content.decode()
    assert "Tin hẹn giờ" in listing
    assert "Tin đã đăng" not in listing
    assert "07:00 25/03/2025" in listing
    assert "Hẹn giờ đăng" in dashboard
    assert '?stage=scheduled">Hẹn giờ đăng</a></th><td>1</td>' in dashboard
