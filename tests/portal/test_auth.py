"""Login throttling (django-axes) on the admin login page, the way back, where a login lands."""

import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOCKED = "Đăng nhập tạm bị khoá"


def log_in(client, username="bientap", password="mat-khau", address="203.0.113.7", **data):
    return client.post(
        LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def fail_five_times(client, username="bientap", address="203.0.113.7"):
    """Type a wrong password five times: the fifth answer already says the login is locked."""
    for _ in range(4):
        response = log_in(client, username, "sai-mat-khau", address)
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = log_in(client, username, "sai-mat-khau", address)
    assert response.status_code == 429


@pytest.fixture
def staff(db):
    return make_user("editor", username="bientap"), make_user("editor", username="phongvien")


def test_five_wrong_passwords_lock_the_account_from_that_address(client, staff):
    fail_five_times(client)
    response = log_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "15 phút" in page
    assert 'name="username"' in page  # still the login page, in Vietnamese
    assert "_auth_user_id" not in client.session


def test_a_locked_login_is_refused_before_the_password_is_hashed(client, staff):
    fail_five_times(client)
    with mock.patch.object(AbstractBaseUser, "check_password") as check_password:
        log_in(client)
    check_password.assert_not_called()


def test_another_address_or_another_account_is_not_locked(client, staff):
    fail_five_times(client)
    assert log_in(client, address="198.51.100.20").status_code == 302
    client.logout()
    assert log_in(client, username="phongvien").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, staff):
    fail_five_times(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_old_failures_do_not_count(client, staff):
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=20)):
        fail_five_times(client)
    assert log_in(client).status_code == 302


def test_tries_while_locked_do_not_keep_the_account_locked(client, staff):
    # One wrong password every few minutes must not hold the lock for as long as one likes.
    start = timezone.now()
    fail_five_times(client)
    for minutes in range(1, 15, 3):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert log_in(client, password="sai-mat-khau").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16)):
        assert log_in(client).status_code == 302


def test_one_password_tried_on_many_accounts_locks_the_address(client, staff, settings):
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(client, username=f"thu-{number}", password="Matkhau@2024")
    with mock.patch.object(AbstractBaseUser, "check_password") as check_password:
        response = log_in(client)
    check_password.assert_not_called()
    assert response.status_code == 429
    assert "quá nhiều lần từ địa chỉ của bạn" in response.content.decode()
    # Readers elsewhere are not affected.
    assert log_in(client, address="198.51.100.20").status_code == 302


def reset_link(message):
    return re.search(r"http://\S+/admin/reset/\S+/", message.body).group(0)


def test_a_locked_out_member_sets_a_new_password_by_e_mail_and_is_unlocked(client, staff):
    fail_five_times(client)
    page = log_in(client).content.decode()
    assert 'href="/admin/password_reset/"' in page  # the way back, on the lockout page

    response = client.post(
        "/admin/password_reset/", {"email": "bientap@tinhdoan.example"}, REMOTE_ADDR="203.0.113.7"
    )
    assert response["Location"] == "/admin/password_reset/done/"
    [message] = mail.outbox
    assert message.to == ["bientap@tinhdoan.example"]
    assert message.subject == "Đặt mật khẩu mới cho trang quản trị cổng thông tin"
    link = reset_link(message).removeprefix("http://127.0.0.1:8000")
    form = client.get(link, follow=True)
    assert "Mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Mua-he-xanh-2025", "new_password2": "Mua-he-xanh-2025"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert done["Location"] == "/admin/reset/done/"

    assert log_in(client, password="Mua-he-xanh-2025").status_code == 302
    # The link worked once.
    assert "Mật khẩu mới" not in client.get(link, follow=True).content.decode()


def test_a_reset_link_is_asked_for_a_few_times_only(client, staff):
    for _ in range(5):
        client.post("/admin/password_reset/", {"email": "bientap@tinhdoan.example"})
    response = client.post("/admin/password_reset/", {"email": "bientap@tinhdoan.example"})
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_axes_reset_unlocks_at_once(client, staff):
    fail_five_times(client)
    call_command("axes_reset")
    assert log_in(client).status_code == 302


def test_behind_a_proxy_the_address_comes_from_what_the_proxy_appended(client, settings, staff):
    settings.NUM_PROXIES = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "bientap", "password": "sai"},
            HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.7",  # the first entry is forged
        )
    other_reader = client.post(
        LOGIN, {"username": "bientap", "password": "mat-khau"}, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert other_reader.status_code == 302
    locked = client.post(
        LOGIN, {"username": "bientap", "password": "mat-khau"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_login_with_a_bad_next_lands_on_the_admin(client, staff, next_url):
    response = log_in(client, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_login_with_a_good_next_goes_there(client, staff):
    response = log_in(client, next="/admin/news/article/")
    assert response["Location"] == "/admin/news/article/"
