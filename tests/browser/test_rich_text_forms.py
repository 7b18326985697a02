"""Every admin form with rich text works in Chromium: the editor shows the stored text,
takes typing, and the save stores it.

The forms are found by walking the admin (tests.factories.rich_text_forms), so a rich-text
field added to any model the admin edits is tested here without naming it; a model
without a row factory in tests.factories.RICH_TEXT_ROWS fails, saying so.
"""

import contextlib

import pytest
from django.conf import settings
from django.utils.csp import build_policy
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.pages import log_in, violations
from tests.factories import make_rich_text_editor, make_rich_text_row, rich_text_forms

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]

# The input each CKEditor instance replaced, and whether it is ready to edit.
EDITORS = """
() => Object.values(window.CKEDITOR ? CKEDITOR.instances : {}).map((editor) => ({
    id: editor.name, name: editor.element.getAttribute("name"), status: editor.status,
}))
"""
ALL_READY = f"() => ({EDITORS})().length > 0 && ({EDITORS})().every((e) => e.status === 'ready')"


def editors_on(page):
    """Return {input name: (element id, status)} of the page's CKEditor instances, once
    they are all ready or after a few seconds."""
    # If they never are, what is wrong is told below, editor by editor.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(ALL_READY, timeout=10_000)
    return {editor["name"]: (editor["id"], editor["status"]) for editor in page.evaluate(EDITORS)}


@pytest.mark.parametrize("form", rich_text_forms(), ids=str)
def test_each_rich_text_form_shows_takes_and_saves_the_text(live_server, watched_page, form):
    page = watched_page
    editor = make_rich_text_editor(form)
    stored = {field: f"Văn bản đã lưu của ô {field}." for field in form.fields}
    row = make_rich_text_row(form, editor, {f: f"<p>{text}</p>" for f, text in stored.items()})
    log_in(page, live_server, editor.username, "mat-khau")

    response = page.goto(live_server.url + form.change_url(row))
    assert response.status == 200
    assert response.headers["content-security-policy"] == build_policy(settings.EDITOR_CSP)
    editors = editors_on(page)
    names = form.input_names()
    assert set(names.values()) <= set(editors), f"no editor for {form}"
    for name, (element_id, status) in editors.items():
        assert status == "ready", f"the editor of {name} is not ready: {status}"
        box = page.locator(f"#cke_{element_id}")
        assert box.is_visible(), f"the editor of {name} is hidden"
        body = page.frame_locator(f"#cke_{element_id} iframe.cke_wysiwyg_frame").locator("body")
        assert body.get_attribute("contenteditable") == "true", f"{name} cannot be edited"
    for field, name in names.items():
        element_id = editors[name][0]
        body = page.frame_locator(f"#cke_{element_id} iframe.cke_wysiwyg_frame").locator("body")
        assert body.inner_text().strip() == stored[field]
        body.click()
        body.press("Control+A")
        body.press_sequentially(f"Văn bản mới của ô {field}.")
    assert violations(page) == []

    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".errornote, .errorlist").all_inner_texts() == []
    assert page.locator(".messagelist .success").count() == 1
    row.refresh_from_db()
    for field in form.fields:
        assert getattr(row, field) == f"<p>Văn bản mới của ô {field}.</p>", field
    assert page.violations == []
