import contextlib
import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from communes.models import SupportProgram
from core import cache, workflow
from news.models import Article, ArticleTransition, Category, next_change
from news.views import newest_articles
from photos.models import Picture, Source
from stats.models import ArticleDay
from tests.factories import (
    COUNT_QUERIES,
    HOME_QUERIES,
    IDENTITY_QUERIES,
    LIST_QUERIES,
    NEWEST_QUERIES,
    NEXT_MOMENT_QUERIES,
    element,
    logged_in,
    make_article,
    make_category,
    make_commune,
    make_photo,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parents[2]
LOCAL_CACHES = "local"
REDIS_CACHES = "redis"


@pytest.fixture(params=[LOCAL_CACHES, REDIS_CACHES])
def backend(request, settings, tmp_path):
    """Run the test with local memory (generation in a file) and with a real Redis server."""
    if request.param == REDIS_CACHES:
        url = os.environ.get("TEST_REDIS_URL")
        if not url:
            pytest.skip("TEST_REDIS_URL is not set: run through tests/with-redis.sh (make test)")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "portal",
            }
        }
        settings.PAGE_CACHE_GENERATION = "default"
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "generation": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": tmp_path / "cache",
            },
        }
        settings.PAGE_CACHE_GENERATION = "generation"
    for alias in settings.CACHES:
        caches[alias].clear()
    yield request.param
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def article():
    return make_article(title="Tuổi trẻ Ba Bể ra quân", category=make_category())


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def text(response):
    return response.content.decode()


# Stored and served


def test_second_visit_is_served_from_the_cache_without_a_query(
    client, backend, article, django_assert_num_queries
):
    first = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert text(second) == text(first)
    assert "Tuổi trẻ Ba Bể ra quân" in text(second)
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["X-Frame-Options"] == "DENY"


def test_cached_pages_answer_conditional_requests_with_304(client, backend, article):
    first = client.get(article.get_absolute_url())
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith(" GMT")
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(
        article.get_absolute_url(), headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert since.status_code == 304
    article.title = "Tiêu đề mới"
    article.save()
    changed = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert "Tiêu đề mới" in text(changed)
    assert changed["ETag"] != first["ETag"]


def test_cache_control_lets_a_cdn_keep_the_page_briefly(client, backend, article):
    response = client.get(article.get_absolute_url())
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=0", f"s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}"}


def test_cdn_keeps_a_page_no_longer_than_the_next_scheduled_minute(client, backend):
    seven = datetime.datetime(2024, 3, 26, 7, 0, tzinfo=LOCAL)
    with time_machine.travel(seven - datetime.timedelta(seconds=10), tick=False):
        make_article(title="Tin hẹn giờ", published_at=seven)
        response = client.get("/")
    assert "s-maxage=10" in response["Cache-Control"]


@pytest.mark.parametrize(
    "address", ["/tin-tuc/", "/tin-tuc/?page=2", "/", "/xa-ho-tro/", "/tin-tuc/{slug}/"]
)
def test_each_address_query_and_host_is_stored_on_its_own(client, backend, address):
    for number in range(14):
        make_article(title=f"Tin số {number}", published_at=ago(hours=number + 1))
    url = address.format(slug=Article.objects.first().slug)
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    assert client.get(url, headers={"Host": "localhost"})["X-Cache"] == "MISS"
    assert client.get(url + ("&" if "?" in url else "?") + "x=1")["X-Cache"] == "MISS"


# The next request after a change shows it


def publish(article):
    workflow.perform(article, workflow.Action.PUBLISH, workflow.SYSTEM)


def take_down(article):
    workflow.perform(article, workflow.Action.ARCHIVE, workflow.SYSTEM)


def trash(article):
    workflow.perform(article, workflow.Action.TRASH, workflow.SYSTEM)


def edit(article):
    article.title = "Tiêu đề đã sửa"
    article.save()


def add_photo(article):
    make_photo(article, caption="Ảnh mới thêm")


def rename_category(article):
    article.category.name = "Chuyên mục đổi tên"
    article.category.save()


def delete_category(article):
    article.category = None
    article.save()
    Category.objects.all().delete()


