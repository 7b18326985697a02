"""Leaders add staff members with a name, an e-mail address and a role; the roles table."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from portal.roles import DUTIES, EDITOR, PUBLISHER, ROLE_PERMISSIONS
from tests.factories import form_errors, logged_in, make_user

pytestmark = pytest.mark.django_db

FORM_URL = "/admin/auth/user/them-can-bo/"


@pytest.fixture
def leader(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://tinhdoan.example"
    return logged_in(client, make_user("publisher"))


def test_a_leader_adds_a_staff_member_who_then_chooses_a_password(
    leader, client, django_capture_on_commit_callbacks
):
    assert leader.get("/admin/auth/user/add/")["Location"] == FORM_URL
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(
            FORM_URL,
            {"full_name": " Trần  Văn Đức ", "email": "Duc.TV@Tinhdoan.example", "role": EDITOR},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="duc.tv@tinhdoan.example")
    assert (user.last_name, user.first_name, user.username) == ("Trần", "Văn Đức", "duc.tv")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert [group.name for group in user.groups.all()] == [EDITOR]
    page = leader.get(FORM_URL).content.decode()
    assert f"Trần Văn Đức đã có tài khoản với vai trò {EDITOR}" in page

    [message] = mail.outbox
    assert message.to == ["duc.tv@tinhdoan.example"]
    assert "đặt mật khẩu" in message.subject
    assert "Chào Trần Văn Đức" in message.body and "duc.tv" in message.body
    link = re.search(r"https://tinhdoan\.example(/admin/reset/\S+/)", message.body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    assert "Mật khẩu mới" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Hoa-phuong-do-2025", "new_password2": "Hoa-phuong-do-2025"},
    )
    assert client.login(username="duc.tv", password="Hoa-phuong-do-2025")
    # The link works once.
    assert "Mật khẩu mới" not in client.get(link, follow=True).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "PUBLISHER@tinhdoan.example"}, "Đã có cán bộ dùng địa chỉ e-mail này"),
        ({"role": ""}, "Hãy chọn vai trò của cán bộ."),
        ({"role": "Quản trị hệ thống"}, "không phải là một trong các lựa chọn"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_made(leader, fields, message):
    data = {"full_name": "Trần Văn Đức", "email": "duc@tinhdoan.example", "role": EDITOR}
    response = leader.post(FORM_URL, {**data, **fields})
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response))
    assert not get_user_model().objects.filter(last_name="Trần").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_the_roles_the_table_allows_may_add_staff(client, role):
    logged_in(client, make_user(role))
    assert client.get(FORM_URL).status_code == 403
    response = client.post(
        FORM_URL, {"full_name": "Trần Văn Đức", "email": "duc@tinhdoan.example", "role": PUBLISHER}
    )
    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="duc@tinhdoan.example").exists()


def test_the_roles_table_names_every_permission_a_role_holds():
    described = {code for _duty, codes in DUTIES for code in codes}
    granted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    assert granted == described


def test_every_staff_member_sees_who_may_do_what(client):
    logged_in(client, make_user("contributor"))
    page = client.get("/admin/vai-tro/").content.decode()
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', page)
    table = {duty: re.findall(r'alt="(Có|Không)"', cells) for duty, cells in rows}
    assert table["Xem danh sách tài khoản cán bộ, thêm cán bộ và giao vai trò"] == [
        "Không",
        "Không",
        "Có",
    ]
    assert table["Viết bài và soạn văn bản, tải ảnh lên, gửi duyệt"] == ["Có", "Có", "Có"]
    assert list(ROLE_PERMISSIONS)[2] in page


def test_a_leader_sees_the_staff_list_and_each_account_without_changing_it(leader):
    make_user("editor", username="bientap", first_name="Văn Đức", last_name="Trần")
    staff_list = leader.get("/admin/auth/user/").content.decode()
    assert "Trần Văn Đức" in staff_list and EDITOR in staff_list
    editor = get_user_model().objects.get(username="bientap")
    account = leader.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    assert "Trần" in account and 'alt="Có"' in account  # active and staff
    assert 'name="_save"' not in account
    response = leader.post(f"/admin/auth/user/{editor.pk}/change/", {"is_superuser": "on"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_the_group_form_names_permissions_in_vietnamese_and_keeps_every_role_s(admin_client):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=PUBLISHER)
    page = admin_client.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', page))
    assert "Tin tức | Thêm bài viết" in options.values()
    assert "Tin tức | Có thể gửi bài chờ duyệt" in options.values()
    # Every permission a role holds is offered, so saving the form keeps it.
    held = {
        str(pk)
        for name in ROLE_PERMISSIONS
        for pk in Group.objects.get(name=name).permissions.values_list("pk", flat=True)
    }
    assert held <= set(options)
