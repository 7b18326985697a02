import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from news import search
from news.models import Article, Stage
from tests.factories import (
    HIDDEN_STAGES,
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    REFERENCE_ARTICLE,
    admin_url,
    logged_in,
    make_article,
    make_article_at,
    make_category,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 25, 8, 0, tzinfo=datetime.UTC)


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def found(client, query, **params):
    """Return the titles a reader finds for query, in the order shown, from every page."""
    titles, page = [], 1
    while True:
        response = client.get("/tim-kiem/", {"q": query, "page": page, **params})
        assert response.status_code == 200
        html = response.content.decode()
        titles += [
            re.sub(r"</?mark>", "", title)
            for title in re.findall(r'<h2 class="card-title"><a href="[^"]+">(.*?)</a>', html)
        ]
        if 'rel="next"' not in html:
            return titles
        page += 1


@pytest.fixture
def reference(client):
    call_command(
        "import_legacy", str(REFERENCE_ARTICLE), "--status", "published", stdout=StringIO()
    )
    return Article.objects.get()


# Vietnamese folding, both ways


@pytest.mark.parametrize(
    "query",
    ["doan co so", "ĐOÀN CƠ SỞ", "đoàn cơ sở", "Đoàn Cơ Sở", "DOAN CO SO", "đoàn  cơ\tsở!"],
)
def test_accents_case_and_d_are_folded_both_ways(client, query):
    make_article(title="Củng cố tổ chức đoàn cơ sở", lead="Tin ngắn.", body="<p>Nội dung.</p>")
    make_article(title="Doan co so viet khong dau", lead="Tin ngắn.", body="<p>Nội dung.</p>")
    make_article(title="Đoạn văn khác", lead="Không liên quan.", body="<p>Cơ hội.</p>")
    assert sorted(found(client, query)) == [
        "Củng cố tổ chức đoàn cơ sở",
        "Doan co so viet khong dau",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ba be", True),
        ("BA BỂ", True),
        ("Ba Bể", True),
        ("Trieu Tien Trinh", True),
        ("triệu tiến trình", True),
        ("hoang tri", True),
        ("Hội nghị tổng kết", True),
        ("bac kan", True),
        ("ba be hanoi", False),
        ("trinh trieu tien khong", False),
    ],
)
def test_the_reference_article_is_found_without_accents(client, reference, query, expected):
    assert found(client, query) == ([reference.title] if expected else [])


def test_whole_words_only(client):
    make_article(title="Thanh niên tình nguyện")
    assert found(client, "thanh nien") == ["Thanh niên tình nguyện"]
    assert found(client, "than") == []
    assert found(client, "nien thanh") == ["Thanh niên tình nguyện"]


# Ranking


def test_title_above_lead_above_body_then_newer_first(client):
    body_old = make_article(
        title="Tin một", lead="Sapo.", body="<p>Hội nghị Ba Bể.</p>", published_at=ago(days=9)
    )
    lead_new = make_article(title="Tin hai", lead="Về Ba Bể.", published_at=ago(days=1))
    title_old = make_article(title="Ba Bể mùa lũ", published_at=ago(days=30))
    body_new = make_article(
        title="Tin ba", lead="Sapo.", body="<p>Xã ở Ba Bể.</p>", published_at=ago(hours=2)
    )
    title_new = make_article(title="Về Ba Bể", published_at=ago(days=3))
    lead_old = make_article(title="Tin bốn", lead="Ba Bể xanh.", published_at=ago(days=8))
    expected = [title_new, title_old, lead_new, lead_old, body_new, body_old]
    assert found(client, "ba be") == [article.title for article in expected]


def test_an_edited_title_or_lead_moves_the_article_between_tiers(client):
    # Each tier has its own index on SQLite: a title or lead edited, or a publication
    # moved, must move the article from one tier to another.
    first = make_article(title="Tin một", body="<p>Ba Bể.</p>", published_at=ago(days=1))
    second = make_article(title="Về Ba Bể", body="<p>Ba Bể.</p>", published_at=ago(days=5))
    assert found(client, "ba be") == ["Về Ba Bể", "Tin một"]
    first.title, second.title = "Hồ Ba Bể", "Tin hai"
    first.save()
    second.save()
    assert found(client, "ba be") == ["Hồ Ba Bể", "Tin hai"]
    second.lead = "Ba Bể mùa thu."
    second.save()
    first.title = "Tin ba"
    first.save()
    assert found(client, "ba be") == ["Tin hai", "Tin ba"]
    first.lead, first.published_at = "Về Ba Bể.", ago(days=9)
    first.save()
    assert found(client, "ba be") == ["Tin hai", "Tin ba"]
    second.published_at = ago(days=10)
    second.save()
    assert found(client, "ba be") == ["Tin ba", "Tin hai"]


