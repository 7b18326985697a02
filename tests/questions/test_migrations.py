"""The migration that turns the plain-text answers into rich text, and back (questions 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from questions.models import Question

PLAIN_TEXT = [("questions", "0002_default_topics")]
RICH_TEXT = [("questions", "0003_rich_text_answer")]

WRITTEN = (
    "Bạn liên hệ Đoàn cơ sở nơi sinh hoạt.\r\n"
    "Mang theo thẻ đoàn viên & sổ đoàn viên <bản chính>.\r\n"
    "\r\n"
    "\r\n"
    "Trân trọng."
)
AS_HTML = (
    "<p>Bạn liên hệ Đoàn cơ sở nơi sinh hoạt.<br>"
    "Mang theo thẻ đoàn viên &amp; sổ đoàn viên &lt;bản chính&gt;.</p>\n\n"
    "<p>Trân trọng.</p>"
)
AS_TEXT = (
    "Bạn liên hệ Đoàn cơ sở nơi sinh hoạt.\n"
    "Mang theo thẻ đoàn viên & sổ đoàn viên <bản chính>.\n\n"
    "Trân trọng."
)


def migrate(targets):
    """Migrate to targets; return the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def store_answers(models, answers):
    """Store an answered question for each answer; return their primary keys."""
    OldQuestion = models.get_model("questions", "Question")
    topic = models.get_model("questions", "Topic").objects.get_or_create(name="Công tác Đoàn")[0]
    return [
        OldQuestion.objects.create(
            tracking_code=f"ABCD{number:04d}",
            name="Hoàng Văn Bình",
            email="binh@nguoidan.example",
            topic=topic,
            text="Xin hỏi thủ tục chuyển sinh hoạt Đoàn?",
            status="answered" if answer else "new",
            answer=answer,
        ).pk
        for number, answer in enumerate(answers)
    ]


@pytest.mark.django_db(transaction=True)
def test_plain_text_answers_become_the_html_the_pages_showed():
    old = migrate(PLAIN_TEXT)
    try:
        written, unanswered = store_answers(old, [WRITTEN, ""])
    finally:
        migrate(latest())

    assert Question.objects.get(pk=written).answer == AS_HTML
    assert Question.objects.get(pk=unanswered).answer == ""


@pytest.mark.django_db(transaction=True)
def test_going_back_turns_rich_answers_into_readable_text():
    new = migrate(RICH_TEXT)
    try:
        rich = (
            '<p>Xem <a href="https://tinhdoan.example/huong-dan?muc=1&amp;trang=2" '
            'rel="noopener noreferrer">hướng dẫn</a>:</p>\n\n'
            "<ul>\n\t<li>làm đơn;</li>\n\t<li>nộp&nbsp;cho Đoàn xã.</li>\n</ul>"
        )
        converted, written = store_answers(new, [AS_HTML, rich])
        OldQuestion = migrate(PLAIN_TEXT).get_model("questions", "Question")
        answers = dict(OldQuestion.objects.values_list("pk", "answer"))
    finally:
        migrate(latest())

    assert answers[converted] == AS_TEXT
    assert answers[written] == (
        "Xem hướng dẫn (https://tinhdoan.example/huong-dan?muc=1&trang=2):\n\n"
        "- làm đơn;\n\n"
        "- nộp cho Đoàn xã."
    )
    # And forward again: the round trip keeps the answer as it was.
    assert Question.objects.get(pk=converted).answer == AS_HTML
