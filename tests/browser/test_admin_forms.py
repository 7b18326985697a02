"""Every admin form passes axe-core: each registered model's add form and a change form."""

import datetime
import pprint

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.browser.pages import DESKTOP, axe_violations, log_in
from tests.factories import (
    make_article,
    make_commune,
    make_department,
    make_district,
    make_document,
    make_entry,
    make_identity,
    make_officer,
    make_photo,
    make_program,
    make_support,
    make_user,
    make_week,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]

# Scripts draw part of a form after it loads: select2's pickers, the two-list pickers,
# CKEditor (in a frame of its own, which axe leaves to CKEditor).
SETTLED = """() => new Promise((done) => {
    const ready = () => !window.CKEDITOR
        || Object.values(CKEDITOR.instances).every((editor) => editor.status === "ready");
    const wait = () => ready() ? requestAnimationFrame(() => requestAnimationFrame(done))
                               : setTimeout(wait, 50);
    wait();
})"""


def admin_forms(user, rows):
    """Return the add form of every model the user may add, and the change forms of these rows."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_add_permission(request):  # the trash, a log
            continue
        try:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        except NoReverseMatch:  # an admin without an add view
            continue
    for row in rows:
        opts = row._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    return urls


def test_every_admin_form_has_no_axe_violation(live_server, browser):
    root = make_user("superuser", username="root")
    # A row of each model whose change form holds inline rows, with one row in them.
    article = make_article(title="Bài có ảnh")
    make_photo(article)
    program = make_program(2022)
    make_support(program, make_commune(district=make_district()))
    department = make_department()
    make_officer(department)
    week = make_week(datetime.date(2025, 3, 3))
    make_entry(week)
    rows = [article, program, department, week, make_identity(), make_document()]

    context = browser.new_context(locale="vi-VN", viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, live_server, "root", "mat-khau")
    checked, found = [], {}
    for url in admin_forms(root, rows):
        assert page.goto(live_server.url + url).status == 200, url
        page.evaluate(SETTLED)
        checked.append(url)
        if violations := axe_violations(page):
            found[url] = violations
    context.close()
    assert "/admin/news/article/add/" in checked
    assert f"/admin/news/article/{article.pk}/change/" in checked
    assert len(checked) >= 25
    assert found == {}, pprint.pformat(found, width=100)