def test_results_are_paginated_keeping_the_query_and_filters(client):
    category = make_category()
    for index in range(14):
        make_article(title=f"Ba Bể {index}", category=category, published_at=ago(hours=index + 1))
    first = client.get("/tim-kiem/", {"q": "ba be", "category": category.slug}).content.decode()
    assert first.count('class="card-title"') == 12
    assert "14 bài viết" in first
    assert "Trang 1 / 2" in first
    assert f'href="?q=ba+be&amp;category={category.slug}&amp;page=2"' in first
    assert found(client, "ba be", category=category.slug) == [f"Ba Bể {i}" for i in range(14)]


def test_filter_by_category_and_year_in_vietnam_time(client):
    youth = make_category(name="Thanh niên")
    children = make_category(name="Thiếu nhi")
    # 17:30 UTC on 31 December 2022 is already 2023 in Bắc Kạn.
    new_year = datetime.datetime(2022, 12, 31, 17, 30, tzinfo=datetime.UTC)
    make_article(title="Ba Bể đón năm mới", category=youth, published_at=new_year)
    make_article(
        title="Ba Bể cuối năm",
        category=children,
        published_at=new_year - datetime.timedelta(hours=1),
    )
    assert found(client, "ba be", year="2023") == ["Ba Bể đón năm mới"]
    assert found(client, "ba be", year="2022") == ["Ba Bể cuối năm"]
    assert found(client, "ba be", category=children.slug) == ["Ba Bể cuối năm"]
    assert found(client, "ba be", category=youth.slug, year="2022") == []
    page = client.get("/tim-kiem/", {"q": "ba be"}).content.decode()
    assert '<option value="2023">2023</option>' in page
    assert '<option value="2022">2022</option>' in page


@pytest.mark.parametrize(
    "params",
    [{"year": "1900"}, {"year": "abc"}, {"category": "khong-co"}, {"page": "999"}, {"page": "x"}],
)
def test_bad_filters_still_give_a_page(client, params):
    make_article(title="Ba Bể")
    response = client.get("/tim-kiem/", {"q": "ba be", **params})
    assert response.status_code == 200
    assert "Ba Bể" in response.content.decode()


# Only what readers may see


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("stage", HIDDEN_STAGES)
def test_articles_readers_may_not_see_are_never_found(client, stage):
    make_article_at(Stage.LIVE, NOW, title="Ba Bể công khai")
    make_article_at(Stage(stage), NOW, title="Ba Bể không công khai")
    assert found(client, "ba be") == ["Ba Bể công khai"]


# Highlighting, and queries of every kind


def test_matched_words_are_highlighted_and_escaped(client):
    make_article(
        title="Đoàn viên <b>Ba Bể</b> & bạn trẻ",
        lead="Sapo không khớp.",
        body="<p>Mở đầu.</p><p>Thanh niên xã Cao Thượng, huyện Ba Bể &lt;script&gt; ra quân.</p>",
    )
    html = client.get("/tim-kiem/", {"q": "ba be"}).content.decode()
    assert "Đoàn viên &lt;b&gt;<mark>Ba Bể</mark>&lt;/b&gt; &amp; bạn trẻ" in html
    assert "huyện <mark>Ba Bể</mark> &lt;script&gt; ra quân." in html
    assert "<b>" not in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 5000,
        "đoàn " * 1000,
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1 --",
        'ba AND be OR NOT "x" NEAR(y) * ^ {col}: -z',
        "%00%ff\\",
        "🙂🙂🙂",
        "\u0301\u0300",
        "đ",
        "2022",
    ],
)
def test_any_query_gives_a_normal_page_never_markup(client, query):
    make_article(title="Ba Bể <script>", body="<p>Năm 2022.</p>")
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<h1>Tìm kiếm</h1>" in html


def test_a_null_character_is_refused_with_a_message(client):
    response = client.get("/tim-kiem/", {"q": "ba\x00be"})
    assert response.status_code == 400
    assert "Không đọc được yêu cầu" in response.content.decode()


def test_empty_search_shows_only_the_form(client):
    make_article(title="Ba Bể")
    html = client.get("/tim-kiem/").content.decode()
    assert 'name="q"' in html
    assert 'class="card-title"' not in html
    assert "bài viết" not in html


