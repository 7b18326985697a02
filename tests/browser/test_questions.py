"""A reader asks a question, follows it with the code; a bot and a flood are turned away."""

import pytest

from questions.models import Question
from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def topic():
    # Transactional tests start from an emptied database: the default topics are gone.
    return make_topic("Công tác Đoàn")


def fill_form(page, text="Xin hỏi thủ tục chuyển sinh hoạt Đoàn?"):
    page.get_by_label("Họ và tên").fill("Hoàng Văn Bình")
    page.get_by_label("Thư điện tử").fill("binh@nguoidan.example")
    page.get_by_label("Lĩnh vực").select_option(label="Công tác Đoàn")
    page.get_by_label("Câu hỏi hoặc ý kiến của bạn").fill(text)


def test_a_reader_asks_and_follows_the_question_with_the_code(live_server, page, topic):
    page.goto(live_server.url + "/hoi-dap/gui-cau-hoi/")
    # The honeypot is out of sight and out of the keyboard's way.
    assert not page.locator("#id_website").is_visible()
    fill_form(page)
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/da-gui/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Cảm ơn bạn: câu hỏi đã được gửi"
    code = page.locator(".tracking-code").inner_text()
    question = Question.objects.get()
    assert code == question.code

    page.goto(live_server.url + "/hoi-dap/theo-doi/")
    page.get_by_label("Mã theo dõi").fill(code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    status = page.locator(".question-status")
    assert status.inner_text() == "Mới"
    assert "Hoàng Văn Bình" not in page.content()
    assert "binh@nguoidan.example" not in page.content()


def test_the_form_says_what_is_missing(live_server, page, topic):
    page.goto(live_server.url + "/hoi-dap/gui-cau-hoi/")
    fill_form(page)
    page.get_by_label("Thư điện tử").fill("")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    assert page.get_by_role("alert").inner_text() == "Vui lòng sửa các ô được đánh dấu bên dưới."
    assert (
        "Hãy để lại địa chỉ thư điện tử hoặc số điện thoại"
        in page.locator(".errorlist").inner_text()
    )
    assert page.get_by_label("Câu hỏi hoặc ý kiến của bạn").input_value().startswith("Xin hỏi")
    assert not Question.objects.exists()


def test_a_bot_filling_the_honeypot_sees_the_usual_answer_and_nothing_is_kept(
    live_server, page, topic
):
    page.goto(live_server.url + "/hoi-dap/gui-cau-hoi/")
    fill_form(page)
    page.eval_on_selector("#id_website", "field => { field.value = 'http://spam.example'; }")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/da-gui/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Cảm ơn bạn: câu hỏi đã được gửi"
    assert len(page.locator(".tracking-code").inner_text()) == 9
    assert not Question.objects.exists()


def test_a_flood_from_one_connection_is_stopped_with_a_message(live_server, page, topic, settings):
    settings.QUESTIONS_RATE_LIMITS = {**settings.QUESTIONS_RATE_LIMITS, "per_client": (2, 3600)}
    for number in range(3):
        page.goto(live_server.url + "/hoi-dap/gui-cau-hoi/")
        fill_form(page, text=f"Câu hỏi số {number}")
        page.get_by_role("button", name="Gửi câu hỏi").click()
        page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "quá nhiều câu hỏi được gửi từ kết nối của bạn" in alert.inner_text()
    assert page.get_by_label("Câu hỏi hoặc ý kiến của bạn").input_value() == "Câu hỏi số 2"
    assert Question.objects.count() == 2
