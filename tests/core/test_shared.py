"""{% shared %}: the header and footer, drawn once per content version for every page."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from news.models import Category
from tests.factories import (
    CATEGORY_QUERIES,
    COUNT_QUERIES,
    element,
    make_article,
    make_category,
    make_identity,
    make_intro_page,
)

pytestmark = pytest.mark.django_db


def test_the_header_is_drawn_once_then_shared_by_every_page(client, django_assert_num_queries):
    make_article("Tin đầu tiên", category=make_category("Thiếu nhi"))
    client.get("/tin-tuc/")  # draws the header

    # The category page as budgeted, less the menu's query.
    with django_assert_num_queries(CATEGORY_QUERIES + COUNT_QUERIES - 1):
        response = client.get("/chuyen-muc/thieu-nhi/")
    assert '<a href="/chuyen-muc/thieu-nhi/">Thiếu nhi</a>' in element(response, "header")


def test_a_changed_menu_shows_on_the_next_page(client):
    category = make_category("Thiếu nhi")
    assert "Thiếu nhi" in element(client.get("/tin-tuc/"), "header")

    category.name = "Đội TNTP"
    category.save()
    make_category("Phong trào")

    menu = element(client.get("/tin-tuc/"), "header")
    assert "Thiếu nhi" not in menu
    assert '<a href="/chuyen-muc/thieu-nhi/">Đội TNTP</a>' in menu
    assert "Phong trào" in menu
    Category.objects.filter(name="Phong trào").delete()
    assert "Phong trào" not in element(client.get("/tin-tuc/"), "header")


def test_a_changed_identity_shows_in_the_footer_of_the_next_page(client):
    identity = make_identity()
    assert "0209 3870 000" in element(client.get("/"), "footer")

    identity.phone = "0209 3999 999"
    identity.save()

    assert "0209 3999 999" in element(client.get("/tin-tuc/"), "footer")


def test_each_language_has_its_own_header_and_footer(client):
    make_identity()
    make_intro_page()
    vietnamese = client.get("/gioi-thieu/gioi-thieu-chung/")
    english = client.get("/en/gioi-thieu/gioi-thieu-chung/")
    again = client.get("/tin-tuc/")

    assert '<a href="/">Trang chủ</a>' in element(vietnamese, "header")
    assert '<a href="/en/gioi-thieu/">Introduction</a>' in element(english, "header")
    assert '<a href="/en/gioi-thieu/">Introduction</a>' in element(english, "footer")
    assert '<a href="/">Trang chủ</a>' in element(again, "header")
    assert '<a href="/gioi-thieu/">Giới thiệu</a>' in element(again, "footer")


def test_a_shared_part_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError, match="shared"):
        Template("{% load shared %}{% shared header %}x{% endshared %}")


def test_a_shared_part_with_the_same_name_is_drawn_once():
    first = Template('{% load shared %}{% shared "part" %}{{ value }}{% endshared %}')
    assert first.render(Context({"value": "một"})) == "một"
    assert first.render(Context({"value": "hai"})) == "một"


@pytest.mark.usefixtures("rendered_fresh")
def test_with_the_page_cache_off_every_page_draws_its_header(client, django_assert_num_queries):
    make_article("Tin đầu tiên", category=make_category("Thiếu nhi"))
    client.get("/tin-tuc/")

    with django_assert_num_queries(CATEGORY_QUERIES + COUNT_QUERIES):
        client.get("/chuyen-muc/thieu-nhi/")
