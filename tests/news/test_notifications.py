"""Workflow mail is queued and retried: no mail server never breaks a move."""

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from news.models import Article
from tests.factories import (
    closed_port,
    logged_in,
    mail_server_comes_back,
    make_article,
    make_user,
    move,
    queued_mail,
    run_worker,
)

Status = Article.Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_submitting_without_a_mail_server_saves_the_move_and_queues_the_mail(
    client, no_mail_server, caplog
):
    author = make_user("contributor", username="ngoctu")
    make_user("editor", username="bientap")
    # Subjects and bodies are plain text: nothing in the title is HTML-escaped.
    title = 'Đoàn & Hội "Thanh niên" ra quân'
    article = make_article(title=title, status=Status.DRAFT, created_by=author)

    response = move(logged_in(client, author), article, "submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    [message] = queued_mail()
    assert message.args_kwargs["args"][2] == "bientap@tinhdoan.example"
    assert mail.outbox == []

    # The worker tries while the server is still away: the message waits for a later try.
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        run_worker()
    assert "Could not send the message" in caplog.text
    [retry] = queued_mail()
    assert retry.run_after > timezone.now()
    assert mail.outbox == []

    # The server is back and the time of the retry has come: delivered, once.
    mail_server_comes_back(no_mail_server)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
        run_worker()
    assert [message.to for message in mail.outbox] == [["bientap@tinhdoan.example"]]
    assert mail.outbox[0].subject == f"Bài chờ duyệt: {title}"
    assert f"“{title}”" in mail.outbox[0].body
    assert queued_mail() == []


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

    with caplog.at_level(logging.ERROR, logger="core.mail"):
        response = move(logged_in(client, author), article, "submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert "Gave up the message" in caplog.text
