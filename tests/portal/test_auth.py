"""Login throttling (django-axes) on the admin login page, and where a login lands."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.base_user import AbstractBaseUser
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
