"""Whatever a reader or a logged-in publisher sends, the portal never answers 500.

Hypothesis draws path segments, query strings and request bodies (a bounded number
of examples, so the suite stays quick), with the classes of input that once broke a
page: integers past any column's range, the first and last days a date can name, NUL
characters (which PostgreSQL refuses in any query) and multipart bodies that cannot be
parsed. The suite runs on SQLite and PostgreSQL; the test client raises any exception
a view lets through, and a 5xx answer fails the test.
"""

from urllib.parse import quote, urlencode

import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from news.models import Article
from tests.factories import (
    make_article,
    make_category,
    make_commune,
    make_document,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text, including Vietnamese letters, control characters, slashes and dots.
segments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", ".", "..", "%", "0", "-1", "2023", "99999999999999999999", "đ", "\x00"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    # Past the 64-bit integers of both databases, and exactly at their edge.
    st.sampled_from([str(2**63 - 1), str(2**63), str(-(2**63)), "1" * 30]),
    # Days at the ends of the calendar, real or not, and text with a NUL inside.
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "10000-01-01", "2023-02-30"]),
    st.text(max_size=10).map(lambda text: text + "\x00" + text),
)
query_values = st.one_of(segments, st.lists(segments, max_size=3))
queries = st.dictionaries(
    st.sampled_from(
        ["page", "q", "year", "old", "new", "p", "o", "_changelist_filters", "x"]
        + ["page_size", "from_date", "to_date", "category", "term", "type", "issuer", "field"]
    ),
    query_values,
    max_size=3,
)


def url(template, segment, query):
    path = template.format(quote(segment, safe=""))
    return path + ("?" + urlencode(query, doseq=True) if query else "")


def assert_no_server_error(response, path):
    assert response.status_code < 500, path


@pytest.fixture
def site(db):
    category = make_category()
    article = make_article(category=category)
    make_article(title="Bài nháp", status=Article.Status.DRAFT)
    make_support(make_program(2023), make_commune())
    make_document()
    return {"category": category, "article": article}


PUBLIC = [
    "/{}",
    "/tin-tuc/{}",
    "/tin-tuc/{}/",
    "/chuyen-muc/{}/",
    "/xa-ho-tro/{}",
    "/xa-ho-tro/{}/",
    "/xa-ho-tro/{}.csv",
    "/xa-ho-tro/xa/{}/",
    "/xem-truoc/{}/",
    "/xem-truoc/bai/{}/",
    "/van-ban/{}",
    "/van-ban/{}/",
    "/van-ban/1/tep/{}/",
    "/healthz{}",
]


@FUZZ
@given(template=st.sampled_from(PUBLIC), segment=segments, query=queries)
def test_public_urls_never_fail(client, site, template, segment, query):
    path = url(template, segment, query)
    assert_no_server_error(client.get(path), path)


@FUZZ
@given(query=queries)
def test_public_pages_with_any_query_never_fail(client, site, query):
    pages = ["/", "/tin-tuc/", site["article"].get_absolute_url(), "/xa-ho-tro/2023/"]
    pages += ["/xa-ho-tro/", "/van-ban/", "/healthz"]
    for page in pages + [site["category"].get_absolute_url()]:
        path = page + "?" + urlencode(query, doseq=True)
        assert_no_server_error(client.get(path), path)


API = [
    "/api/v1/articles",
    "/api/v1/articles/{}",
    "/api/v1/categories",
    "/api/v1/documents",
    "/api/v1/communes/programs",
    "/api/v1/communes/programs/{}",
    "/api/v1/identity",
]


@FUZZ
@given(template=st.sampled_from(API), segment=segments, query=queries)
@example(template=API[0], segment="", query={"page": str(2**63 - 1)})
@example(template=API[0], segment="", query={"page": "1" * 30})
@example(template=API[0], segment="", query={"to_date": "9999-12-31"})
@example(template=API[0], segment="", query={"from_date": "0001-01-01"})
@example(template=API[0], segment="", query={"category": "a\x00b"})
@example(template=API[1], segment="a\x00b", query={})
@example(template="/api/v1/documents", segment="", query={"page": str(2**63 - 1)})
@example(template="/api/v1/documents", segment="", query={"year": "99999999"})
def test_api_urls_never_fail(client, site, settings, template, segment, query):
    settings.API_RATE = "10000/m"
    path = url(template, segment, query)
    assert_no_server_error(client.get(path), path)


