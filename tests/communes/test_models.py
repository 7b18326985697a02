import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from communes.models import LINKS, Commune, CommuneSupport, District, SupportProgram
from tests.factories import (
    ARRANGED,
    BEFORE_ARRANGEMENT,
    make_commune,
    make_district,
    make_program,
    make_province,
    make_support,
)

pytestmark = pytest.mark.django_db


def test_a_commune_twice_in_one_year_is_a_readable_validation_error():
    program = make_program(2022)
    commune = make_commune("Hiệp Lực", make_district("Ngân Sơn"))
    make_support(program, commune)

    duplicate = CommuneSupport(program=program, commune=commune)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert error.value.message_dict[NON_FIELD_ERRORS] == [
        "Xã này đã có trong chương trình hỗ trợ của năm này."
    ]


def test_the_database_refuses_a_commune_twice_in_one_year():
    program = make_program(2022)
    commune = make_commune()
    make_support(program, commune)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneSupport.objects.create(program=program, commune=commune)
    assert CommuneSupport.objects.count() == 1


def test_the_same_commune_may_be_supported_in_another_year():
    commune = make_commune()
    make_support(make_program(2022), commune)
    other_year = CommuneSupport(program=make_program(2023), commune=commune)
    other_year.full_clean()
    other_year.save()
    assert list(
        commune.supports.values_list("program__year", flat=True).order_by("program__year")
    ) == [2022, 2023]


def test_one_program_per_year():
    make_program(2022)
    with pytest.raises(ValidationError) as error:
        SupportProgram(year=2022, title="Bản sao").full_clean()
    assert error.value.message_dict["year"] == ["Năm này đã có chương trình hỗ trợ."]


def test_program_months_keep_only_month_and_year_and_must_be_in_order():
    program = make_program(2022, start_month=datetime.date(2022, 2, 15))
    program.refresh_from_db()
    assert program.start_month == datetime.date(2022, 2, 1)

    program.end_month = datetime.date(2022, 1, 1)
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert error.value.message_dict["end_month"] == [
        "Tháng kết thúc không được trước tháng bắt đầu."
    ]


def test_commune_slug_is_vietnamese_correct_and_unique():
    first = make_commune("Bằng Vân", make_district("Ngân Sơn"))
    second = make_commune("Bằng Vân", make_district("Huyện khác"))
    assert first.slug == "bang-van"
    assert second.slug == "bang-van-2"
    assert make_commune("Ngọc Phái").slug == "ngoc-phai"


@pytest.mark.parametrize("model", [District, Commune])
def test_a_unit_whose_name_has_no_letters_gets_a_unit_slug(model):
    first = model.objects.create(name="…")
    second = model.objects.create(name="!!!")
    assert (first.slug, second.slug) == ("don-vi", "don-vi-2")


@pytest.mark.parametrize("model", [District, Commune])
def test_unit_rules_give_vietnamese_errors(model):
    unit = model.objects.create(name="Bạch Thông", valid_from=datetime.date(2020, 1, 1))
    unit.valid_until = datetime.date(2019, 12, 31)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["valid_until"] == [
        "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."
    ]

    link = LINKS[model](predecessor=unit, successor=unit)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Một đơn vị không thể là đơn vị kế thừa của chính nó." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_two_units_may_carry_one_code_one_after_the_other():
    # Phường Đức Xuân (01840) of Bắc Kạn city, then the larger phường Đức Xuân that
    # khoản 89 Điều 1 of Nghị quyết 1683/NQ-UBTVQH15 formed, under the same code.
    old = make_commune(
        "Đức Xuân", kind=Commune.Kind.WARD, code="01840", valid_until=BEFORE_ARRANGEMENT
    )
    new = Commune(name="Đức Xuân", kind=Commune.Kind.WARD, code="01840", valid_from=ARRANGED)
    new.full_clean()
    new.save()
    assert old.slug == "duc-xuan" and new.slug == "duc-xuan-2"
    assert set(Commune.objects.filter(code="01840")) == {old, new}


def test_one_code_names_one_unit_at_a_time():
    make_commune("Một", code="01234", valid_until=BEFORE_ARRANGEMENT)
    make_commune("Hai")
    make_commune("Ba")  # several communes without a code are fine
    overlapping = Commune(name="Bốn", code="01234", valid_from=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert error.value.message_dict["code"] == [
        "xã Một cũng mang mã này trong cùng thời gian (… – 30/06/2025): mỗi mã chỉ dùng cho "
        "một đơn vị tại một thời điểm."
    ]
    # The database keeps two units in force from sharing a code, whatever wrote them.
    make_commune("Năm", code="05555")
    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.create(name="Sáu", code="05555", slug="sau")


def test_a_program_lists_the_units_of_its_own_year():
    program = make_program(2026)
    old = make_commune("Vi Hương", valid_until=BEFORE_ARRANGEMENT)
    support = CommuneSupport(program=program, commune=old)
    with pytest.raises(ValidationError) as error:
        support.full_clean()
    assert error.value.message_dict["commune"] == [
        "xã Vi Hương không còn tồn tại trong năm 2026 (… – 30/06/2025): chương trình của "
        "năm nào ghi các đơn vị của năm đó."
    ]
    # In 2025 both the former and the new units existed.
    CommuneSupport(program=make_program(2025), commune=old).full_clean()
    new = make_commune("Phủ Thông", valid_from=ARRANGED)
    CommuneSupport(program=program, commune=new).full_clean()


def test_a_commune_takes_its_district_s_province():
    province = make_province("Bắc Kạn", code="06", valid_until=BEFORE_ARRANGEMENT)
    district = make_district("Ngân Sơn", province=province)
    commune = Commune(name="Hiệp Lực", district=district)
    commune.full_clean()
    assert commune.province == province
    commune.province = make_province("Thái Nguyên", code="19")
    with pytest.raises(ValidationError) as error:
        commune.full_clean()
    assert error.value.message_dict["province"] == ["Tỉnh của xã phải là tỉnh của huyện."]


def test_a_commune_after_2025_may_have_no_district():
    commune = Commune(name="Đức Xuân", kind=Commune.Kind.WARD)
    commune.full_clean()
    commune.save()
    assert commune.district is None
    assert str(commune) == "phường Đức Xuân"
