"""Old addresses keep working: former slugs and the leaders' redirects (core/redirects.py)."""

import pytest
from django.apps import apps
from django.db import connection

from core import redirects
from core.models import FormerSlug, Redirect
from core.redirects import KeepsOldAddresses
from news.models import Article
from tests.factories import (
    logged_in,
    make_article,
    make_category,
    make_commune,
    make_intro_page,
    make_user,
)

pytestmark = pytest.mark.django_db

# One public row of each model that keeps its old addresses.
MAKERS = {
    "news.article": make_article,
    "news.category": make_category,
    "communes.commune": make_commune,
    "about.intropage": make_intro_page,
}


def test_every_model_addressed_by_its_slug_keeps_its_old_addresses():
    addressed = [
        model
        for model in apps.get_models()
        if hasattr(model, "get_absolute_url")
        and any(field.name == "slug" for field in model._meta.get_fields())
    ]
    assert addressed
    forgotten = [m._meta.label for m in addressed if not issubclass(m, KeepsOldAddresses)]
    assert forgotten == [], "inherit core.redirects.KeepsOldAddresses"
    assert {redirects.model_label(m) for m in redirects.address_models()} == set(MAKERS)
    tables = {m._meta.db_table for m in redirects.address_models()}
    assert redirects.installed_triggers() == {f"{table}_former_slug" for table in tables}


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_a_renamed_row_is_found_at_its_old_address_through_any_write(client, label):
    row = MAKERS[label]()
    old_url = row.get_absolute_url()
    # Past save(): an update() as bulk paths and other apps write.
    type(row)._default_manager.filter(pk=row.pk).update(slug="dia-chi-moi")
    row.refresh_from_db()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == row.get_absolute_url()
    assert client.get(row.get_absolute_url()).status_code == 200


def test_a_chain_of_renames_is_one_hop_and_coming_back_is_no_loop(client):
    article = make_article("Hội nghị tổng kết")
    first = article.get_absolute_url()
    for slug in ("hoi-nghi-b", "hoi-nghi-c"):
        article.slug = slug
        article.save()
    assert client.get(first)["Location"] == "/tin-tuc/hoi-nghi-c/"
    assert client.get("/tin-tuc/hoi-nghi-b/")["Location"] == "/tin-tuc/hoi-nghi-c/"
    article.slug = "hoi-nghi-tong-ket"
    article.save()
    assert client.get(first).status_code == 200
    assert client.get("/tin-tuc/hoi-nghi-c/")["Location"] == first


def test_an_old_address_answers_404_once_its_row_is_not_public(client):
    article = make_article("Hội nghị tổng kết")
    Article.objects.filter(pk=article.pk).update(slug="hoi-nghi-moi")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get("/tin-tuc/hoi-nghi-tong-ket/").status_code == 404
    assert client.get("/tin-tuc/hoi-nghi-moi/").status_code == 404


def test_an_english_page_keeps_its_old_address_in_english(client):
    page = make_intro_page("Giới thiệu chung", title_en="General introduction")
    page.slug = "gioi-thieu-tinh-doan"
    page.save()
    response = client.get("/en/gioi-thieu/gioi-thieu-chung/")
    assert response["Location"] == "/en/gioi-thieu/gioi-thieu-tinh-doan/"


def test_a_page_under_a_hidden_page_is_not_redirected_to(client):
    parent = make_intro_page("Lịch sử", is_visible=False)
    page = make_intro_page("Giai đoạn đầu", parent=parent)
    page.slug = "giai-doan-1"
    page.save()
    assert client.get("/gioi-thieu/giai-doan-dau/").status_code == 404


@pytest.fixture
def leader(client):
    return logged_in(client, make_user("publisher"))


def add_redirect(client, old_path, redirect_to):
    return client.post(
        "/admin/core/redirect/add/", {"old_path": old_path, "redirect_to": redirect_to}
    )


def test_a_leader_sends_an_old_portal_address_to_an_article_that_moves_later(
    client, leader, settings
):
    settings.PAGE_CACHE_ENABLED = True
    article = make_article("Đại hội Đoàn")
    old = "/Pages/tin-tuc.aspx?ID=123&CategoryID=4"
    assert client.get(old).status_code == 404
    response = add_redirect(
        leader,
        f"https://tinhdoanbackan.gov.vn{old}",
        f"http://testserver{article.get_absolute_url()}",
    )
    assert response.status_code == 302
    redirect = Redirect.objects.get()
    assert redirect.old_path == "/Pages/tin-tuc.aspx?CategoryID=4&ID=123"
    assert redirect.redirect_to == article.get_absolute_url()
    # The same address, parameters in another order, no stale 404 from the page cache.
    client.logout()
    assert client.get(old)["Location"] == article.get_absolute_url()
    Article.objects.filter(pk=article.pk).update(slug="dai-hoi-doan-lan-thu-xii")
    assert client.get(old)["Location"] == "/tin-tuc/dai-hoi-doan-lan-thu-xii/"
    assert client.get("/Pages/tin-tuc.aspx?ID=124").status_code == 404


def test_a_leader_redirect_to_a_path_or_another_site(client, leader):
    add_redirect(leader, "/Pages/lien-he.aspx", "/lien-he/")
    add_redirect(leader, "/Pages/cu.aspx", "/Pages/lien-he.aspx")
    add_redirect(leader, "/Pages/tw.aspx", "https://doanthanhnien.vn/")
    assert client.get("/Pages/cu.aspx")["Location"] == "/lien-he/"
    assert client.get("/Pages/tw.aspx")["Location"] == "https://doanthanhnien.vn/"


def test_a_redirect_that_goes_round_in_circles_is_refused_in_vietnamese(leader):
    add_redirect(leader, "/a.aspx", "/b.aspx")
    add_redirect(leader, "/b.aspx", "/c.aspx")
    response = add_redirect(leader, "/c.aspx", "/a.aspx")
    assert response.status_code == 200
    assert "đi vòng" in response.content.decode()
    assert Redirect.objects.count() == 2


def test_the_recorded_addresses_are_listed_for_leaders(leader):
    category = make_category("Tin hoạt động")
    category.slug = "hoat-dong"
    category.save()
    assert FormerSlug.objects.get().slug == "tin-hoat-dong"
    content = leader.get("/admin/core/formerslug/").content.decode()
    assert "/chuyen-muc/tin-hoat-dong/" in content
    assert '<a href="/chuyen-muc/hoat-dong/">Tin hoạt động</a>' in content


def test_writes_outside_django_are_recorded_too():
    category = make_category("Tin hoạt động")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_category SET slug = 'moi' WHERE id = %s", [category.pk])
    assert list(FormerSlug.objects.values_list("slug", "object_id")) == [
        ("tin-hoat-dong", category.pk)
    ]


def test_an_unknown_address_costs_two_lookups_more(settings):
    """The leaders' redirects and the former slugs: two indexed lookups, only on a 404."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def queries(client, path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 404
        return len(captured)

    def costs():
        client = Client()
        paths = ["/tin-tuc/khong-co-bai-nay/", "/Pages/khong-co.aspx"]
        [queries(client, path) for path in paths]  # what is remembered per content version
        return [queries(client, path) for path in paths]

    with_redirects = costs()
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "core.redirects.RedirectMiddleware"
    ]
    # An address no model owns costs only the redirects' lookup.
    assert [a - b for a, b in zip(with_redirects, costs(), strict=True)] == [2, 1]
