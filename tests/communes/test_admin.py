import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from communes.models import CommuneSupport
from tests.factories import (
    ARRANGED,
    BEFORE_ARRANGEMENT,
    form_errors,
    logged_in,
    make_commune,
    make_district,
    make_link,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db
Rating = CommuneSupport.Rating


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.fixture
def program_2022():
    program = make_program(2022, planned_count=9)
    ngan_son = make_district("Ngân Sơn")
    make_support(program, make_commune("Hiệp Lực", ngan_son), rating=Rating.EXCELLENT)
    make_support(program, make_commune("Bằng Vân", ngan_son))
    make_support(program, make_commune("Nông Thượng", make_district("Bắc Kạn")))
    return program


def test_program_list_shows_planned_vs_actual_and_ratings(admin_client, program_2022):
    page = admin_client.get(reverse("admin:communes_supportprogram_changelist")).content.decode()
    assert "3 / 9" in page
    assert "Hoàn thành xuất sắc nhiệm vụ: 1; Chưa đánh giá: 2" in page
    assert "02/2022 – 12/2022" in page


def test_program_list_filter_by_district_keeps_whole_counts(admin_client, program_2022):
    district = program_2022.supports.get(commune__name="Hiệp Lực").commune.district
    url = reverse("admin:communes_supportprogram_changelist")
    page = admin_client.get(
        url, {"supports__commune__district__id__exact": district.pk}
    ).content.decode()
    assert "3 / 9" in page


def test_program_change_page_has_the_summary_and_commune_inline(admin_client, program_2022):
    url = reverse("admin:communes_supportprogram_change", args=[program_2022.pk])
    page = admin_client.get(url).content.decode()
    assert "Thực hiện / kế hoạch" in page
    assert "<th>3 / 9</th>" in page
    assert "supports-TOTAL_FORMS" in page
    assert "admin-autocomplete" in page


def test_adding_a_commune_twice_in_a_year_gives_a_message_not_a_crash(admin_client, program_2022):
    commune = program_2022.supports.get(commune__name="Hiệp Lực").commune
    response = admin_client.post(
        reverse("admin:communes_communesupport_add"),
        {"program": program_2022.pk, "commune": commune.pk, "rating": Rating.NOT_RATED},
    )
    assert response.status_code == 200
    assert "Xã này đã có trong chương trình hỗ trợ của năm này." in response.content.decode()
    assert program_2022.supports.count() == 3


def inline_data(program, *rows):
    """Return the change form of program with one inline row per (support or None, commune)."""
    data = {
        "year": program.year,
        "title": program.title,
        "start_month": f"{program.start_month:%d/%m/%Y}",
        "end_month": f"{program.end_month:%d/%m/%Y}",
        "supports-TOTAL_FORMS": len(rows),
        "supports-INITIAL_FORMS": sum(support is not None for support, _ in rows),
        "supports-MIN_NUM_FORMS": 0,
        "supports-MAX_NUM_FORMS": 1000,
    }
    for index, (support, commune) in enumerate(rows):
        prefix = f"supports-{index}-"
        data |= {
            prefix + "id": support.pk if support else "",
            prefix + "program": program.pk,
            prefix + "commune": commune.pk,
            prefix + "rating": Rating.NOT_RATED,
        }
    return data


def test_the_program_inline_refuses_a_commune_already_in_the_year(admin_client):
    program = make_program(2022)
    commune = make_commune("Hiệp Lực", make_district("Ngân Sơn"))
    support = make_support(program, commune, officer="Nguyễn Văn A")
    url = reverse("admin:communes_supportprogram_change", args=[program.pk])

    response = admin_client.post(url, inline_data(program, (support, commune), (None, commune)))

    assert response.status_code == 200
    assert "Xã này đã có trong chương trình hỗ trợ của năm này." in response.content.decode()
    assert list(program.supports.values_list("commune__name", "officer")) == [
        ("Hiệp Lực", "Nguyễn Văn A")
    ]


def test_the_program_inline_refuses_the_same_new_commune_twice(admin_client):
    program = make_program(2022)
    commune = make_commune("Hiệp Lực", make_district("Ngân Sơn"))
    url = reverse("admin:communes_supportprogram_change", args=[program.pk])

    response = admin_client.post(url, inline_data(program, (None, commune), (None, commune)))

    assert response.status_code == 200
    assert "Hãy sửa các giá trị trùng lặp dưới đây." in response.content.decode()
    assert not program.supports.exists()


def test_bulk_action_sets_the_rating_of_the_chosen_communes(admin_client, program_2022):
    changelist = admin_client.get(reverse("admin:communes_communesupport_changelist"))
    assert "Xếp loại “Hoàn thành tốt nhiệm vụ”" in changelist.content.decode()
    chosen = program_2022.supports.exclude(commune__name="Hiệp Lực")
    response = admin_client.post(
        reverse("admin:communes_communesupport_changelist"),
        {
            "action": "set_rating_good",
            "_selected_action": [support.pk for support in chosen],
        },
        follow=True,
    )
    assert "Đã xếp loại 2 xã “Hoàn thành tốt nhiệm vụ”." in response.content.decode()
    assert dict(program_2022.supports.values_list("commune__name", "rating")) == {
        "Hiệp Lực": Rating.EXCELLENT,
        "Bằng Vân": Rating.GOOD,
        "Nông Thượng": Rating.GOOD,
    }


def test_rating_actions_need_the_change_permission(client, program_2022):
    staff = get_user_model().objects.create_user("xem", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_communesupport"))
    client.force_login(staff)
    url = reverse("admin:communes_communesupport_changelist")
    page = client.get(url).content.decode()
    assert "Hiệp Lực" in page
    assert "set_rating_good" not in page
    client.post(
        url,
        {
            "action": "set_rating_good",
            "_selected_action": [s.pk for s in program_2022.supports.all()],
        },
    )
    assert not program_2022.supports.filter(rating=Rating.GOOD).exists()


def test_support_list_filters_by_year_district_and_rating(admin_client, program_2022):
    url = reverse("admin:communes_communesupport_changelist")
    page = admin_client.get(url, {"rating__exact": Rating.EXCELLENT}).content.decode()
    assert "Hiệp Lực" in page and "Bằng Vân" not in page
    page = admin_client.get(url, {"program__year": 2022, "q": "Nông"}).content.decode()
    assert "Nông Thượng" in page and "Hiệp Lực" not in page


def test_a_commune_s_page_shows_and_edits_where_it_came_from_and_went(admin_client):
    merged = make_commune("Phủ Thông", valid_from=ARRANGED)
    old = make_commune("Vi Hương", valid_until=BEFORE_ARRANGEMENT)
    make_link(old, merged, clause="khoản 60 Điều 1")
    page = admin_client.get(
        reverse("admin:communes_commune_change", args=[merged.pk])
    ).content.decode()
    assert "Hình thành từ (đơn vị trước, ngày và căn cứ pháp lý)" in page
    assert 'value="khoản 60 Điều 1"' in page

    # A split, added from the former unit's page: a part into a second unit.
    other = make_commune("Cẩm Giàng", valid_from=ARRANGED)
    url = reverse("admin:communes_commune_change", args=[old.pk])
    data = {
        "name": old.name,
        "kind": old.kind,
        "code": "",
        "slug": old.slug,
        "valid_from": "",
        "valid_until": "30/06/2025",
        "basis": "",
        "successor_links-TOTAL_FORMS": "2",
        "successor_links-INITIAL_FORMS": "1",
        "successor_links-0-id": old.successor_links.get().pk,
        "successor_links-0-predecessor": old.pk,
        "successor_links-0-successor": merged.pk,
        "successor_links-0-date": "01/07/2025",
        "successor_links-0-resolution": "1683/NQ-UBTVQH15",
        "successor_links-0-clause": "khoản 60 Điều 1",
        "successor_links-1-predecessor": old.pk,
        "successor_links-1-successor": other.pk,
        "successor_links-1-date": "01/07/2025",
        "successor_links-1-resolution": "1683/NQ-UBTVQH15",
        "successor_links-1-clause": "khoản 61 Điều 1",
        "predecessor_links-TOTAL_FORMS": "0",
        "predecessor_links-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    # "Whole unit" left unticked on both rows: each took a part.
    assert sorted(old.successor_links.values_list("successor__name", "clause", "whole")) == [
        ("Cẩm Giàng", "khoản 61 Điều 1", False),
        ("Phủ Thông", "khoản 60 Điều 1", False),
    ]


def test_autocomplete_finds_communes_by_name(admin_client):
    make_commune("Ngọc Phái", make_district("Chợ Đồn"))
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "communes",
            "model_name": "communesupport",
            "field_name": "commune",
            "term": "Ngọc",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["xã Ngọc Phái"]


@pytest.mark.parametrize("model_name", ["province", "district", "commune"])
def test_units_explain_slug_code_and_links_alike(admin_client, model_name):
    page = admin_client.get(reverse(f"admin:communes_{model_name}_add")).content.decode()
    assert "Để trống thì tạo tự động từ tên." in page
    assert "Mỗi mã chỉ dùng cho một đơn vị tại một thời điểm" in page
    assert "Nay là (đơn vị kế thừa, ngày và căn cứ pháp lý)" in page


MODELS = ["supportprogram", "communesupport", "province", "district", "commune"]


def test_leaders_keep_the_programs_and_units_without_being_superusers(client, program_2022):
    leader = logged_in(client, make_user("publisher"))
    for model in MODELS:
        assert leader.get(reverse(f"admin:communes_{model}_changelist")).status_code == 200
        assert leader.get(reverse(f"admin:communes_{model}_add")).status_code == 200
    support = program_2022.supports.get(commune__name="Bằng Vân")
    response = leader.post(
        reverse("admin:communes_communesupport_change", args=[support.pk]),
        {
            "program": program_2022.pk,
            "commune": support.commune_id,
            "rating": Rating.GOOD,
            "officer": "Hoàng Thị Mai",
        },
    )
    assert response.status_code == 302, form_errors(response)
    support.refresh_from_db()
    assert (support.rating, support.officer) == (Rating.GOOD, "Hoàng Thị Mai")
    # The links of what each unit became are kept on the units' pages.
    page = leader.get(reverse("admin:communes_commune_change", args=[support.commune_id]))
    assert 'name="successor_links-TOTAL_FORMS"' in page.content.decode()


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_other_roles_do_not_see_the_communes_in_the_admin(client, role):
    staff = logged_in(client, make_user(role))
    for model in MODELS:
        assert staff.get(reverse(f"admin:communes_{model}_changelist")).status_code == 403
    assert "/admin/communes/" not in staff.get(reverse("admin:index")).content.decode()


def test_the_roles_table_says_leaders_keep_the_supported_communes(client):
    page = logged_in(client, make_user("editor")).get("/admin/vai-tro/").content.decode()
    row = page[page.index("Quản lý xã được hỗ trợ") :].split("</tr>")[0]
    assert re.findall(r'alt="(Có|Không)"', row) == ["Không", "Không", "Có"]
