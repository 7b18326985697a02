"""The plans SQLite chooses for every list a reader or the newsroom opens, on a database that
was never analysed: each list walks an index in its own order and stops when its page is
full. A plan that sorts the articles it reads (or every match of a search) costs what the
archive weighs: at 100,000 articles, a quarter of a second to seconds a page.

Without statistics SQLite's planner guesses each index's selectivity; a misleading index
(the status alone, which it takes for rare) is enough for it to sort every published row.
The portal gathers statistics itself (core.statistics), but a new or restored database
has none until then, so the plans must hold without them.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.pagination import ArchivePaginator
from news.models import Article, Stage
from tests.factories import (
    admin_url,
    logged_in,
    make_article,
    make_article_at,
    make_category,
    make_commune,
    make_photo,
    make_program,
    make_support,
    make_user,
)
from tests.plans import assert_plans_hold, faults, index_tables

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner"),
]


@pytest.fixture
def archive(settings, monkeypatch):
    """A small archive of every stage; deep pages start from anchors every 12 articles."""
    settings.PAGE_CACHE_ENABLED = False
    monkeypatch.setattr(ArchivePaginator, "ANCHOR_EVERY", 12)
    now = timezone.now()
    category = make_category()
    program = make_program(year=now.year)
    make_support(program, make_commune())
    for number in range(40):
        article = make_article(
            title=f"Thanh niên Ba Bể tình nguyện số {number}",
            category=category,
            published_at=now - datetime.timedelta(days=number),
            featured=number % 10 == 0,
            author_name="Ngọc Tú",
        )
        if number % 5 == 0:
            make_photo(article)
            program.articles.add(article)
    for stage in Stage:
        make_article_at(stage, now, title=f"Khởi nghiệp {stage.label}", category=category)
    return {"category": category, "program": program, "article": article}


def public_pages(archive):
    year = archive["program"].year
    return [
        ("/", {}),
        ("/tin-tuc/", {}),
        ("/tin-tuc/", {"page": "3"}),
        (archive["category"].get_absolute_url(), {}),
        (archive["category"].get_absolute_url(), {"page": "3"}),
        (archive["article"].get_absolute_url(), {}),
        (f"/xa-ho-tro/{year}/", {}),
        ("/tim-kiem/", {"q": "thanh nien"}),
        ("/tim-kiem/", {"q": "thanh nien", "page": "3"}),
        ("/tim-kiem/", {"q": "thanh nien ba be so 7"}),
        ("/tim-kiem/", {"q": "tau vu tru"}),
        ("/tim-kiem/", {"q": "thanh nien", "year": str(year)}),
        ("/tim-kiem/", {"q": "thanh nien", "category": archive["category"].slug}),
    ]


def newsroom_pages(archive):
    changelist = admin_url("changelist")
    return [
        ("/admin/", {}),
        (changelist, {}),
        (changelist, {"p": "2"}),
        *[(changelist, {"stage": stage.value}) for stage in Stage if stage != Stage.TRASHED],
        (changelist, {"stage": "mine"}),
        (changelist, {"category__id__exact": archive["category"].pk}),
        (changelist, {"featured__exact": "1"}),
        (changelist, {"q": "thanh nien"}),
        (changelist, {"q": "thanh nien", "p": "2"}),
        (changelist, {"q": "khoi nghiep"}),
        (changelist, {"q": "Ngọc Tú"}),
        (changelist, {"q": "tau vu tru"}),
        (changelist, {"q": "thanh nien", "stage": "live"}),
        (admin_url("changelist", model="trashedarticle"), {}),
    ]


def test_readers_pages_walk_an_index_in_their_order(client, archive):
    assert_plans_hold(client, public_pages(archive))


@pytest.mark.parametrize("role", ["publisher", "contributor"])
def test_the_newsrooms_lists_walk_an_index_in_their_order(client, archive, role):
    user = make_user(role)
    Article.all_objects.update(created_by=user)
    assert_plans_hold(logged_in(client, user), newsroom_pages(archive))


def test_a_sort_of_the_published_rows_is_caught(archive):
    # The plan SQLite chose with an index on the status alone, before migration 0015.
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX "misleading_status" ON "news_article" ("status")')
    sql, params = Article.objects.cards().values("pk")[:12].query.sql_with_params()
    assert faults(sql, index_tables(), params) == [
        "sorts the news_article rows it reads: "
        "SEARCH news_article USING INDEX misleading_status (status=?)"
    ]
