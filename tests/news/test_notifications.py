"""Workflow mail is queued and retried: no mail server never breaks a move."""

import datetime
import logging
import socket

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news.models import Article
from news.notifications import RETRY_DELAYS, deliver
from tests.factories import logged_in, make_article, make_user, move

Status = Article.Status

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_mail_server(settings):
    """The production set-up (a database queue, SMTP) with nothing listening for SMTP."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    return settings


def mail_server_comes_back(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def queued():
    return list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path="news.notifications.deliver"
        )
    )


def test_submitting_without_a_mail_server_saves_the_move_and_queues_the_mail(
    client, no_mail_server, caplog
):
    author = make_user("contributor", username="ngoctu")
    make_user("editor", username="bientap")
    article = make_article(title="Ra quân tình nguyện", status=Status.DRAFT, created_by=author)

    response = move(logged_in(client, author), article, "submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    [message] = queued()
    assert message.args_kwargs["args"][2] == "bientap@tinhdoan.example"
    assert mail.outbox == []

    # The worker tries while the server is still away: the message waits for a later try.
    with caplog.at_level(logging.WARNING, logger="news.notifications"):
        run_worker()
    assert "Could not send the notification" in caplog.text
    [retry] = queued()
    assert retry.run_after > timezone.now()
    assert mail.outbox == []

    # The server is back and the time of the retry has come: delivered, once.
    mail_server_comes_back(no_mail_server)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
        run_worker()
    assert [message.to for message in mail.outbox] == [["bientap@tinhdoan.example"]]
    assert mail.outbox[0].subject == "Bài chờ duyệt: Ra quân tình nguyện"
    assert queued() == []


def test_a_message_is_given_up_and_logged_after_the_last_retry(no_mail_server, caplog):
    deliver.enqueue("Bài chờ duyệt", "Nội dung", "bientap@tinhdoan.example", len(RETRY_DELAYS))
    moment = timezone.now()
    with caplog.at_level(logging.WARNING, logger="news.notifications"):
        for _ in range(2):
            with time_machine.travel(moment):
                run_worker()
            moment += RETRY_DELAYS[-1] + datetime.timedelta(minutes=1)
    assert "Gave up the notification" in caplog.text
    assert queued() == []
    assert mail.outbox == []


def test_locally_mail_is_sent_at_once_and_a_failure_is_only_logged(client, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    author = make_user("contributor", username="ngoctu")
    make_user("editor", username="bientap")
    article = make_article(status=Status.DRAFT, created_by=author)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }

    with caplog.at_level(logging.ERROR, logger="news.notifications"):
        response = move(logged_in(client, author), article, "submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert "Gave up the notification" in caplog.text
