"""The public asks, follows its question with a code, and reads published answers."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from questions.models import Question
from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    element,
    mail_server_comes_back,
    make_question,
    make_topic,
    make_user,
    queued_mail,
    run_worker,
)

pytestmark = pytest.mark.django_db

ASK = "/hoi-dap/gui-cau-hoi/"
TRACK = "/hoi-dap/theo-doi/"


def question_data(**fields):
    data = {
        "name": "Hoàng Văn Bình",
        "email": "binh@nguoidan.example",
        "phone": "",
        "topic": str(make_topic().pk),
        "text": "Xin hỏi thủ tục chuyển sinh hoạt Đoàn?",
        "website": "",
    }
    data.update(fields)
    return data


def ask(client, address="203.0.113.7", **fields):
    return client.post(ASK, question_data(**fields), REMOTE_ADDR=address)


def shown_code(client, response):
    page = client.get(response["Location"]).content.decode()
    return re.search(r'<p class="tracking-code">([A-Z0-9-]+)</p>', page).group(1)


def test_the_form_asks_for_name_contact_topic_and_text(client):
    response = client.get(ASK)
    content = element(response, "main")
    assert "<h1>Gửi câu hỏi</h1>" in content
    for name in ["name", "email", "phone", "topic", "text"]:
        assert f'name="{name}"' in content
    assert "Khác" in content  # the default topics
    assert '<div class="honeypot" aria-hidden="true">' in content
    assert "no-cache" in response["Cache-Control"]
    # No third-party script: only the portal's own files.
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert all(re.search(r'src="/static/[^"]+"', script) for script in scripts)


def test_a_question_is_stored_and_the_asker_gets_a_tracking_code(client):
    response = ask(client)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.status == Question.Status.NEW
    assert question.text == "Xin hỏi thủ tục chuyển sinh hoạt Đoàn?"
    code = shown_code(client, response)
    assert code == question.code
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn: câu hỏi đã được gửi" in page
    assert f'href="/hoi-dap/theo-doi/?code={code}"' in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "", "phone": ""}, "Hãy để lại địa chỉ thư điện tử hoặc số điện thoại"),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ"),
        ({"email": "", "phone": "gọi tôi"}, "Hãy ghi số điện thoại bằng chữ số"),
        ({"text": "   "}, "Trường này là bắt buộc"),
        ({"text": "x" * 5001}, "Câu hỏi quá dài"),
        ({"topic": ""}, "Trường này là bắt buộc"),
        ({"name": ""}, "Trường này là bắt buộc"),
    ],
)
def test_bad_input_gets_a_clear_vietnamese_error_and_nothing_is_stored(client, fields, error):
    response = ask(client, **fields)
    assert response.status_code == 200
    content = element(response, "main")
    assert "Vui lòng sửa các ô được đánh dấu bên dưới." in content
    assert error in content
    assert not Question.objects.exists()


def test_a_phone_number_alone_is_enough(client):
    ask(client, email="", phone="0912 345 678")
    assert Question.objects.get().phone == "0912 345 678"


def test_the_text_is_kept_as_plain_text_and_escaped_on_pages(client):
    response = ask(client, text="Câu hỏi <script>alert(1)</script>\r\nDòng hai\x07")
    question = Question.objects.get()
    assert question.text == "Câu hỏi <script>alert(1)</script>\nDòng hai"
    page = client.get(f"{TRACK}?code={shown_code(client, response)}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Dòng hai" in page
    assert "<script>alert(1)" not in page


def test_a_bot_filling_the_honeypot_gets_the_usual_answer_and_nothing_is_stored(client):
    response = ask(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Question.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn: câu hỏi đã được gửi" in page
    assert re.search(r'<p class="tracking-code">[A-Z0-9]{4}-[A-Z0-9]{4}</p>', page)
    assert mail.outbox == []


def test_a_forged_confirmation_link_is_not_found(client):
    assert client.get("/hoi-dap/da-gui/ABCD1234/").status_code == 404


def test_each_address_may_send_a_few_questions_an_hour(client, settings):
    settings.QUESTIONS_RATE_LIMITS = {**settings.QUESTIONS_RATE_LIMITS, "per_client": (2, 3600)}
    assert ask(client).status_code == 302
    assert ask(client).status_code == 302
    response = ask(client, text="Câu hỏi thứ ba")
    assert response.status_code == 429
    assert "Đã có quá nhiều câu hỏi được gửi từ kết nối của bạn trong một giờ qua" in element(
        response, "main"
    )
    # What the asker typed is still in the form.
    assert "Câu hỏi thứ ba" in element(response, "main")
    assert Question.objects.count() == 2
    # Another address is not held back.
    assert ask(client, address="198.51.100.9").status_code == 302


def test_the_whole_site_takes_a_limited_number_of_questions_an_hour(client, settings):
    settings.QUESTIONS_RATE_LIMITS = {**settings.QUESTIONS_RATE_LIMITS, "site": (3, 3600)}
    for number in range(3):
        assert ask(client, address=f"198.51.100.{number}").status_code == 302
    assert ask(client, address="198.51.100.200").status_code == 429
    assert Question.objects.count() == 3


def test_behind_a_proxy_the_forwarded_address_counts(client, settings):
    settings.NUM_PROXIES = 1
    settings.QUESTIONS_RATE_LIMITS = {**settings.QUESTIONS_RATE_LIMITS, "per_client": (1, 3600)}
    proxy = "10.0.0.1"
    post = question_data()
    assert (
        client.post(ASK, post, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code
        == 302
    )
    assert (
        client.post(ASK, post, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
        == 302
    )
    # A client cannot escape by forging the header: the proxy appends the real address.
    forged = "1.2.3.4, 203.0.113.1"
    assert client.post(ASK, post, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forged).status_code == 429


def test_no_address_is_stored_anywhere(client):
    address = "203.0.113.77"
    ask(client, address=address)
    question = Question.objects.get()
    stored = [str(getattr(question, field.attname)) for field in Question._meta.concrete_fields]
    assert not any(address in value for value in stored)
    assert not any(address in key for key in cache._cache)


def test_staff_who_answer_are_told_after_the_question_is_saved(
    client, django_capture_on_commit_callbacks
):
    make_user("editor")
    make_user("contributor")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    assert [message.to for message in mail.outbox] == [["editor@tinhdoan.example"]]
    code = Question.objects.get().code
    assert mail.outbox[0].subject.startswith(f"Câu hỏi mới {code}")


@pytest.mark.django_db(transaction=True)
def test_the_notice_of_a_question_is_queued_and_sent_once_the_mail_server_is_back(
    client, no_mail_server
):
    make_user("editor")
    response = ask(client)
    assert response.status_code == 302
    assert "Cảm ơn bạn" in client.get(response["Location"]).content.decode()
    assert Question.objects.count() == 1
    # The request only queued the notice: it never waited for the mail server.
    assert len(queued_mail()) == 1
    assert mail.outbox == []

    run_worker()  # the server is still away: the notice waits for a later try
    assert len(queued_mail()) == 1
    mail_server_comes_back(no_mail_server)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
    assert [message.to for message in mail.outbox] == [["editor@tinhdoan.example"]]
    assert queued_mail() == []


# Following a question


def test_the_asker_follows_the_status_and_reads_the_answer(client):
    question = make_question(phone="0912 345 678")
    code = question.code
    page = element(client.get(TRACK, {"code": code.lower().replace("-", " ")}), "main")
    assert f"Câu hỏi {code}" in page
    assert "Mới" in page
    question.status = Question.Status.ANSWERED
    question.answer = (
        '<p>Bạn liên hệ <a href="https://tinhdoan.example/co-so">Đoàn cơ sở</a> nơi sinh hoạt:</p>'
        "<ul><li>mang thẻ đoàn viên;</li><li>mang sổ đoàn viên.</li></ul><p>Trân trọng.</p>"
    )
    question.save()
    page = element(client.get(TRACK, {"code": code}), "main")
    assert "Đã trả lời" in page
    assert (
        '<p>Bạn liên hệ <a href="https://tinhdoan.example/co-so" rel="noopener noreferrer">'
        "Đoàn cơ sở</a> nơi sinh hoạt:</p><ul><li>mang thẻ đoàn viên;</li>"
    ) in page
    assert "<p>Trân trọng.</p>" in page
    for private in [question.name, question.email, question.phone]:
        assert private not in page


def test_an_unknown_code_says_so(client):
    page = element(client.get(TRACK, {"code": "ZZZZ-ZZZZ"}), "main")
    assert "Không có câu hỏi nào mang mã theo dõi này." in page


def test_look_ups_are_limited_per_address(client, settings):
    settings.QUESTIONS_RATE_LIMITS = {**settings.QUESTIONS_RATE_LIMITS, "lookups": (3, 3600)}
    for _ in range(3):
        assert client.get(TRACK, {"code": "ZZZZ-ZZZZ"}).status_code == 200
    response = client.get(TRACK, {"code": make_question().code})
    assert response.status_code == 429
    assert "tra cứu quá nhiều lần" in element(response, "main")
    assert "Câu hỏi " not in element(response, "main").split("</form>")[1]


# Published questions and answers


def answered(text, answer, is_published=False, **fields):
    question = make_question(text=text, **fields)
    question.status = Question.Status.ANSWERED
    question.answer = answer
    question.is_published = is_published
    question.save()
    return question


def test_only_published_answered_questions_are_listed_without_contact_details(client):
    shown = answered("Hỏi về Tháng Thanh niên?", "Tháng 3 hằng năm.", is_published=True)
    answered("Câu hỏi chưa đăng?", "Trả lời riêng.")
    make_question(text="Câu hỏi mới?")
    response = client.get("/hoi-dap/")
    content = element(response, "main")
    assert "Hỏi về Tháng Thanh niên?" in content
    assert "Tháng 3 hằng năm." in content
    assert "Câu hỏi chưa đăng?" not in content
    assert "Câu hỏi mới?" not in content
    for private in [shown.name, shown.email, shown.code, shown.tracking_code]:
        assert private not in response.content.decode()


def test_published_answers_show_their_paragraphs_lists_and_links_and_nothing_unsafe(client):
    answered(
        "Hỏi về vay vốn?",
        '<p onclick="alert(1)">Xem <a href="javascript:alert(2)">mẹo</a> và '
        '<a href="https://nhchinhsach.example/vay">hướng dẫn vay vốn</a>:</p>'
        "<ol><li>Làm đơn.</li><li>Nộp cho Đoàn xã.</li></ol><script>alert(3)</script>",
        is_published=True,
    )
    content = element(client.get("/hoi-dap/"), "main")
    assert '<a href="https://nhchinhsach.example/vay" rel="noopener noreferrer">' in content
    assert "<ol><li>Làm đơn.</li><li>Nộp cho Đoàn xã.</li></ol>" in content
    assert '<p>Xem <a rel="noopener noreferrer">mẹo</a> và' in content
    assert "alert" not in content


def test_the_published_wording_replaces_the_question_as_asked(client):
    answered(
        "Tôi là Bình ở xóm Nà Ngần, số 0912..., xin hỏi về vay vốn?",
        "Liên hệ Ngân hàng Chính sách xã hội.",
        is_published=True,
        public_text="Xin hỏi về vay vốn khởi nghiệp?",
    )
    content = element(client.get("/hoi-dap/"), "main")
    assert "Xin hỏi về vay vốn khởi nghiệp?" in content
    assert "Nà Ngần" not in content


@pytest.mark.usefixtures("rendered_fresh")
def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, django_assert_num_queries):
    for number in range(12):
        answered(f"Câu hỏi số {number}?", "Đã trả lời.", is_published=True)
    # Categories for the menu, count, page of questions with their topics; the first page
    # after a change also reads the identity and the next scheduled moment.
    with django_assert_num_queries(3 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES):
        first = element(client.get("/hoi-dap/"), "main")
    assert first.count('class="qa"') == 10
    assert "Trang 1 / 2" in first
    second = element(client.get("/hoi-dap/?page=2"), "main")
    assert second.count('class="qa"') == 2


def test_questions_sent_at_once_are_stored_only_within_the_limit(client, monkeypatch):
    # As if all seven arrived together: each saw the limit not yet reached.
    monkeypatch.setattr("core.ratelimit.RateLimit.exceeded", lambda self, name: False)
    statuses = [ask(client).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert Question.objects.count() == 5
