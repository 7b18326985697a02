"""Real-browser tests: Playwright drives Debian's Chromium against the live server."""

import os
import shutil

import pytest

from tests.browser.pages import COLLECT_VIOLATIONS

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Chromium's tests run once (tests/both-databases.sh): the readers' in the SQLite run, the
# newsroom's (a module marked `newsroom`) in the PostgreSQL run, so that neither run waits
# for all of them.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("newsroom") and not ON_POSTGRESQL:
                item.add_marker(pytest.mark.skip(reason="a newsroom browser test: PostgreSQL run"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM
    # calls the tests make around it are still plain synchronous code.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def watched_page(page):
    """Return the page, with every CSP violation it reports in page.violations."""
    page.violations = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.violations.append(message.text)
        ),
    )
    return page
