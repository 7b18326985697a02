"""The plans SQLite chooses for the documents' lists on a database that was never analysed:
each walks an index in its own order rather than sorting every document it reads."""

import datetime

import pytest
from django.db import connection

from core.workflow import Stage
from documents.models import Document, DocumentType, Issuer
from tests.factories import logged_in, make_document, make_user, stage_fields
from tests.plans import assert_plans_hold

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner"),
]
CHANGELIST = "/admin/documents/document/"


@pytest.fixture
def registry(settings):
    """Documents of two types and two years, and one at every stage of the workflow."""
    settings.PAGE_CACHE_ENABLED = False
    report = DocumentType.objects.get(slug="bao-cao")
    for number in range(30):
        make_document(
            f"{number}-KH/TĐTN",
            f"Kế hoạch tổ chức Tháng Thanh niên số {number}",
            issued_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=20 * number),
            doc_type=report if number % 3 == 0 else DocumentType.objects.get(slug="ke-hoach"),
        )
    for stage in Stage:
        make_document(f"{stage.value}-BC/TĐTN", f"Báo cáo {stage.label}", **stage_fields(stage))


def test_the_readers_list_walks_an_index_in_its_order(client, registry):
    issuer = Issuer.objects.get(slug="ban-thuong-vu-tinh-doan").slug
    assert_plans_hold(
        client,
        [
            ("/van-ban/", {}),
            ("/van-ban/", {"page": "2"}),
            ("/van-ban/", {"type": "bao-cao"}),
            ("/van-ban/", {"issuer": issuer, "year": "2025"}),
            ("/van-ban/", {"q": "thang thanh nien"}),
            ("/van-ban/", {"q": "tau vu tru"}),
        ],
    )


@pytest.mark.parametrize("role", ["publisher", "contributor"])
def test_the_newsrooms_list_walks_an_index_in_its_order(client, registry, role):
    user = make_user(role)
    Document.all_objects.update(created_by=user)
    assert_plans_hold(
        logged_in(client, user),
        [
            (CHANGELIST, {}),
            *[(CHANGELIST, {"stage": stage.value}) for stage in Stage if stage != Stage.TRASHED],
            (CHANGELIST, {"stage": "mine"}),
            (CHANGELIST, {"q": "thang thanh nien"}),
            (CHANGELIST, {"doc_type__id__exact": DocumentType.objects.get(slug="bao-cao").pk}),
            ("/admin/documents/trasheddocument/", {}),
        ],
    )
