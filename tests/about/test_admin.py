"""Leaders edit the union's identity; staff edit the introduction and the directory."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from about.models import IntroPage, Officer, PortalIdentity
from tests.factories import form_errors, image_upload, logged_in, make_identity, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:about_portalidentity_changelist")
ADD = reverse("admin:about_portalidentity_add")


def change(identity):
    return reverse("admin:about_portalidentity_change", args=[identity.pk])


def identity_data(identity=None, **overrides):
    """Return the POST data of the identity's form as it stands (or for a new one)."""
    data = {
        "full_name": "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn",
        "full_name_en": "",
        "short_name": "Tỉnh đoàn Bắc Kạn",
        "short_name_en": "",
        "parent_organisation": "Đoàn TNCS Hồ Chí Minh",
        "parent_organisation_en": "",
        "address": "Số 1, đường Trường Chinh",
        "address_en": "",
        "map_url": "",
        "phone": "0209 3870 000",
        "email": "tinhdoan@backan.example",
        "content_responsible": "",
        "licence": "",
        "licence_en": "",
        "facebook_url": "",
        "zalo_url": "",
        "youtube_url": "",
        "tiktok_url": "",
        "valid_from": "",
        "related_portals-TOTAL_FORMS": "1",
        "related_portals-INITIAL_FORMS": "0",
        "related_portals-MIN_NUM_FORMS": "0",
        "related_portals-MAX_NUM_FORMS": "1000",
        "related_portals-0-name": "Trung ương Đoàn",
        "related_portals-0-url": "https://doan.example/",
        "related_portals-0-order": "0",
    }
    if identity is not None:
        data.update(
            {
                field: getattr(identity, field)
                for field in data
                if "-" not in field and hasattr(identity, field)
            }
        )
        data["related_portals-TOTAL_FORMS"] = "0"
    data.update(overrides)
    return {field: "" if value is None else value for field, value in data.items()}


def test_the_list_goes_straight_to_the_add_form_then_to_the_record(admin_client):
    assert admin_client.get(CHANGELIST)["Location"] == ADD
    response = admin_client.post(ADD, identity_data())
    assert response.status_code == 302
    identity = PortalIdentity.objects.get()
    assert [portal.name for portal in identity.related_portals.all()] == ["Trung ương Đoàn"]
    assert admin_client.get(CHANGELIST)["Location"] == change(identity)


