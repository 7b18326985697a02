"""The Content-Security-Policy holds in Chromium: nothing the portal needs is refused."""

import pytest
from django.contrib.auth import get_user_model

from news.models import Article
from tests.browser.pages import violations
from tests.factories import make_article, make_category, make_commune, make_program, make_support

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]


def test_public_pages_run_under_the_strict_policy(live_server, watched_page):
    page = watched_page
    category = make_category()
    article = make_article(category=category, body="<p>Đoạn một.</p><p>Đoạn hai.</p>")
    program = make_program(2023)
    make_support(program, make_commune())
    for path in [
        "/",
        "/tin-tuc/",
        article.get_absolute_url(),
        category.get_absolute_url(),
        "/xa-ho-tro/",
        program.get_absolute_url(),
    ]:
        response = page.goto(live_server.url + path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert violations(page) == [], path

    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    assert violations(page) == []


def test_editor_writes_and_saves_with_ckeditor_under_its_policy(live_server, watched_page):
    page = watched_page
    get_user_model().objects.create_superuser("bientap", password="mat-khau-thu-nghiem-1")
    article = make_article(status=Article.Status.DRAFT, body="<p>Đoạn đầu.</p>")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "mat-khau-thu-nghiem-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")

    response = page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")

    editor.click()
    editor.press("End")
    editor.type(" Câu gõ thêm trong trình soạn thảo.")
    page.locator(".cke_button__bold").click()
    editor.type(" Chữ đậm.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    article.refresh_from_db()
    assert "Câu gõ thêm trong trình soạn thảo." in article.body
    assert "<strong>" in article.body
    assert violations(page) == []


def test_admin_pages_without_the_editor_run_under_the_strict_policy(live_server, watched_page):
    page = watched_page
    get_user_model().objects.create_superuser("quantri", password="mat-khau-thu-nghiem-1")
    article = make_article(category=make_category())
    program = make_program(2023)
    make_support(program, make_commune())
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "mat-khau-thu-nghiem-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    paths = [
        "/admin/",
        "/admin/news/article/",
        f"/admin/news/article/{article.pk}/revisions/",
        f"/admin/news/article/{article.pk}/history/",
        "/admin/news/category/",
        "/admin/news/category/add/",
        "/admin/communes/supportprogram/",
        f"/admin/communes/supportprogram/{program.pk}/change/",
        "/admin/communes/commune/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
    ]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self';" in response.headers["content-security-policy"], path
        assert violations(page) == [], path
