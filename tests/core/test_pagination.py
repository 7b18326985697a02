"""Deep list pages start from remembered anchors, and show what counting from the top shows."""

import datetime
import re

import pytest
from django.utils import timezone

from core.pagination import ArchivePaginator
from news.models import Article
from tests.factories import (
    COUNT_QUERIES,
    IDENTITY_QUERIES,
    LIST_QUERIES,
    NEXT_MOMENT_QUERIES,
    make_article,
    make_category,
    make_commune,
    make_program,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_fresh")]

PAGE = 12
# Small, so a few dozen articles make pages past several anchors.
ANCHOR_EVERY = 2 * PAGE


@pytest.fixture(autouse=True)
def close_anchors(monkeypatch):
    monkeypatch.setattr(ArchivePaginator, "ANCHOR_EVERY", ANCHOR_EVERY)


def titles_on(response):
    assert response.status_code == 200
    return re.findall(
        r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def expected_pages(articles):
    """The titles page by page, in the list's order, read straight from the database."""
    titles = list(articles.order_by("-published_at", "-pk").values_list("title", flat=True))
    return [titles[start : start + PAGE] for start in range(0, len(titles), PAGE)]


@pytest.fixture
def archive():
    """Eighty articles, three at a time published at the same second, among hidden ones."""
    youth = make_category(name="Thanh niên")
    commune = make_commune(name="Hiệp Lực")
    program = make_program(2024)
    start = timezone.now() - datetime.timedelta(days=100)
    for number in range(80):
        article = make_article(
            title=f"Tin {number:02d}",
            category=youth if number % 2 else None,
            published_at=start + datetime.timedelta(hours=number // 3),
        )
        if number % 3:
            commune.articles.add(article)
        program.articles.add(article)
        if number % 10 == 0:
            make_article(title=f"Nháp {number}", status=Article.Status.DRAFT, category=youth)
            make_article(
                title=f"Hết hạn {number}",
                published_at=article.published_at,
                expires_at=timezone.now() - datetime.timedelta(days=1),
                category=youth,
            )
    return youth, commune, program


def test_every_page_of_every_list_shows_the_articles_counted_from_the_top(client, archive):
    youth, commune, program = archive
    published = Article.objects.published()
    lists = {
        "/tin-tuc/": published,
        youth.get_absolute_url(): published.filter(category=youth),
        f"/xa-ho-tro/xa/{commune.slug}/tin-bai/": published.filter(communes=commune),
        f"/xa-ho-tro/{program.year}/tin-bai/": published.filter(support_programs=program),
    }
    for url, articles in lists.items():
        pages = expected_pages(articles)
        assert len(pages) >= 3, url
        shown = [
            titles_on(client.get(f"{url}?page={number}")) for number in range(1, len(pages) + 1)
        ]
        assert shown == pages, url


def test_a_deep_page_runs_the_list_s_queries_once_its_anchor_is_known(
    client, archive, django_assert_num_queries
):
    url = f"/tin-tuc/?page={ANCHOR_EVERY // PAGE * 2 + 1}"
    first = LIST_QUERIES + COUNT_QUERIES + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES
    with django_assert_num_queries(first + 1):  # and its anchor
        client.get(url)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert titles_on(response) == expected_pages(Article.objects.published())[4]


def test_anchors_move_with_the_next_publication(client, archive):
    url = f"/tin-tuc/?page={ANCHOR_EVERY // PAGE + 1}"
    before = titles_on(client.get(url))
    make_article(title="Tin mới nhất")
    after = titles_on(client.get(url))
    pages = expected_pages(Article.objects.published())
    assert after == pages[ANCHOR_EVERY // PAGE]
    assert after[1:] == before[:-1]
