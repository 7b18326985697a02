"""Every e-mail is plain text, queued, and tried again until the mail server takes it."""

import datetime
import logging
from pathlib import Path

import pytest
import time_machine
from django.core import mail as outbox
from django.utils import timezone

from core import mail
from news.models import ArticleTransition
from tests.factories import (
    make_article,
    make_document,
    make_question,
    make_topic,
    make_user,
    queued_mail,
    run_worker,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything a template could print as given: an ampersand, quotes, angle brackets.
TRICKY = 'Đoàn & Hội "Thanh niên" <Bắc Kạn>'


def email_templates():
    """Return the prefix of every e-mail of the project (…/email/<kind>_subject.txt)."""
    folders = [BASE_DIR / "templates"]
    prefixes = set()
    for folder in folders:
        for subject in folder.glob("*/email/*_subject.txt"):
            prefixes.add(subject.relative_to(folder).as_posix().removesuffix("_subject.txt"))
    return sorted(prefixes)


def test_the_walk_finds_the_e_mails_of_every_app():
    found = email_templates()
    assert {"news/email/submitted", "questions/email/answer"} <= set(found)
    assert len(found) >= 6


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", email_templates())
def test_every_e_mail_is_plain_text_with_nothing_escaped(prefix):
    editor = make_user("editor", first_name=TRICKY, last_name="")
    article = make_article(title=TRICKY)
    step = ArticleTransition(article=article, user=editor, action="return", comment=TRICKY)
    question = make_question(name=TRICKY, text=TRICKY, topic=make_topic(name=TRICKY))
    context = {
        "article": article,
        "document": make_document(summary=TRICKY),
        "step": step,
        "actor_name": TRICKY,
        "admin_url": "https://tinhdoan.example/admin/?a=1&b=2",
        "public_url": "https://tinhdoan.example/tin-tuc/a/?a=1&b=2",
        "question": question,
        "answer": TRICKY,
        "tracking_url": "https://tinhdoan.example/hoi-dap/theo-doi/?code=1&x=2",
        "reset_url": "https://tinhdoan.example/admin/dat-lai/?a=1&b=2",
        "user": editor,
    }

    subject, body = mail.render(prefix, context)

    assert "\n" not in subject and subject
    text = subject + "\n" + body
    assert TRICKY in text
    assert "?a=1&b=2" in text or "code=1&x=2" in text
    for escaped in ["&amp;", "&quot;", "&lt;", "&gt;", "&#x27;", "&#39;"]:
        assert escaped not in text


@pytest.mark.django_db(transaction=True)
def test_a_message_is_given_up_and_logged_after_the_last_retry(no_mail_server, caplog):
    mail.deliver.enqueue(
        "Bài chờ duyệt", "Nội dung", "bientap@tinhdoan.example", len(mail.RETRY_DELAYS)
    )
    moment = timezone.now()
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        for _ in range(2):
            with time_machine.travel(moment):
                run_worker()
            moment += mail.RETRY_DELAYS[-1] + datetime.timedelta(minutes=1)
    assert "Gave up the message" in caplog.text
    assert queued_mail() == []
    assert outbox.outbox == []


def test_only_marked_functions_run_after_a_message_is_sent():
    with pytest.raises(ValueError, match="not marked @after_sending"):
        mail.queue("Tiêu đề", "Nội dung", "a@tinhdoan.example", on_sent=(print, []))
