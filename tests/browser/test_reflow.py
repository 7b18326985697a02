"""Every public page reflows with its text at twice the size (WCAG 1.4.4), on a desktop and
on a phone: nothing scrolls sideways but a table in a labelled region that says it scrolls.

The pages are found by the site itself: one page of each kind (each URL pattern) reached
from home by links and from the sitemaps, so a new kind of page is tested as soon as
anything links to it.
"""

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from news.models import Article
from questions.models import Question
from tests.browser.pages import DESKTOP, SCREENSHOTS
from tests.crawl import walk
from tests.factories import make_article, make_photo, make_question, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

# A common Android phone, narrower than pages.PHONE.
SMALL_PHONE = {"width": 360, "height": 740}
# Where readers' pages are not, and what is not a page.

# The problems a page shows, as short texts: the walk asserts there are none.
REFLOW_PROBLEMS = (Path(__file__).parent / "reflow.js").read_text()


@pytest.fixture
def site():
    """The demo site, with what readers' pages show at their fullest: answered questions, and
    an article with photos and related news."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    topic = make_topic("Việc làm")
    for number in range(2):
        make_question(
            text=f"Xin hỏi thủ tục tham gia chương trình việc làm cho thanh niên số {number}?",
            topic=topic,
            status=Question.Status.ANSWERED,
            answer="<p>Bạn liên hệ Trung tâm Dịch vụ việc làm thanh niên của tỉnh.</p>",
            answered_at=timezone.now(),
            is_published=True,
        )
    article = Article.objects.get(legacy_key__isnull=False)
    make_photo(article, caption="Đoàn viên ra quân tình nguyện tại các xã vùng cao", position=2)
    for number in range(3):
        related = make_article(
            title=f"Tuổi trẻ Thái Nguyên ra quân tình nguyện hè, xây dựng nông thôn mới ({number})",
            category=article.category,
        )
        make_photo(related, caption="Đoàn viên ra quân")
    return article


def page_kinds(first):
    """Return one page of each kind a reader reaches from home and the sitemaps, first first.

    A kind is a URL pattern; the search is reached through the header's form, so its
    results for a common word come in first.
    """
    start = [first, "/", reverse("news:search") + "?q=" + quote("đoàn"), "/sitemap.xml"]
    kinds = {}

    def wanted(url):
        try:
            return resolve(url.split("?")[0]).view_name not in kinds
        except Resolver404:
            return False

    for url, response in walk(Client(), start, wanted):
        if response["Content-Type"].startswith("text/html"):
            kinds[resolve(url.split("?")[0]).view_name] = url
    return kinds


def open_with_large_text(browser, viewport, way):
    """Return a page whose text is twice the size, the way the reader asked for it.

    "browser": Chromium's own font-size setting (Settings › Appearance › Font size, and the
    text scaling of phones), which raises the default size every rem, em and media query
    is measured in; CDP's Page.setFontSizes sets that same preference. Browser zoom is not
    it: zoom narrows the layout viewport, which the phone size already tests.
    "toolbar": the site's own A+ button at its largest step, which doubles the root font
    size while media queries stay measured in the browser's size: the harder case, large
    text in a desktop layout.
    """
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    if way == "browser":
        session = context.new_cdp_session(page)
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    else:
        page.add_init_script("localStorage.setItem('portal.textSize', '5')")
    return page


# Each size with each way of asking for large text.
READERS = {
    "desktop, browser setting": (DESKTOP, "browser"),
    "desktop, toolbar": (DESKTOP, "toolbar"),
    # On a phone both ways give the same layout (static/js/prefs.js): one is enough.
    "phone, browser setting": (SMALL_PHONE, "browser"),
}


def test_every_kind_of_page_reflows_with_text_at_twice_the_size(live_server, browser, site):
    kinds = page_kinds(site.get_absolute_url())
    assert len(kinds) >= 20, kinds  # the walk found the site, not a corner of it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for reader, (viewport, way) in READERS.items():
        page = open_with_large_text(browser, viewport, way)
        for kind, url in kinds.items():
            page.goto(live_server.url + url, wait_until="load")
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size == 32, f"{reader}: the text is not at twice its size"
            problems = page.evaluate(REFLOW_PROBLEMS)
            if problems:
                name = re.sub(r"\W+", "-", f"reflow {reader} {kind}")
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
                found[f"{reader}: {url}"] = problems
        page.context.close()
    assert found == {}
