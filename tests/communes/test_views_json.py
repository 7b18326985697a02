"""The year's supported communes as JSON: the CSV download's rows, in its order."""

import csv
import io

import pytest

from communes.models import CommuneSupport
from tests.factories import (
    LINEAGE_QUERIES,
    NEXT_MOMENT_QUERIES,
    make_commune,
    make_district,
    make_program,
    make_support,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = make_program(2022, planned_count=3, summary="=1+1 không phải công thức")
    ngan_son, city = make_district("Ngân Sơn"), make_district("Bắc Kạn", kind="thanh_pho")
    make_support(program, make_commune("Hiệp Lực", ngan_son), officer="Hà Thu")
    make_support(program, make_commune("Bằng Vân", ngan_son), rating="excellent")
    make_support(program, make_commune("Nông Thượng", city), notes="Xã điểm")
    make_support(make_program(2021), make_commune("Cốc Đán", ngan_son))
    return program


def test_the_json_has_the_csv_rows_in_the_same_order(client, program):
    response = client.get("/xa-ho-tro/2022.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="xa-ho-tro-2022.json"'
    rows = response.json()
    csv_rows = list(
        csv.DictReader(io.StringIO(client.get("/xa-ho-tro/2022.csv").content.decode("utf-8-sig")))
    )
    assert [row["commune"] for row in rows] == [row["commune"] for row in csv_rows]
    assert [row["commune"] for row in rows] == ["Nông Thượng", "Bằng Vân", "Hiệp Lực"]
    for row, csv_row in zip(rows, csv_rows, strict=True):
        assert list(row) == list(csv_row)
        # The same values; numbers as numbers, and no spreadsheet quote before "=".
        assert {key: str(value) for key, value in row.items()} == {
            **csv_row,
            "summary": "=1+1 không phải công thức",
        }
    assert rows[1]["rating"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert rows[0]["year"] == 2022 and rows[0]["planned_count"] == 3


def test_an_unknown_plan_is_null_and_a_year_without_communes_has_one_row(client):
    make_program(2023)
    rows = client.get("/xa-ho-tro/2023.json").json()
    assert len(rows) == 1
    assert rows[0]["planned_count"] is None
    assert rows[0]["commune"] == ""


def test_an_unknown_year_is_not_found(client):
    assert client.get("/xa-ho-tro/1999.json").status_code == 404


def test_the_year_page_offers_both_downloads(client, program):
    page = client.get("/xa-ho-tro/2022/").content.decode()
    assert 'href="/xa-ho-tro/2022.csv" download>Tải danh sách (CSV)' in page
    assert 'href="/xa-ho-tro/2022.json" download>Tải danh sách (JSON)' in page


@pytest.mark.usefixtures("rendered_fresh")
def test_the_json_runs_a_fixed_number_of_queries(client, program, django_assert_num_queries):
    for number in range(10):
        make_support(program, make_commune(f"Xã {number}"), rating=CommuneSupport.Rating.GOOD)
    # Program, supports with communes and districts; once per change, the communes' links
    # (what each is now) and when the content next changes by itself.
    with django_assert_num_queries(2 + LINEAGE_QUERIES + NEXT_MOMENT_QUERIES):
        assert len(client.get("/xa-ho-tro/2022.json").json()) == 13
    with django_assert_num_queries(2):
        assert len(client.get("/xa-ho-tro/2022.json").json()) == 13
