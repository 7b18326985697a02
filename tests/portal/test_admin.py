"""The newsroom's admin speaks only Vietnamese: every page each role can reach, crawled."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from core import workflow
from documents.models import DocumentType, Issuer, WorkField
from news.models import Article
from tests.english import english_on, english_phrases, english_words
from tests.factories import (
    logged_in,
    make_article,
    make_category,
    make_commune,
    make_district,
    make_photo,
    make_program,
    make_support,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom_content():
    """Articles at every stage, photos, a category and a communes program, as a newsroom has."""
    contributor = make_user("contributor", username="ctv", first_name="Ngọc", last_name="Tú")
    category = make_category()
    draft = make_article(title="Bài nháp", status=Article.Status.DRAFT, created_by=contributor)
    make_photo(draft, caption="Ảnh đoàn viên")
    make_photo(draft, caption="Ảnh nhập từ cổng cũ", with_file=False, order=1)
    review = make_article(
        title="Bài chờ duyệt", status=Article.Status.DRAFT, created_by=contributor
    )
    workflow.perform(review, "submit", contributor)
    live = make_article(title="Bài đã đăng", category=category, created_by=contributor)
    trashed = make_article(title="Bài đã xoá", status=Article.Status.DRAFT, created_by=contributor)
    workflow.perform(trashed, "trash", contributor)
    program = make_program(2022)
    make_support(program, make_commune(district=make_district()))
    # Data the pages show as it was typed: its words are not the interface's.
    titles = ["Bài nháp", "Bài chờ duyệt", "Bài đã đăng", "Bài đã xoá", live.lead, category.name]
    titles += ["ctv contributor editor publisher superuser"]  # user names
    # The documents' lists, as the migration typed them.
    titles += [
        entry.name for model in (DocumentType, Issuer, WorkField) for entry in model.objects.all()
    ]
    return contributor, {word.lower() for title in titles for word in title.split()}


def crawl(client, phrases, words, data_words, limit=120):
    """Visit every admin page reachable from the index (one per path); return English seen."""
    seen, queue, english = set(), ["/admin/"], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or "logout" in path:
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        found, links = english_on(response.content.decode(), phrases, words, data_words)
        if found:
            english[url] = found
        for link in links:
            absolute = link if link.startswith("/") else path + link
            if absolute.startswith("/admin/") and urlsplit(absolute).path not in seen:
                queue.append(absolute)
    return english, seen


@pytest.mark.parametrize("role", ["contributor", "editor", "publisher", "superuser"])
def test_every_admin_page_of_every_role_is_vietnamese(client, role, newsroom_content):
    contributor, data_words = newsroom_content
    user = contributor if role == "contributor" else make_user(role)
    phrases = english_phrases()
    english, seen = crawl(logged_in(client, user), phrases, english_words(phrases), data_words)
    assert len(seen) >= 8  # the crawl reached the newsroom's pages
    if role in ("publisher", "superuser"):  # the staff accounts, and the roles' groups
        assert "/admin/auth/user/" in seen
        assert role == "publisher" or {"/admin/auth/group/add/", "/admin/auth/user/add/"} <= seen
    assert english == {}


def test_the_pages_before_logging_in_are_vietnamese(client):
    user = make_user("editor", username="bientap")
    phrases = english_phrases()
    words = english_words(phrases)
    client.post("/admin/password_reset/", {"email": user.email})
    [message] = mail.outbox
    link = re.search(r"http://\S+(/admin/reset/\S+/)", message.body).group(1)
    confirm = client.get(link, follow=True)
    pages = {
        "/admin/login/": client.get("/admin/login/"),
        "/admin/password_reset/": client.get("/admin/password_reset/"),
        "/admin/password_reset/done/": client.get("/admin/password_reset/done/"),
        link: confirm,
        "/admin/reset/done/": client.get("/admin/reset/done/"),
        "an unknown link": client.get("/admin/reset/MQ/sai-ma/", follow=True),
    }
    english = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        found, _links = english_on(response.content.decode(), phrases, words, {"bientap"})
        if found:
            english[name] = found
    assert english == {}
    assert "Mật khẩu mới" in confirm.content.decode()


def test_admin_pages_name_the_portal_s_icon(client, admin_client):
    """Without it, browsers ask every admin page for /favicon.ico, which does not exist."""
    from django.contrib.staticfiles import finders

    for page in (client.get("/admin/login/"), admin_client.get("/admin/")):
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in (
            page.content.decode()
        )
    assert finders.find("favicon.svg")