def test_a_query_without_results_says_so(client):
    make_article(title="Ba Bể")
    html = client.get("/tim-kiem/", {"q": "Pác Nặm"}).content.decode()
    assert "0 bài viết" in html
    assert "Không có bài nào chứa đủ các từ này" in html


@pytest.mark.parametrize("params", [{"q": "ba be"}, {"year": "2023"}, {"q": "", "page": "2"}])
def test_search_results_are_not_indexed(client, params):
    html = client.get("/tim-kiem/", params).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


def test_the_search_page_itself_may_be_indexed(client):
    html = client.get("/tim-kiem/").content.decode()
    assert 'name="robots"' not in html


def test_the_header_has_a_search_box_on_every_page(client):
    html = client.get("/").content.decode()
    form = html[html.index('<form class="search-box"') :]
    form = form[: form.index("</form>")]
    assert 'action="/tim-kiem/"' in form
    assert 'role="search"' in form
    assert '<label class="visually-hidden" for="header-search">' in form


# The index follows every write


@pytest.mark.usefixtures("rendered_fresh")  # update() bypasses the page cache's signals
def test_edits_deletes_and_bulk_writes_reach_the_index(client):
    article = make_article(title="Ngân Sơn")
    assert found(client, "ngan son") == ["Ngân Sơn"]
    article.title = "Pác Nặm"
    article.save()
    assert found(client, "ngan son") == []
    assert found(client, "pac nam") == ["Pác Nặm"]
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    assert found(client, "pac nam") == []
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    Article.all_objects.filter(pk=article.pk).delete()
    assert found(client, "pac nam") == []


def test_rederive_folds_rows_written_without_save(client):
    Article.all_objects.bulk_create(
        [
            Article(
                title=f"Chợ Đồn {index}",
                slug=f"cho-don-{index}",
                lead="Sapo.",
                status=Article.Status.PUBLISHED,
                published_at=ago(hours=index + 1),
            )
            for index in range(3)
        ]
    )
    assert found(client, "cho don") == []
    out = StringIO()
    call_command("rederive", "--no-progress", stdout=out, stderr=StringIO())
    assert "news.Article: 3 row(s) rederived." in out.getvalue()
    assert found(client, "cho don") == ["Chợ Đồn 0", "Chợ Đồn 1", "Chợ Đồn 2"]
    out = StringIO()
    call_command("rederive", "--no-progress", stdout=out, stderr=StringIO())
    assert "news.Article: 0 row(s) rederived." in out.getvalue()
    assert found(client, "cho don") == ["Chợ Đồn 0", "Chợ Đồn 1", "Chợ Đồn 2"]


def test_rederive_shows_a_progress_bar(client):
    make_article(title="Na Rì")
    err = StringIO()
    call_command("rederive", stdout=StringIO(), stderr=err)
    assert "1/1" in err.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_sqlite_triggers_lost_in_a_table_remake_are_put_back_after_migrate(client):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER news_article_search_insert")
    assert not search.sqlite_index_is_complete()
    make_article(title="Bạch Thông")
    search.repair_after_migrate()
    assert search.sqlite_index_is_complete()
    assert found(client, "bach thong") == ["Bạch Thông"]


