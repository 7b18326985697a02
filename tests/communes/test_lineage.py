"""What a unit is now, from its links, read once per content version (communes.lineage)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.lineage import lineage, now
from communes.models import Commune, CommuneLink
from tests.factories import make_commune, make_link, make_province

pytestmark = pytest.mark.django_db


def test_a_unit_divided_three_ways_is_now_part_of_each():
    province = make_province("Thái Nguyên")
    old = make_commune("Thượng Đình")
    for name in ["Phú Bình", "Điềm Thụy", "Tân Thành"]:
        make_link(old, make_commune(name, province=province), whole=False)
    assert str(now(old)) == (
        "(nay thuộc xã Phú Bình, xã Điềm Thụy và xã Tân Thành, tỉnh Thái Nguyên)"
    )


def test_a_unit_whose_successors_lie_in_two_provinces_names_neither_after_them():
    old = make_commune("Giáp Ranh")
    make_link(old, make_commune("Một", province=make_province("Thái Nguyên")), whole=False)
    make_link(old, make_commune("Hai", province=make_province("Tuyên Quang")), whole=False)
    assert str(now(old)) == "(nay thuộc xã Một và xã Hai)"


def test_a_unit_in_force_or_ended_alone_is_nothing_else_now():
    assert str(now(make_commune("Sảng Mộc"))) == ""
    assert not now(make_commune("Đã giải thể"))


def test_loops_do_not_hang():
    first, second = make_commune("Một"), make_commune("Hai")
    make_link(first, second)
    CommuneLink.objects.create(predecessor=second, successor=first)
    history = lineage(Commune)
    assert history.now(first.pk).places == ()
    assert history.ancestors(first.pk) == history.descendants(first.pk) == {second.pk}


def test_the_links_are_read_once_per_content_version():
    old, new = make_commune("Vi Hương"), make_commune("Phủ Thông")
    make_link(old, new)
    with CaptureQueriesContext(connection) as first:
        assert [place.name for place in now(old).places] == ["Phủ Thông"]
    with CaptureQueriesContext(connection) as again:
        now(old)
        now(new)
    links = [query for query in first if "communes_communelink" in query["sql"]]
    assert len(links) == 1
    assert again.captured_queries == []
    # A new link is a new content version: read once more.
    make_link(new, make_commune("Xã sau"))
    assert [place.name for place in now(old).places] == ["Xã sau"]