@time_machine.travel("2026-03-05 09:00 +07:00", tick=False)
def test_a_later_identity_is_added_beside_the_first_and_history_stays(admin_client):
    first = make_identity()
    assert admin_client.get(CHANGELIST)["Location"] == change(first)
    merged = identity_data(
        full_name="Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Thái Nguyên",
        short_name="Tỉnh đoàn Thái Nguyên",
        valid_from="01/07/2025",
        formed_by_merger="on",
    )
    assert admin_client.post(ADD, merged).status_code == 302
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Tỉnh đoàn Thái Nguyên (từ 01/07/2025)" in page and "Tỉnh đoàn Bắc Kạn" in page

    response = admin_client.post(ADD, identity_data(valid_from="01/07/2025"))
    assert response.status_code == 200
    assert (
        "Đã có một thông tin cổng khác có hiệu lực từ cùng ngày (hoặc cũng không có ngày bắt đầu)."
    ) in form_errors(response)
    assert PortalIdentity.objects.count() == 2

    # Identities that have begun are kept; one prepared for later may be deleted.
    for identity in PortalIdentity.objects.all():
        delete = reverse("admin:about_portalidentity_delete", args=[identity.pk])
        assert admin_client.get(delete).status_code in (302, 403)
    later = make_identity(short_name="Tỉnh đoàn tương lai", valid_from=datetime.date(2027, 1, 1))
    delete = reverse("admin:about_portalidentity_delete", args=[later.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert PortalIdentity.objects.count() == 2


def test_saving_returns_to_the_record_and_the_site_shows_the_change(client, admin_client):
    identity = make_identity()
    client.get("/")
    response = admin_client.post(
        change(identity),
        identity_data(identity, short_name="Tỉnh đoàn Thái Nguyên", address="Tỉnh Thái Nguyên"),
    )
    assert response.status_code == 302
    assert response["Location"] == change(identity)
    page = client.get("/").content.decode()
    assert '<span class="brand-name">Tỉnh đoàn Thái Nguyên</span>' in page
    assert "Địa chỉ: Tỉnh Thái Nguyên" in page


@pytest.mark.parametrize(("role", "allowed"), [("publisher", True), ("editor", False)])
def test_only_leaders_edit_the_identity(client, role, allowed):
    identity = make_identity()
    logged_in(client, make_user(role))
    response = client.post(change(identity), identity_data(identity, short_name="Đã sửa"))
    identity.refresh_from_db()
    assert (identity.short_name == "Đã sửa") is allowed
    if not allowed:
        assert response.status_code == 403


def test_a_leader_can_create_the_record_when_there_is_none(client):
    logged_in(client, make_user("publisher"))
    assert client.get(CHANGELIST)["Location"] == ADD
    assert client.post(ADD, identity_data()).status_code == 302
    assert PortalIdentity.objects.exists()


def test_the_logo_must_be_a_real_image(admin_client):
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = admin_client.post(ADD, {**identity_data(), "logo": fake})
    assert response.status_code == 200
    assert any("ảnh" in error.lower() for error in form_errors(response))
    assert not PortalIdentity.objects.exists()
    response = admin_client.post(ADD, {**identity_data(), "logo": image_upload("logo.png")})
    assert response.status_code == 302
    assert PortalIdentity.objects.get().logo_width == 64


def test_the_form_shows_the_stored_logo_beside_its_field(admin_client):
    identity = make_identity()
    assert 'class="image-preview"' not in admin_client.get(change(identity)).content.decode()
    identity.logo = image_upload("logo.png")
    identity.save()
    page = admin_client.get(change(identity)).content.decode()
    assert f'<img class="image-preview" src="{identity.logo.url}" alt="Ảnh hiện tại"' in page


def test_a_map_link_elsewhere_than_openstreetmap_is_refused(admin_client):
    response = admin_client.post(ADD, identity_data(map_url="https://maps.example.com/?q=x"))
    assert response.status_code == 200
    assert any("openstreetmap.org" in error for error in form_errors(response))


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("publisher", True), ("contributor", False)]
)
def test_editors_and_leaders_edit_introduction_pages(client, role, allowed):
    logged_in(client, make_user(role))
    response = client.post(
        reverse("admin:about_intropage_add"),
        {
            "title": "Cơ cấu tổ chức",
            "slug": "",
            "parent": "",
            "order": "3",
            "is_visible": "on",
            "body": "<p>Sơ đồ</p><script>alert(1)</script>",
            "title_en": "",
            "body_en": "",
        },
    )
    if allowed:
        assert response.status_code == 302
        page = IntroPage.objects.get()
        assert page.slug == "co-cau-to-chuc"
        assert page.body == "<p>Sơ đồ</p>"
    else:
        assert response.status_code == 403
        assert not IntroPage.objects.exists()


def test_the_directory_is_edited_with_officers_inline(admin_client):
    response = admin_client.post(
        reverse("admin:about_department_add"),
        {
            "name": "Ban Thường vụ",
            "name_en": "Standing Committee",
            "is_leadership": "on",
            "order": "0",
            "phone": "",
            "email": "",
            "officers-TOTAL_FORMS": "1",
            "officers-INITIAL_FORMS": "0",
            "officers-MIN_NUM_FORMS": "0",
            "officers-MAX_NUM_FORMS": "1000",
            "officers-0-name": "Nguyễn Thị Hoa",
            "officers-0-order": "1",
            "officers-0-position": "Bí thư Tỉnh đoàn",
            "officers-0-position_en": "Secretary",
            "officers-0-phone": "",
            "officers-0-email": "hoa@doan.example",
        },
    )
    assert response.status_code == 302

    officer = Officer.objects.select_related("department").get()
    assert officer.department.name == "Ban Thường vụ"
    assert officer.email == "hoa@doan.example"
