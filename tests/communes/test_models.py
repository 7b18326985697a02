import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from communes.models import Commune, CommuneSupport, District, SupportProgram
from tests.factories import make_commune, make_district, make_program, make_support

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


def test_a_historical_name_is_kept_and_points_to_what_it_became():
    merged_2020 = make_commune("Xã mới 2020")
    merged_2025 = make_commune("Xã mới 2025")
    merged_2020.successor = merged_2025
    merged_2020.save()
    old = make_commune("Vi Hương", valid_until=datetime.date(2020, 1, 31), successor=merged_2020)

    old.refresh_from_db()
    assert old.name == "Vi Hương"
    assert str(old) == "xã Vi Hương"
    # "nay là" is what the unit is now, at the end of the chain.
    assert old.current_successor == merged_2025
    assert merged_2025.current_successor is None
    assert [unit.name for unit in merged_2025.predecessors.all()] == ["Xã mới 2020"]


def test_successor_loops_do_not_hang():
    first, second = make_commune("Một"), make_commune("Hai")
    Commune.objects.filter(pk=first.pk).update(successor=second)
    Commune.objects.filter(pk=second.pk).update(successor=first)
    first.refresh_from_db()
    assert first.current_successor == second


@pytest.mark.parametrize("model", [District, Commune])
def test_unit_rules_give_vietnamese_errors(model):
    unit = model.objects.create(name="Bạch Thông", valid_from=datetime.date(2020, 1, 1))
    unit.valid_until = datetime.date(2019, 12, 31)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["valid_until"] == [
        "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."
    ]

    unit.valid_until = None
    unit.successor = unit
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["successor"] == [
        "Một đơn vị không thể là đơn vị kế thừa của chính nó."
    ]


def test_official_codes_are_unique_when_given():
    make_commune("Một", code="01234")
    make_commune("Hai")
    make_commune("Ba")  # several communes without a code are fine
    with pytest.raises(ValidationError) as error:
        Commune(name="Bốn", code="01234", slug="bon").full_clean()
    assert "Mã đơn vị hành chính này đã được dùng cho một xã khác." in str(error.value)


def test_a_commune_after_2025_may_have_no_district():
    commune = Commune(name="Đức Xuân", kind=Commune.Kind.WARD)
    commune.full_clean()
    commune.save()
    assert commune.district is None
    assert str(commune) == "phường Đức Xuân"