def test_beyond_the_count_limit_the_count_says_more_than(client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    for index in range(14):
        make_article(title=f"Ba Bể {index}", published_at=ago(hours=index + 1))
    first = client.get("/tim-kiem/", {"q": "ba be"}).content.decode()
    # Search reads only as far as the page needs: 12 shown, and one more to know.
    assert "Tìm thấy hơn 12 bài viết" in first
    assert "<span>Trang 1</span>" in first
    assert 'rel="next"' in first
    second = client.get("/tim-kiem/", {"q": "ba be", "page": 2}).content.decode()
    assert "Tìm thấy 14 bài viết." in second
    assert "Trang 2 / 2" in second
    assert found(client, "ba be") == [f"Ba Bể {index}" for index in range(14)]


def test_readers_page_through_the_first_thousand_results(client, monkeypatch):
    monkeypatch.setattr(search, "RESULT_LIMIT", 24)
    for index in range(30):
        make_article(title=f"Ba Bể {index}", published_at=ago(hours=index + 1))
    assert len(found(client, "ba be")) == 24
    last = client.get("/tim-kiem/", {"q": "ba be", "page": 9}).content.decode()
    assert "<span>Trang 2 / 2</span>" in last
    assert 'rel="next"' not in last


# Fixed cost


# Menu, years, the page's articles and their photos; per tier (title, lead, body) one
# query on PostgreSQL (after turning parallel workers off), two on SQLite (FTS5's
# candidates, which of them readers may see).
# The documents the page also shows (core.search): their two tiers.
OTHER_SOURCES_QUERIES = 2
SEARCH_QUERIES = {
    "postgresql": 4 + 1 + 3 + OTHER_SOURCES_QUERIES,
    "sqlite": 4 + 3 * 2 + OTHER_SOURCES_QUERIES,
}


@pytest.mark.parametrize("number", [2, 20])
@pytest.mark.usefixtures("rendered_fresh")
def test_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries, number):
    category = make_category()
    for index in range(number):
        make_article(
            title=f"Ba Bể {index}",
            lead="Về Ba Bể.",
            category=category,
            published_at=ago(hours=index),
        )
    # The first page after a change also reads the identity and the next scheduled moment.
    once = IDENTITY_QUERIES + NEXT_MOMENT_QUERIES
    with django_assert_num_queries(SEARCH_QUERIES[connection.vendor] + once):
        response = client.get("/tim-kiem/", {"q": "ba be"})
    assert response.content.decode().count('class="card-title"') == min(number, 12)


# The admin's search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dai hoi", ["Đại hội Đoàn"]),
        ("ĐẠI HỘI", ["Đại hội Đoàn"]),
        ("thanh nien", ["Tin có thân bài"]),
        ("Ngọc Tú", ["Đại hội Đoàn"]),
        ("khong co", []),
    ],
)
def test_admin_search_folds_and_reads_the_body(client, query, expected):
    make_article(title="Đại hội Đoàn", author_name="Ngọc Tú", status=Article.Status.DRAFT)
    make_article(title="Tin có thân bài", body="<p>Thanh niên tình nguyện.</p>")
    logged_in(client, make_user("superuser"))
    html = client.get(admin_url("changelist"), {"q": query}).content.decode()
    titles = re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == expected


def admin_titles(client, **params):
    html = client.get(admin_url("changelist"), params).content.decode()
    return re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html)


def test_admin_search_pages_through_its_matches_in_the_lists_order(client, monkeypatch):
    second = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    matching = [
        make_article(title="Ngọc Tú phát biểu", published_at=ago(hours=1)),
        # Two in one second: the later comes first, though it was written first.
        make_article(
            title="Cùng giây, sau",
            lead="Đồng chí Ngọc Tú dự.",
            published_at=second.replace(microsecond=900_000),
        ),
        make_article(
            title="Cùng giây, trước",
            lead="Đồng chí Ngọc Tú dự.",
            published_at=second.replace(microsecond=100_000),
        ),
        # Found by its byline alone.
        make_article(title="Bài viết có bút danh", author_name="Hoàng Ngọc Tú"),
        make_article(title="Ngọc Tú sắp đăng", published_at=ago(hours=-5)),
        make_article(title="Bản nháp Ngọc Tú", status=Article.Status.DRAFT, published_at=None),
        make_article(title="Ngọc Tú năm 2019", published_at=ago(days=2000)),
    ]
    make_article(title="Ngọc Tú trong thùng rác", deleted_at=ago(hours=1))
    make_article(title="Không liên quan", author_name="Lý Thị Lan")
    expected = [
        article.title
        for article in Article.objects.filter(pk__in=[a.pk for a in matching]).order_by(
            "-published_at", "-pk"
        )
    ]
    logged_in(client, make_user("superuser"))
    monkeypatch.setattr(admin.site.get_model_admin(Article), "list_per_page", 3)
    pages = [admin_titles(client, q="Ngọc Tú", p=page) for page in (1, 2, 3)]
    assert [len(titles) for titles in pages] == [3, 3, 1]
    assert sum(pages, []) == expected
    # Another order reads the same matches.
    by_title = sum((admin_titles(client, q="Ngọc Tú", o="1", p=page) for page in (1, 2, 3)), [])
    assert sorted(by_title) == sorted(expected)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 keys")
def test_sqlite_index_keys_hold_the_publication_second_then_the_id(client):
    article = make_article(published_at=datetime.datetime(2023, 1, 11, 20, 0, tzinfo=datetime.UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE}")
        (key,) = cursor.fetchone()
    assert key >> search.KEY_ID_BITS == int(article.published_at.timestamp())
    assert key & search.KEY_ID_MASK == article.pk