CHANGES = [
    # (change, page, text that goes, text that comes)
    (edit, "article", "Tuổi trẻ Ba Bể ra quân", "Tiêu đề đã sửa"),
    (edit, "/", "Tuổi trẻ Ba Bể ra quân", "Tiêu đề đã sửa"),
    (take_down, "/tin-tuc/", "Tuổi trẻ Ba Bể ra quân", "Chưa có tin bài."),
    (take_down, "article", "Tuổi trẻ Ba Bể ra quân", "Không tìm thấy trang"),
    (trash, "/", "Tuổi trẻ Ba Bể ra quân", "Chưa có tin bài."),
    (add_photo, "article", "", "Ảnh mới thêm"),
    (add_photo, "/", "", "Ảnh mới thêm"),
    (rename_category, "/", "Công tác Đoàn", "Chuyên mục đổi tên"),
    (delete_category, "/tin-tuc/", "Công tác Đoàn", ""),
]


@pytest.mark.parametrize(("change", "page", "goes", "comes"), CHANGES)
def test_the_next_request_after_a_change_shows_it(
    client, backend, article, change, page, goes, comes
):
    url = article.get_absolute_url() if page == "article" else page
    before = text(client.get(url))
    assert goes in before
    assert comes not in before or not comes
    assert client.get(url)["X-Cache"] == "HIT"
    change(article)
    after = text(client.get(url))
    assert comes in after
    assert not goes or goes not in after


def test_publishing_shows_the_article_on_the_next_request(client, backend):
    draft = make_article(title="Bài chờ đăng", status=Article.Status.REVIEW)
    assert "Bài chờ đăng" not in text(client.get("/"))
    assert client.get("/")["X-Cache"] == "HIT"
    publish(draft)
    assert "Bài chờ đăng" in text(client.get("/"))


