"""Staff handle the public's questions in the admin: assign, answer by e-mail, publish."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from questions.models import Question
from tests.factories import (
    form_errors,
    logged_in,
    mail_server_comes_back,
    make_question,
    make_user,
    queued_mail,
    run_worker,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")
# Session, user, count, page of questions with topics and assignees, the
# filters' choices (topics, assignees), the date hierarchy.
QUESTION_LIST_QUERIES = 9


def change_url(question):
    return reverse("admin:questions_question_change", args=[question.pk])


def answer_data(question, **fields):
    data = {
        "status": question.status,
        "assigned_to": question.assigned_to_id or "",
        "answer": question.answer,
        "public_text": question.public_text,
    }
    if question.is_published:
        data["is_published"] = "on"
    data.update(fields)
    return {key: value for key, value in data.items() if value is not False}


@pytest.mark.parametrize(
    ("role", "status"), [("editor", 200), ("publisher", 200), ("contributor", 403)]
)
def test_editors_and_leaders_see_the_questions(client, role, status):
    make_question()
    logged_in(client, make_user(role))
    assert client.get(CHANGELIST).status_code == status


def test_the_list_shows_status_and_assignee_with_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries
):
    editor = make_user("editor")
    for number in range(5):
        make_question(text=f"Câu hỏi {number}", assigned_to=editor)
    response = admin_client.get(CHANGELIST)
    page = response.content.decode()
    assert page.count('class="field-code"') == 5
    assert "Mới" in page
    with django_assert_num_queries(QUESTION_LIST_QUERIES):
        admin_client.get(CHANGELIST)


def test_questions_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:questions_question_add")).status_code == 403


def test_the_asker_s_words_and_contact_details_are_read_only(admin_client):
    question = make_question()
    admin_client.post(
        change_url(question), answer_data(question, text="Đổi nội dung", email="x@example.com")
    )
    question.refresh_from_db()
    assert question.text == "Xin hỏi thủ tục chuyển sinh hoạt Đoàn?"
    assert question.email == "binh@nguoidan.example"


# The mail is queued when the admin's transaction commits, before the page
# answers: these tests commit for real, so that the message reaches the page.
# Locally (the tests' settings) queued mail is sent at once.
@pytest.mark.django_db(transaction=True)
def test_answering_by_e_mail_marks_the_question_answered_and_mails_the_asker(client):
    editor = make_user("editor")
    question = make_question()
    logged_in(client, editor)
    answer = (
        '<p>Bạn liên hệ <a href="https://tinhdoan.example/co-so">Đoàn cơ sở</a>,'
        " mang theo:</p>\n<ul>\n\t<li>thẻ đoàn viên;</li>\n\t<li>sổ đoàn viên.</li>\n</ul>"
        '\n<p>Hỏi thêm: <a href="mailto:vanphong@tinhdoan.example">vanphong@tinhdoan.example</a>'
        "</p>"
    )
    response = client.post(
        change_url(question), answer_data(question, answer=answer, send_answer="on"), follow=True
    )
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_by == editor
    assert question.answered_at is not None
    assert question.answer_emailed_at is not None
    assert [message.to for message in mail.outbox] == [["binh@nguoidan.example"]]
    message = mail.outbox[0]
    assert message.subject == f"Trả lời câu hỏi của bạn (mã {question.code})"
    assert "Kính gửi Hoàng Văn Bình," in message.body
    # Plain text: each paragraph and list item on its own, a link's address after its text.
    assert (
        "Trả lời:\n"
        "Bạn liên hệ Đoàn cơ sở (https://tinhdoan.example/co-so), mang theo:\n\n"
        "- thẻ đoàn viên;\n\n"
        "- sổ đoàn viên.\n\n"
        "Hỏi thêm: vanphong@tinhdoan.example\n\n"
    ) in message.body
    assert "<" not in message.body
    assert f"/hoi-dap/theo-doi/?code={question.code}" in message.body
    assert (
        "Câu trả lời sẽ được gửi qua thư tới binh@nguoidan.example trong giây lát."
        in response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_without_a_mail_server_the_answer_is_kept_and_sent_once_the_server_is_back(
    admin_client, no_mail_server
):
    question = make_question()
    response = admin_client.post(
        change_url(question),
        answer_data(question, answer="Câu trả lời.", send_answer="on"),
        follow=True,
    )
    question.refresh_from_db()
    assert question.answer == "Câu trả lời."
    assert question.status == Question.Status.ANSWERED
    assert "sẽ được gửi qua thư tới binh@nguoidan.example" in response.content.decode()
    # Saving only queued the answer; the worker tries until the mail server takes it.
    assert len(queued_mail()) == 1
    run_worker()
    question.refresh_from_db()
    assert question.answer_emailed_at is None
    mail_server_comes_back(no_mail_server)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
    question.refresh_from_db()
    assert question.answer_emailed_at is not None
    assert [message.to for message in mail.outbox] == [["binh@nguoidan.example"]]

    # Sent again on demand with the action.
    response = admin_client.post(
        CHANGELIST, {"action": "email_answers", "_selected_action": [question.pk]}, follow=True
    )
    assert "Thư trả lời sẽ được gửi trong giây lát: 1" in response.content.decode()
    assert len(queued_mail()) == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"send_answer": "on", "answer": ""}, "Hãy viết câu trả lời trước khi gửi."),
        (
            {"status": "answered", "answer": ""},
            "Câu hỏi ở trạng thái đã trả lời phải có câu trả lời.",
        ),
        # CKEditor's text deleted: what it posts shows nothing, and is no answer.
        ({"send_answer": "on", "answer": "<p>&nbsp;</p>"}, "Hãy viết câu trả lời trước khi gửi."),
        (
            {"status": "answered", "answer": "<p>&nbsp;</p>\n\n<p><br></p>"},
            "Câu hỏi ở trạng thái đã trả lời phải có câu trả lời.",
        ),
        ({"is_published": "on", "answer": "Có"}, "Chỉ đăng được câu hỏi đã trả lời."),
    ],
)
def test_inconsistent_answers_are_refused_with_a_clear_message(admin_client, fields, error):
    question = make_question()
    response = admin_client.post(change_url(question), answer_data(question, **fields))
    assert response.status_code == 200
    assert error in form_errors(response)
    question.refresh_from_db()
    assert question.status == Question.Status.NEW


def test_an_answer_cannot_be_mailed_to_an_asker_without_e_mail(admin_client):
    question = make_question(email="", phone="0912 345 678")
    response = admin_client.post(
        change_url(question), answer_data(question, answer="Có.", send_answer="on")
    )
    assert "Người hỏi không để lại địa chỉ thư điện tử." in form_errors(response)


def test_editors_answer_but_only_leaders_publish(client):
    question = make_question()
    editor = make_user("editor")
    logged_in(client, editor)
    client.post(
        change_url(question),
        answer_data(question, status="answered", answer="Có.", is_published="on"),
    )
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.is_published is False
    page = client.get(CHANGELIST).content.decode()
    assert 'value="publish"' not in page
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.is_published is False

    logged_in(client, make_user("publisher"))
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.is_published is True


def test_publishing_an_answer_that_names_the_asker_is_asked_once(client):
    question = make_question(
        name="Hoàng Văn Bình", phone="0912 345 678", status="answered", answer="<p>Có.</p>"
    )
    client = logged_in(client, make_user("publisher"))
    naming = "<p>Chào bạn HOANG VAN BINH, cán bộ sẽ gọi số +84 912.345.678.</p>"

    warned = client.post(
        change_url(question), answer_data(question, answer=naming, is_published="on")
    )

    question.refresh_from_db()
    assert (question.is_published, question.answer) == (False, "<p>Có.</p>")
    assert ("Bạn đọc sẽ thấy người hỏi là ai: “Hoàng Văn Bình”, “0912 345 678”.") in " ".join(
        form_errors(warned)
    )
    # Pressing Save again publishes it as it is, as the warning said.
    confirmed = re.search(
        r'name="contact_details_confirmed" value="([^"]*)"', warned.content.decode()
    )
    client.post(
        change_url(question),
        answer_data(
            question, answer=naming, is_published="on", contact_details_confirmed=confirmed[1]
        ),
    )
    question.refresh_from_db()
    assert question.is_published is True


def test_the_publish_action_leaves_answers_that_name_the_asker(admin_client):
    naming = make_question(
        email="binh@nguoidan.example",
        status="answered",
        answer="<p>Đã gửi tới binh@nguoidan.example.</p>",
    )
    plain = make_question(status="answered", answer="<p>Có.</p>")

    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [naming.pk, plain.pk]}, follow=True
    )

    naming.refresh_from_db()
    plain.refresh_from_db()
    assert (naming.is_published, plain.is_published) == (False, True)
    assert f"Chưa đăng vì bạn đọc sẽ thấy người hỏi là ai: {naming.code}." in (
        response.content.decode()
    )


def test_staff_are_named_family_name_first_in_the_list_filter_and_form(admin_client):
    editor = make_user("editor", username="duc", first_name="Văn Đức", last_name="Trần")
    question = make_question(
        assigned_to=editor, status="answered", answer="<p>Có.</p>", answered_by=editor
    )

    listing = admin_client.get(CHANGELIST).content.decode()
    page = admin_client.get(change_url(question)).content.decode()

    assert '<td class="field-assignee">Trần Văn Đức</td>' in listing
    assert ">Trần Văn Đức</a></li>" in listing  # the assignee filter
    assert f'<option value="{editor.pk}" selected>Trần Văn Đức</option>' in page
    assert '<div class="readonly">Trần Văn Đức</div>' in page
    assert ">duc<" not in listing + page and "Văn Đức Trần" not in listing + page


def test_publishing_skips_unanswered_questions(admin_client):
    waiting = make_question(text="Chưa trả lời?")
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.is_published is False


def test_assign_to_me_and_mark_in_progress(client):
    editor = make_user("editor")
    first, second = make_question(text="Một?"), make_question(text="Hai?")
    logged_in(client, editor)
    selected = [first.pk, second.pk]
    client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": selected})
    client.post(CHANGELIST, {"action": "mark_in_progress", "_selected_action": selected})
    for question in (first, second):
        question.refresh_from_db()
        assert question.assigned_to == editor
        assert question.status == Question.Status.IN_PROGRESS
