"""The shipped 2025 arrangement and the command that imports it (communes.lineage_file).

The clauses checked here were read in Nghị quyết 1683/NQ-UBTVQH15 itself (Điều 1).
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F

from communes.lineage_file import SHIPPED
from communes.models import Commune, CommuneLink, District, Province, ProvinceLink
from tests.factories import ARRANGED, BEFORE_ARRANGEMENT

pytestmark = pytest.mark.django_db

# khoản: (the units it names, with their kind, -> the unit it forms, with its code in
# Công văn 1027/CTK-CSCL)
CLAUSES = {
    44: ({"xã Công Bằng", "xã Cổ Linh", "xã Cao Tân"}, ("xã Cao Minh", "01879")),
    50: ({"xã Thượng Ân", "xã Bằng Vân"}, ("xã Bằng Vân", "01942")),
    60: (
        {"thị trấn Phủ Thông", "xã Vi Hương", "xã Tân Tú", "xã Lục Bình"},
        ("xã Phủ Thông", "01969"),
    ),
    89: (
        {"phường Nguyễn Thị Minh Khai", "phường Huyền Tụng", "phường Đức Xuân"},
        ("phường Đức Xuân", "01840"),
    ),
    # A xã became part of a phường.
    90: (
        {"phường Sông Cầu", "phường Phùng Chí Kiên", "phường Xuất Hóa", "xã Nông Thượng"},
        ("phường Bắc Kạn", "01843"),
    ),
    # Not arranged: the unit goes on, without its district.
    91: ({"xã Thượng Quan"}, ("xã Thượng Quan", "01957")),
}


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_lineage", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture(scope="class")
def imported(django_db_setup, django_db_blocker):
    """The shipped file, imported once for the tests of a class and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("imported")
class TestTheShippedArrangement:
    """What the shipped file holds, once imported (each test's writes are rolled back)."""

    def test_it_imports_whole(self, imported):
        assert imported == (
            "Imported. provinces: 3 created, 0 updated, 0 unchanged; districts: 8 created, 0 "
            "updated, 0 unchanged; communes: 200 created, 0 updated, 0 unchanged; links: 110 "
            "created, 0 updated, 0 unchanged.\n"
        )
        new = Commune.objects.filter(valid_from=ARRANGED)
        # Khoản 91 Điều 1: 92 commune-level units, 77 xã and 15 phường.
        assert new.count() == 92
        assert new.filter(kind=Commune.Kind.COMMUNE).count() == 77
        assert new.filter(kind=Commune.Kind.WARD).count() == 15
        assert {unit.province.name for unit in new.select_related("province")} == {"Thái Nguyên"}
        assert new.filter(district__isnull=False).count() == 0
        # Bắc Kạn's 108 former units each went whole into one unit on 1 July 2025.
        former = Commune.objects.filter(valid_until=BEFORE_ARRANGEMENT)
        assert former.count() == 108
        assert all(unit.successor_links.count() == 1 for unit in former)
        assert set(CommuneLink.objects.values_list("date", "whole", "resolution")) == {
            (ARRANGED, True, "1683/NQ-UBTVQH15")
        }
        # Districts end with the district level; they have no successor.
        assert set(District.objects.values_list("valid_until", flat=True)) == {BEFORE_ARRANGEMENT}
        assert not District.objects.filter(successor_links__isnull=False).exists()

    @pytest.mark.parametrize("clause", CLAUSES)
    def test_the_arrangement_matches_the_resolution(self, clause):
        named, (formed, code) = CLAUSES[clause]
        unit = Commune.objects.get(code=code, valid_from=ARRANGED)
        assert str(unit) == formed
        assert unit.basis == f"Nghị quyết số 1683/NQ-UBTVQH15, khoản {clause} Điều 1"
        links = unit.predecessor_links.select_related("predecessor")
        # Tones placed the old way in the national list of codes ("Xuất Hoá") are the same name.
        assert {str(link.predecessor).replace("oá", "óa") for link in links} == named
        assert {link.clause for link in links} == {f"khoản {clause} Điều 1"}

    def test_units_of_the_same_code_coexist_one_after_the_other(self):
        old, new = Commune.objects.filter(code="01840").order_by(
            F("valid_from").asc(nulls_first=True)
        )
        assert (old.name, old.valid_from, old.valid_until) == ("Đức Xuân", None, BEFORE_ARRANGEMENT)
        assert (old.district.name, old.province.name) == ("Bắc Kạn", "Bắc Kạn")
        assert (new.name, new.valid_from, new.valid_until, new.district) == (
            "Đức Xuân",
            ARRANGED,
            None,
            None,
        )
        assert old.slug != new.slug
        # Thái Nguyên too: province 19 before and after the merger.
        assert [
            (province.name, province.valid_until) for province in Province.objects.filter(code="19")
        ] == [("Thái Nguyên", BEFORE_ARRANGEMENT), ("Thái Nguyên", None)]
        assert sorted(
            ProvinceLink.objects.values_list("predecessor__name", "successor__name", "resolution")
        ) == [
            ("Bắc Kạn", "Thái Nguyên", "202/2025/QH15"),
            ("Thái Nguyên", "Thái Nguyên", "202/2025/QH15"),
        ]

    def test_importing_again_changes_nothing(self):
        assert run().endswith(
            "communes: 0 created, 0 updated, 200 unchanged; links: 0 created, 0 updated, "
            "110 unchanged.\n"
        )