def test_a_communes_import_shows_on_the_next_request(client, backend, tmp_path):
    make_program(2024, title="Chương trình năm 2024")
    assert "Kim Hỷ" not in text(client.get("/xa-ho-tro/2024/"))
    assert client.get("/xa-ho-tro/2024/")["X-Cache"] == "HIT"
    csv = tmp_path / "xa.csv"
    columns = (
        "year,program,start_month,end_month,planned_count,reported_results,summary,district,"
        "district_kind,district_code,commune,commune_kind,commune_code,rating,officer,notes"
    )
    row = "2024,Chương trình năm 2024,,,,,,Na Rì,huyện,,Kim Hỷ,xã,,,,"
    csv.write_text(f"{columns}\n{row}\n", encoding="utf-8")
    call_command("import_communes", str(csv), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert "Kim Hỷ" in text(client.get("/xa-ho-tro/2024/"))


def test_linking_an_article_to_a_program_shows_on_the_next_request(client, backend, article):
    program = make_program(2024)
    make_support(program, make_commune("Cổ Linh"))
    assert "Tuổi trẻ Ba Bể ra quân" not in text(client.get("/xa-ho-tro/2024/"))
    program.articles.add(article)
    assert "Tuổi trẻ Ba Bể ra quân" in text(client.get("/xa-ho-tro/2024/"))
    SupportProgram.objects.get(pk=program.pk).articles.clear()
    assert "Tuổi trẻ Ba Bể ra quân" not in text(client.get("/xa-ho-tro/2024/"))


def test_a_rating_set_in_bulk_in_the_admin_shows_on_the_next_request(client, backend):
    program = make_program(2024)
    support = make_support(program, make_commune("Cổ Linh"))
    rated_good = '<span class="rating rating-good">Hoàn thành tốt nhiệm vụ</span></th><td>1</td>'
    assert rated_good not in text(client.get("/xa-ho-tro/2024/"))
    staff = Client()
    staff.force_login(make_user("superuser"))
    staff.post(
        reverse("admin:communes_communesupport_changelist"),
        {"action": "set_rating_good", "_selected_action": [support.pk]},
    )
    assert rated_good in text(client.get("/xa-ho-tro/2024/"))


def test_bodies_derived_again_show_on_the_next_request(client, backend, article):
    write_behind_the_cache("UPDATE news_article SET body = %s", "<p>Trước<script>x()</script></p>")
    cache.content_changed()
    assert "<script>x()" in text(client.get(article.get_absolute_url()))
    call_command("rederive", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert "<script>x()" not in text(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    "write",
    [
        lambda article: Article.objects.filter(pk=article.pk).update(title="Sửa hàng loạt"),
        lambda article: Article.objects.bulk_update(
            [Article(pk=article.pk, title="Sửa hàng loạt")], ["title"]
        ),
        lambda article: Category.objects.filter(pk=article.category_id).update(
            name="Sửa hàng loạt"
        ),
        lambda article: Article.all_objects.filter(pk=article.pk).delete(),
    ],
    ids=["update", "bulk_update", "update of a related row", "delete"],
)
def test_a_bulk_write_shows_on_the_next_request_by_itself(client, backend, article, write):
    before = text(client.get("/"))
    assert "Tuổi trẻ Ba Bể ra quân" in before
    assert client.get("/")["X-Cache"] == "HIT"
    write(article)
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert text(response) != before


def test_raw_sql_through_the_connection_shows_on_the_next_request(client, backend, article):
    assert client.get("/")["X-Cache"] == "MISS"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_article SET title = %s", ["Sửa bằng SQL"])
    assert "Sửa bằng SQL" in text(client.get("/"))


def test_writes_readers_never_see_leave_the_stored_pages(client, backend, article):
    client.get("/")
    # A workflow step's record and a view count: neither is shown on a public page.
    ArticleDay.objects.create(article=article, day=timezone.localdate(), views=3)
    ArticleTransition.objects.create(
        article=article, action=ArticleTransition.Action.SUBMIT, from_status="draft",
        to_status="review",
    )  # fmt: skip
    assert client.get("/")["X-Cache"] == "HIT"


def test_a_transaction_renews_the_pages_once_when_it_commits(backend, article):
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Một")
        Article.objects.filter(pk=article.pk).update(title="Hai")
        Category.objects.update(name="Ba")
        waiting = [callback for _, callback, _ in connection.run_on_commit]
    assert waiting.count(cache.bump) == 1


def write_behind_the_cache(sql, *params):
    """Run SQL with the database driver's own cursor, which Django's connection never sees."""
    connection.ensure_connection()
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    with contextlib.closing(connection.connection.cursor()) as cursor:
        cursor.execute(sql.replace("%s", placeholder), params)


def run_in_another_process(script, backend, settings):
    """Run a Python script in another process sharing this test's caches, not its database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "") if backend == REDIS_CACHES else "",
        "DJANGO_CACHE_DIR": str(settings.CACHES.get("generation", {}).get("LOCATION", "")),
    }
    script = "import django; django.setup()\n" + script
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)


def test_a_change_made_in_another_process_is_seen_here(client, backend, article, settings):
    assert "Tuổi trẻ Ba Bể ra quân" in text(client.get("/"))
    write_behind_the_cache("UPDATE news_article SET title = %s", "Đã sửa ở máy khác")
    assert client.get("/")["X-Cache"] == "HIT"
    # Another process, with its own database, saves a category through the models.
    script = (
        "from django.db import connection\n"
        "from news.models import Category\n"
        "with connection.schema_editor() as editor: editor.create_model(Category)\n"
        "Category.objects.create(name='Chuyên mục khác')\n"
    )
    run_in_another_process(script, backend, settings)
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Đã sửa ở máy khác" in text(response)


def test_parts_this_process_remembers_follow_a_change_made_in_another(
    client, backend, article, settings
):
    link = '<a href="/chuyen-muc/cong-tac-doan/">{}</a>'
    assert link.format("Công tác Đoàn") in element(client.get("/"), "header")
    write_behind_the_cache("UPDATE news_category SET name = %s", "Công tác Đội")
    # Unseen: this process still draws the menu it remembers, on a page not yet stored.
    assert link.format("Công tác Đoàn") in element(client.get("/tin-tuc/"), "header")

    run_in_another_process("from core import cache\ncache.content_changed()\n", backend, settings)

    assert link.format("Công tác Đội") in element(client.get("/tin-tuc/?page=1"), "header")


# Changes that need no write: the clock


def test_a_scheduled_article_appears_at_its_minute_on_a_cached_page(client, backend):
    seven = datetime.datetime(2024, 3, 26, 7, 0, tzinfo=LOCAL)
    with time_machine.travel(seven - datetime.timedelta(hours=1), tick=False):
        make_article(title="Tin đã đăng", published_at=ago(days=1))
        make_article(title="Tin hẹn giờ", published_at=seven)
    with time_machine.travel(seven - datetime.timedelta(seconds=1), tick=False):
        assert "Tin hẹn giờ" not in text(client.get("/"))
        assert client.get("/")["X-Cache"] == "HIT"
    with time_machine.travel(seven, tick=False):
        assert "Tin hẹn giờ" in text(client.get("/"))


def test_an_expired_article_leaves_a_cached_page_at_its_minute(client, backend):
    five = datetime.datetime(2024, 3, 26, 17, 0, tzinfo=LOCAL)
    with time_machine.travel(five - datetime.timedelta(hours=1), tick=False):
        make_article(title="Tin hết hạn", published_at=ago(days=1), expires_at=five)
        make_article(title="Tin vẫn còn", published_at=ago(days=2))
        assert "Tin hết hạn" in text(client.get("/tin-tuc/"))
    with time_machine.travel(five - datetime.timedelta(seconds=1), tick=False):
        assert client.get("/tin-tuc/")["X-Cache"] == "HIT"
    with time_machine.travel(five, tick=False):
        page = text(client.get("/tin-tuc/"))
        assert "Tin hết hạn" not in page
        assert "Tin vẫn còn" in page


def test_the_next_moment_is_worked_out_once_per_change(
    client, backend, article, django_assert_num_queries
):
    Article.objects.filter(pk=article.pk).update(featured=True)  # the home page's every block
    # The list's own queries, its count, the identity and the next moment.
    first = LIST_QUERIES + COUNT_QUERIES + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES
    with django_assert_num_queries(first):
        client.get("/tin-tuc/")
    # Another page of the same content version: its own queries, and the newest articles
    # that home and article pages share (once per version, the moment already known).
    with django_assert_num_queries(HOME_QUERIES + NEWEST_QUERIES):
        client.get("/")


def test_next_change_is_the_earliest_publication_or_expiry(article):
    now = timezone.now()
    assert next_change(now) is None
    soon = now + datetime.timedelta(hours=3)
    make_article(title="Hết hạn", published_at=ago(days=1), expires_at=soon)
    later = make_article(title="Hẹn giờ", published_at=now + datetime.timedelta(hours=5))
    make_article(title="Đã hết hạn", published_at=ago(days=2), expires_at=ago(days=1))
    assert next_change(now) == soon
    take_down(Article.objects.get(title="Hết hạn"))
    assert next_change(now) == later.published_at
    trash(later)
    assert next_change(now) is None


# Staff always get fresh pages


def test_staff_get_fresh_pages_never_stored(client, backend, article):
    assert client.get("/")["X-Cache"] == "MISS"
    # A write the cache does not see, shown by the featured news, which home reads itself
    # (its latest news are the newest articles remembered for the content version).
    write_behind_the_cache(
        "UPDATE news_article SET title = %s, featured = %s",
        "Chỉ người đã đăng nhập thấy ngay",
        True,
    )
    staff = logged_in(client, make_user("editor"))
    response = staff.get("/")
    assert "X-Cache" not in response
    page = text(response)
    featured = page[page.index('<section class="featured"') :]
    assert "Chỉ người đã đăng nhập thấy ngay" in featured[: featured.index("</section>")]
    assert "private" in response["Cache-Control"]
    staff.logout()
    # The staff visit stored nothing: readers still get the page stored before it.
    anonymous = client.get("/")
    assert anonymous["X-Cache"] == "HIT"
    assert "Tuổi trẻ Ba Bể ra quân" in text(anonymous)


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
def test_requests_with_a_private_cookie_bypass_the_cache(client, backend, article, cookie):
    client.get("/")
    client.cookies[cookie] = "x"
    assert "X-Cache" not in client.get("/")


def test_other_cookies_do_not_bypass_the_cache(client, backend, article):
    client.get("/")
    client.cookies["_ga"] = "analytics"
    assert client.get("/")["X-Cache"] == "HIT"


# Never stored


@pytest.mark.parametrize(
    "url",
    ["/admin/login/", "/xem-truoc/bai/{pk}/", "/xem-truoc/sai-chu-ky/", "/healthz", "/khong-co/"],
)
def test_admin_previews_health_and_errors_are_never_stored(client, backend, article, url):
    url = url.format(pk=article.pk)
    for _ in range(2):
        response = client.get(url)
        assert "X-Cache" not in response


def middleware_response(make_response, method="GET"):
    request = getattr(RequestFactory(), method.lower())("/trang/")
    return cache.PageCacheMiddleware(lambda request: make_response())(request)


def with_cookie():
    response = HttpResponse("<p>trang</p>")
    response.set_cookie("chon", "1")
    return response


def never_cached():
    response = HttpResponse("<p>riêng</p>")
    add_never_cache_headers(response)
    return response


@pytest.mark.parametrize(
    "make_response",
    [
        with_cookie,
        never_cached,
        lambda: HttpResponse("<p>trang</p>", headers={"Vary": "User-Agent"}),
        lambda: HttpResponse("<p>riêng</p>", headers={"Cache-Control": "private"}),
        lambda: HttpResponse("lỗi", status=500),
        lambda: HttpResponse("", status=302),
    ],
    ids=["set-cookie", "never-cache", "vary-user-agent", "private", "500", "302"],
)
def test_responses_that_must_not_be_shared_are_never_stored(backend, make_response):
    for _ in range(2):
        assert "X-Cache" not in middleware_response(make_response)


def test_posts_are_never_stored(backend):
    assert "X-Cache" not in middleware_response(lambda: HttpResponse("ok"), method="POST")
    assert middleware_response(lambda: HttpResponse("ok"))["X-Cache"] == "MISS"


def test_the_bench_header_is_honoured_only_when_configured(client, backend, article, settings):
    client.get("/")
    assert client.get("/", headers={"X-Bench-Fresh": "1"})["X-Cache"] == "HIT"
    settings.PAGE_CACHE_BYPASS_HEADER = "HTTP_X_BENCH_FRESH"
    assert "X-Cache" not in client.get("/", headers={"X-Bench-Fresh": "1"})


def test_a_cache_that_cannot_be_reached_leaves_pages_served(client, article, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    settings.PAGE_CACHE_GENERATION = "default"
    response = client.get("/")
    assert response.status_code == 200
    assert "Tuổi trẻ Ba Bể ra quân" in text(response)


# Shared, so immutable; read once per request


@pytest.mark.parametrize(
    "value",
    [
        (1, "hai", datetime.date(2025, 7, 1), None, frozenset({3})),
        Picture("/a.jpg", 10, 10, "ảnh", (Source(10, 10, "/a.webp", "/a.jpg"),)),
    ],
)
def test_immutable_values_may_be_remembered(value):
    cache.check_immutable(value)


@pytest.mark.parametrize(
    "value",
    [[1, 2], {"a": 1}, {1, 2}, (1, [2]), "model"],
    ids=["list", "dict", "set", "list in a tuple", "model instance"],
)
def test_what_a_caller_could_change_is_refused(value, article):
    value = article if value == "model" else value
    with pytest.raises(TypeError):
        cache.check_immutable(value)
    with pytest.raises(TypeError):
        cache.remember("bad-value", lambda: value)


def test_the_newest_articles_every_page_shares_are_frozen(client, backend, article):
    shared = newest_articles()
    assert shared and isinstance(shared, tuple)
    with pytest.raises(AttributeError):
        shared[0].title = "Đổi bởi một trang"
    assert newest_articles()[0].title == "Tuổi trẻ Ba Bể ra quân"


def test_a_fresh_page_reads_the_content_version_once(client, backend, article, monkeypatch):
    reads = []
    store = cache.generation_store()
    original = store.get

    def counted(key, *args, **kwargs):
        if key == cache.GENERATION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(store, "get", counted)
    staff = logged_in(client, make_user("editor"))
    for url in ("/", article.get_absolute_url(), "/tin-tuc/"):
        reads.clear()
        assert staff.get(url).status_code == 200
        assert len(reads) == 1, url
