"""The migration that turns each unit's single successor into links (communes 0004)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from communes.lineage import now
from communes.models import Commune, CommuneLink, District, DistrictLink

ONE_SUCCESSOR = [("communes", "0003_program_spelling")]


def migrate(targets):
    """Migrate to targets; return the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_every_successor_becomes_a_link_pages_say_the_same_and_it_goes_back():
    old = migrate(ONE_SUCCESSOR)
    try:
        OldDistrict = old.get_model("communes", "District")
        OldCommune = old.get_model("communes", "Commune")
        new_district = OldDistrict.objects.create(name="Huyện mới", slug="huyen-moi")
        OldDistrict.objects.create(name="Bạch Thông", slug="bach-thong", successor=new_district)
        merged_2025 = OldCommune.objects.create(
            name="Phủ Thông", slug="phu-thong", valid_from=datetime.date(2025, 7, 1)
        )
        merged_2020 = OldCommune.objects.create(
            name="Vi Hương",
            slug="vi-huong",
            valid_until=datetime.date(2025, 6, 30),
            successor=merged_2025,
        )
        OldCommune.objects.create(name="Lạng Mường", slug="lang-muong", successor=merged_2020)
        OldCommune.objects.create(name="Sảng Mộc", slug="sang-moc")
    finally:
        migrate(latest())

    links = {
        (link.predecessor.name, link.successor.name): link.date
        for link in CommuneLink.objects.select_related("predecessor", "successor")
    }
    assert links == {
        # The day after the unit's last, or the successor's first.
        ("Vi Hương", "Phủ Thông"): datetime.date(2025, 7, 1),
        ("Lạng Mường", "Vi Hương"): None,
    }
    assert DistrictLink.objects.get().predecessor == District.objects.get(name="Bạch Thông")
    # "(nay là …)" follows the chain as the successor field did.
    assert str(now(Commune.objects.get(name="Lạng Mường"))) == "(nay là xã Phủ Thông)"
    assert not now(Commune.objects.get(name="Sảng Mộc"))

    # And back (one migration each way costs seconds: the same test): a unit's first
    # link becomes its successor again.
    try:
        first, second = Commune.objects.create(name="Cũ"), Commune.objects.create(name="Mới")
        CommuneLink.objects.create(predecessor=first, successor=second)
        old = migrate(ONE_SUCCESSOR)
        OldCommune = old.get_model("communes", "Commune")
        assert OldCommune.objects.get(name="Cũ").successor_id == second.pk
        assert OldCommune.objects.get(name="Lạng Mường").successor.name == "Vi Hương"
    finally:
        migrate(latest())