@FUZZ
@given(payload=st.text(max_size=60), salt=st.sampled_from(["", "news.article.share"]))
def test_forged_preview_tokens_never_fail(client, site, payload, salt):
    token = signing.dumps(payload, salt=salt) if salt else quote(payload, safe="")
    path = f"/xem-truoc/{token}/"
    assert_no_server_error(client.get(path), path)


ADMIN = [
    "/admin/news/article/{}/",
    "/admin/news/article/{}/change/",
    "/admin/news/article/{}/delete/",
    "/admin/news/article/{}/history/",
    "/admin/news/article/{}/revisions/",
    "/admin/news/article/{}/revisions/compare/",
    "/admin/news/article/{}/revisions/1/restore/",
    "/admin/news/article/{}/pending/",
    "/admin/news/article/{}/pending/discard/",
    "/admin/news/trashedarticle/{}/change/",
    "/admin/news/category/{}/change/",
    "/admin/communes/commune/{}/change/",
    "/admin/communes/supportprogram/{}/change/",
]


@pytest.fixture
def publisher_client(client, site):
    client.force_login(make_user("publisher"))
    return client


@FUZZ
@given(template=st.sampled_from(ADMIN), segment=segments, query=queries, post=st.booleans())
def test_admin_object_urls_never_fail_for_a_publisher(
    publisher_client, template, segment, query, post
):
    path = url(template, segment, query)
    response = publisher_client.post(path, {}) if post else publisher_client.get(path)
    assert_no_server_error(response, path)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/news/article/abc/change/",
        "/admin/news/article/abc/delete/",
        "/admin/news/article/abc/revisions/",
        "/admin/news/article/abc/revisions/1/restore/",
        "/admin/news/article/abc/restore-from-trash/",
        "/admin/news/article/abc/pending/discard/",
        "/admin/news/trashedarticle/abc/change/",
        "/admin/communes/commune/abc/change/",
    ],
)
def test_a_post_to_an_admin_object_url_with_a_non_numeric_id_is_never_a_500(publisher_client, path):
    response = publisher_client.post(path, {"workflow_action": "restore"})
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:  # the admin's "no such object" redirect to its list
        assert response["Location"].startswith("/admin/")


# Four admin pages an example: fewer examples, the classes above drawn all the same.
@settings(FUZZ, max_examples=15)
@given(text=segments)
@example(text="a\x00b")
def test_staff_searches_never_fail(publisher_client, text):
    for path, query in [
        ("/ckeditor/browse/", {"q": text}),
        ("/admin/news/article/", {"q": text}),
        ("/admin/photos/image/", {"q": text}),
        (
            "/admin/autocomplete/",
            {"app_label": "news", "model_name": "photo", "field_name": "image", "term": text},
        ),
    ]:
        path = path + "?" + urlencode(query)
        assert_no_server_error(publisher_client.get(path), path)


# A CSRF cookie makes Django read a POST's body before answering, even on a missing page.
CSRF_COOKIE = "abcdefghijklmnopqrstuvwxyzABCDEF"
printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
content_types = st.one_of(
    st.sampled_from(
        [
            "multipart/form-data; boundary=",
            "multipart/form-data",
            "multipart/form-data; boundary=\x7f",
            "multipart/form-data; boundary=----x",
            "application/x-www-form-urlencoded",
        ]
    ),
    printable.map(lambda text: "multipart/form-data; " + text),
)


@FUZZ
@given(
    template=st.sampled_from([*PUBLIC, "/hoi-dap/gui-cau-hoi/", "/admin/login/", "/luot-xem/"]),
    segment=segments,
    content_type=content_types,
    body=st.one_of(st.binary(max_size=200), st.just(b"------x\r\n\r\n--")),
)
@example(template="/{}", segment="\x7f", content_type="multipart/form-data; boundary=", body=b"")
@example(
    template="/tin-tuc/{}", segment="a", content_type="multipart/form-data; boundary=", body=b"--"
)
def test_posts_whose_body_cannot_be_read_never_fail(site, template, segment, content_type, body):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_COOKIE
    path = url(template, segment, {})
    response = client.generic("POST", path, body, content_type=content_type)
    assert_no_server_error(response, path)