def test_the_file_names_its_sources_and_keeps_their_licence():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    sources = " ".join(data["sources"])
    for source in ["1683/NQ-UBTVQH15", "1027/CTK-CSCL", "https://github.com/dvhcvn/20250701"]:
        assert source in sources
    assert data["licence"].startswith("MIT License\n\nCopyright (c) 2025 dvhcvn")
    assert "The above copyright notice and this permission notice" in data["licence"]


def test_it_completes_the_units_the_supported_communes_file_made():
    # As a portal that imported its 2022 communes before the arrangement was shipped.
    call_command("import_communes", "portal/demo/supported_communes.csv", stdout=StringIO())
    Commune.objects.update(code="", valid_until=None, province=None)
    District.objects.update(code="", valid_until=None, province=None)
    report = run()
    assert "districts: 0 created, 8 updated" in report
    assert "communes: 191 created, 9 updated" in report
    vi_huong = Commune.objects.get(name="Vi Hương")
    assert (vi_huong.code, vi_huong.valid_until, vi_huong.supports.count()) == (
        "01975",
        BEFORE_ARRANGEMENT,
        1,
    )
    assert vi_huong.successor_links.get().successor.name == "Phủ Thông"


def test_a_dry_run_writes_nothing():
    assert run("--dry-run").startswith("Dry run, nothing written. Would have: provinces: 3 created")
    assert not Commune.objects.exists()


def bad_file(tmp_path, change):
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def unknown_kind(data):
    data["after"]["communes"][0]["kind"] = "khu phố"


def dangling_link(data):
    data["links"]["communes"][0]["to"] = "99999"


def bad_date(data):
    data["date"] = "01/07/2025"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (unknown_kind, "after.communes[0]: kind 'khu phố' is not one of: phuong, thi_tran, xa"),
        (dangling_link, "links.communes[0]: to '99999' is not a unit after"),
        (bad_date, "date '01/07/2025' is not a date written YYYY-MM-DD"),
    ],
)
def test_a_bad_file_is_reported_and_nothing_is_written(tmp_path, change, message):
    path = bad_file(tmp_path, change)
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_lineage", path, stdout=StringIO(), stderr=err)
    assert str(error.value).endswith("problem(s); nothing was imported.")
    assert f"{path}: {message}" in err.getvalue().splitlines()
    assert not Commune.objects.exists()


def test_a_code_held_by_a_unit_of_another_name_is_refused(tmp_path):
    # Names as they were are never rewritten, even by the official file.
    Commune.objects.create(name="Xã khác", code="01942", valid_until=datetime.date(2025, 6, 30))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_lineage", stdout=StringIO(), stderr=err)
    assert "code '01942' belongs to 'Xã khác', not 'Bằng Vân'; a unit is never renamed" in (
        err.getvalue()
    )
    assert Commune.objects.count() == 1


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "missing.json"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_lineage", str(path), stdout=StringIO(), stderr=err)
    assert "cannot read the file" in err.getvalue()
