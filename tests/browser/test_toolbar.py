"""The accessibility toolbar in Chromium: text size, high contrast, shortcuts, "Đọc bài".

Screenshots of the pages in high contrast are written to var/screenshots/.
"""

import json
import re

import pytest
from django.templatetags.static import static
from playwright.sync_api import expect

from tests.browser.pages import DESKTOP, PHONE, SCREENSHOTS, axe_violations
from tests.factories import make_article, make_category, make_photo

pytestmark = pytest.mark.django_db(transaction=True)

LONG_SENTENCE = (
    "Trong năm, các cơ sở Đoàn đã tổ chức nhiều hoạt động tình nguyện, "
    + ", ".join(f"giúp đỡ gia đình thứ {number} ở thôn bản vùng cao" for number in range(12))
    + "."
)
BODY = (
    "<p>Đoạn thứ nhất kể về hội nghị. Đoạn này có câu thứ hai!</p>"
    "<h2>Kết quả nổi bật</h2>"
    f"<p>{LONG_SENTENCE}</p>"
    "<ul><li>Một nghìn đoàn viên tham gia.</li><li>Hai mươi công trình.</li></ul>"
)


@pytest.fixture
def open_page(browser):
    """Return a function that opens a page in a new context with the given options."""
    contexts = []

    def open_page(viewport=DESKTOP, init_script=None, **options):
        context = browser.new_context(
            viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
        )
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def article():
    category = make_category()
    article = make_article(
        title="Tuổi trẻ Bắc Kạn ra quân tình nguyện",
        lead="Sáng 12/1, hơn một nghìn đoàn viên ra quân.",
        body=BODY,
        category=category,
        author_name="Ngọc Tú",
    )
    make_photo(article, caption="Đoàn viên dọn vệ sinh đường làng", position=1)
    return article


def remembered(text_size=None, contrast=None):
    """Return an init script that stores the reader's choices before the page loads."""
    stored = {"portal.textSize": text_size, "portal.contrast": contrast}
    return "".join(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(value)});"
        for key, value in stored.items()
        if value is not None
    )


def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def font_size(page, selector):
    return page.eval_on_selector(selector, "node => parseFloat(getComputedStyle(node).fontSize)")


def colour(page, selector, property_name):
    value = page.eval_on_selector(
        selector, f"node => getComputedStyle(node).getPropertyValue({property_name!r})"
    )
    return tuple(int(part) for part in re.findall(r"\d+", value)[:3])


def contrast_ratio(first, second):
    def luminance(rgb):
        channels = [
            value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
            for value in (part / 255 for part in rgb)
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Text size


def test_text_size_applies_to_every_page_and_is_remembered(live_server, open_page, article):
    page = open_page()
    page.goto(live_server.url + "/tin-tuc/")
    assert root_font_size(page) == 16
    title_size = font_size(page, ".card-title")

    page.get_by_role("button", name="Tăng cỡ chữ").click()
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    assert root_font_size(page) == 20
    assert font_size(page, ".card-title") == pytest.approx(title_size * 1.25)

    # The article, the next page read, has the larger text too.
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url("**" + article.get_absolute_url())
    assert root_font_size(page) == 20
    assert font_size(page, "[data-article-text] p:not(.lead)") == pytest.approx(1.0625 * 20)

    page.reload()
    assert root_font_size(page) == 20
    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    assert root_font_size(page) == 16
    for _ in range(4):
        page.get_by_role("button", name="Giảm cỡ chữ").click()
    assert root_font_size(page) == 14  # one step smaller is the least
    page.goto(live_server.url + "/")
    assert root_font_size(page) == 14
    assert page.errors == []


def test_the_largest_text_is_twice_the_size_and_the_phone_page_does_not_scroll_sideways(
    live_server, open_page, article
):
    page = open_page(PHONE, is_mobile=True, has_touch=True)
    for path in ["/", article.get_absolute_url(), "/so-do-cong/"]:
        page.goto(live_server.url + path)
        for _ in range(8):
            page.get_by_role("button", name="Tăng cỡ chữ").click()
        assert root_font_size(page) == 32
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert page.get_by_role("button", name="Tương phản cao").is_visible()
        assert page.get_by_role("searchbox", name="Tìm tin bài").is_visible()
        page.get_by_role("button", name="Cỡ chữ mặc định").click()


# High contrast


def test_high_contrast_is_a_pressed_button_and_is_remembered(live_server, open_page, article):
    page = open_page()
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Tương phản cao")
    assert button.get_attribute("aria-pressed") == "false"
    assert colour(page, "body", "background-color") == (255, 255, 255)

    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    # The pressed button, still focused, reads clearly.
    page.mouse.move(600, 600)
    assert button.evaluate("node => node === document.activeElement")
    pressed = [colour(page, "[data-contrast]", name) for name in ("color", "background-color")]
    assert contrast_ratio(*pressed) >= 7
    background = colour(page, "body", "background-color")
    text = colour(page, "body", "color")
    link = colour(page, ".card-title a", "color")
    assert background == (0, 0, 0)
    assert contrast_ratio(text, background) >= 7
    assert contrast_ratio(link, background) >= 7
    assert "underline" in page.eval_on_selector(
        ".card-title a", "node => getComputedStyle(node).textDecorationLine"
    )
    # Photos stay.
    assert page.locator(".card-photo img").first.is_visible()

    page.goto(live_server.url + article.get_absolute_url())
    assert colour(page, "body", "background-color") == (0, 0, 0)
    assert page.get_by_role("button", name="Tương phản cao").get_attribute("aria-pressed") == "true"
    page.reload()
    assert colour(page, "body", "background-color") == (0, 0, 0)

    page.get_by_role("button", name="Tương phản cao").click()
    page.reload()
    assert colour(page, "body", "background-color") == (255, 255, 255)
    assert (
        page.get_by_role("button", name="Tương phản cao").get_attribute("aria-pressed") == "false"
    )
    assert page.errors == []


def test_high_contrast_shows_focus_with_a_thick_ring(live_server, open_page, article):
    page = open_page(init_script=remembered(contrast="high"))
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("[data-article-text]").click()
    link = page.locator(".article .meta a")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = link.evaluate(
        "node => [getComputedStyle(node).outlineStyle, getComputedStyle(node).outlineWidth]"
    )
    assert outline == ["solid", "4px"]
    assert contrast_ratio(colour(page, ".article .meta a", "outline-color"), (0, 0, 0)) >= 7


def test_the_system_asking_for_more_contrast_turns_it_on_until_the_reader_chooses(
    live_server, open_page, article
):
    page = open_page(contrast="more")
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Tương phản cao")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    page.reload()
    assert (
        page.get_by_role("button", name="Tương phản cao").get_attribute("aria-pressed") == "false"
    )
    assert colour(page, "body", "background-color") == (255, 255, 255)


def test_remembered_choices_apply_before_the_deferred_scripts_run(live_server, open_page, article):
    """No flash: the small script in <head> applies them while the page is being read."""
    page = open_page(init_script=remembered(text_size="2", contrast="high"))
    page.route("**/static/js/site.js", lambda route: route.abort())
    page.route("**/static/js/article.js", lambda route: route.abort())
    page.goto(live_server.url + article.get_absolute_url())
    assert page.evaluate("document.documentElement.classList.contains('high-contrast')")
    assert root_font_size(page) == 20
    assert colour(page, "body", "background-color") == (0, 0, 0)
    assert page.get_by_role("button", name="Tăng cỡ chữ").is_visible()


# Where each element of the first screen stands, kept with the element itself.
MARK_PLACES = """() => {
    window.__places = new Map();
    for (const node of document.body.querySelectorAll("*")) {
        const box = node.getBoundingClientRect();
        if (box.width && box.height && box.top < innerHeight) {
            window.__places.set(node, [box.x, box.y]);
        }
    }
}"""
MOVED = """() => [...window.__places].filter(([node, [x, y]]) => {
    const box = node.getBoundingClientRect();
    const moved = Math.abs(box.x - x) >= 0.5 || Math.abs(box.y - y) >= 0.5;
    return node.isConnected && box.width && moved;
}).map(([node]) => node.outerHTML.slice(0, 80))"""
WATCH_SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => e.value)))
    .observe({type: "layout-shift"});"""


def test_nothing_moves_when_the_toolbar_and_the_read_aloud_button_appear(
    live_server, open_page, article
):
    """The page as drawn before the scripts run, then after they run: nothing on screen moves.

    The scripts are held back until the page is whole, so a slow machine drawing a
    half-read page cannot pass for a move that the scripts made.
    """
    scripts = ("**/static/js/site.js", "**/static/js/article.js")
    for viewport in (PHONE, DESKTOP):
        init = remembered(text_size="1", contrast="high") + fake_speech([VIETNAMESE_VOICE])
        page = open_page(viewport, init_script=init)
        for script in scripts:
            page.route(script, lambda route: route.abort())
        page.goto(live_server.url + article.get_absolute_url())
        # The toolbar comes from prefs.js in <head>, before the page is drawn.
        assert page.get_by_role("button", name="Tăng cỡ chữ").is_visible()
        assert not page.get_by_role("button", name="Đọc bài").is_visible()
        page.evaluate(MARK_PLACES)
        page.evaluate(WATCH_SHIFTS)

        for script in scripts:
            page.unroute(script)
        page.add_script_tag(url=live_server.url + static("js/site.js"))
        page.add_script_tag(url=live_server.url + static("js/article.js"))
        expect(page.get_by_role("button", name="Đọc bài")).to_be_visible()
        assert page.locator("button.menu-toggle").count() == 1  # site.js has run
        page.wait_for_load_state("networkidle")
        assert page.evaluate(MOVED) == []
        assert page.evaluate("window.__shifts") == []


def test_without_javascript_the_toolbar_is_not_shown(live_server, open_page, article):
    page = open_page(java_script_enabled=False)
    page.goto(live_server.url + article.get_absolute_url())
    assert not page.get_by_role("button", name="Tăng cỡ chữ").is_visible()
    assert not page.get_by_role("button", name="Tương phản cao").is_visible()
    assert not page.get_by_role("button", name="In bài").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()


def test_on_a_phone_the_toolbar_is_one_short_line(live_server, open_page, article):
    page = open_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server.url + article.get_absolute_url())
    bar = page.locator(".a11y-bar").bounding_box()
    assert bar["y"] == 0
    assert bar["height"] <= 32
    for name in ["Giảm cỡ chữ", "Cỡ chữ mặc định", "Tăng cỡ chữ", "Tương phản cao"]:
        button = page.get_by_role("button", name=name).bounding_box()
        assert button["y"] >= 0
        assert button["y"] + button["height"] <= bar["height"]
        assert button["height"] >= 24  # WCAG 2.2's smallest target
    headline = page.get_by_role("heading", level=1).bounding_box()
    assert headline["y"] < 200


def test_print_leaves_the_toolbar_and_the_dark_colours_off_paper(live_server, open_page, article):
    page = open_page(init_script=remembered(contrast="high"))
    page.goto(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".a11y-bar").is_visible()
    assert colour(page, "[data-article-text] p:not(.lead)", "color") == (0, 0, 0)


# Keyboard shortcuts


def test_keyboard_shortcuts_go_home_to_search_and_to_the_site_map(live_server, open_page, article):
    page = open_page()
    page.goto(live_server.url + article.get_absolute_url())
    search = page.get_by_role("searchbox", name="Tìm tin bài")
    assert search.get_attribute("aria-keyshortcuts") == "Alt+Shift+S"

    page.keyboard.press("Alt+Shift+KeyS")
    assert search.evaluate("node => node === document.activeElement")
    # Typing in a field is never taken for a shortcut.
    page.keyboard.type("Hà Nội")
    page.keyboard.press("Alt+Shift+KeyH")
    assert page.url == live_server.url + article.get_absolute_url()
    assert search.input_value() == "Hà Nội"

    page.locator("h1").click()
    page.keyboard.press("Alt+Shift+KeyM")
    page.wait_for_url(live_server.url + "/so-do-cong/")
    # Other modifiers, or one missing, are someone else's shortcut.
    page.keyboard.press("Control+Alt+Shift+KeyH")
    page.keyboard.press("Alt+KeyH")
    page.keyboard.press("Shift+KeyH")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/so-do-cong/"
    page.keyboard.press("Alt+Shift+KeyH")
    page.wait_for_url(live_server.url + "/")
    assert page.errors == []


def test_the_site_map_lists_the_shortcuts_the_page_declares(live_server, open_page, article):
    page = open_page()
    page.goto(live_server.url + "/so-do-cong/")
    declared = set(
        page.eval_on_selector_all(
            "[aria-keyshortcuts]", "nodes => nodes.map(n => n.getAttribute('aria-keyshortcuts'))"
        )
    )
    listed = {text.replace(" ", "") for text in page.locator("#phim-tat ~ dl dt").all_inner_texts()}
    assert declared == listed == {"Alt+Shift+H", "Alt+Shift+S", "Alt+Shift+M"}
    page.get_by_role("link", name="Phím tắt").click()
    assert page.url.endswith("/so-do-cong/#phim-tat")


# "Đọc bài": the browser's own speech synthesis, faked here (headless Chromium has no voices)

FAKE_SPEECH = """
(() => {
    let voices = VOICES;
    const spoken = [];
    class FakeUtterance extends EventTarget {
        constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
    }
    const synth = new EventTarget();
    synth.getVoices = () => voices;
    synth.speak = (utterance) => { spoken.push(utterance); };
    synth.cancel = () => {
        sessionStorage.setItem("cancelled", Number(sessionStorage.getItem("cancelled") || 0) + 1);
    };
    Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
    window.SpeechSynthesisUtterance = FakeUtterance;
    window.fakeSpeech = {
        spoken: () => spoken.map(u => ({text: u.text, lang: u.lang, voice: u.voice?.name})),
        cancelled: () => Number(sessionStorage.getItem("cancelled") || 0),
        setVoices: (list) => { voices = list; synth.dispatchEvent(new Event("voiceschanged")); },
        finishAll: () => {
            let count;
            do {
                count = spoken.length;
                spoken[count - 1].dispatchEvent(new Event("end"));
            } while (spoken.length > count);
        },
    };
})();
"""


def fake_speech(voices):
    """Return an init script that gives the page a recording speechSynthesis with voices."""
    return FAKE_SPEECH.replace("VOICES", json.dumps(voices))


VIETNAMESE_VOICE = {"name": "Tiếng Việt", "lang": "vi-VN", "localService": True}
NETWORK_VOICE = {"name": "Google Tiếng Việt", "lang": "vi-VN", "localService": False}
ENGLISH_VOICE = {"name": "English", "lang": "en-US", "localService": True}


def read_aloud_button(page):
    return page.locator("[data-read-aloud]")


def test_read_aloud_is_hidden_in_a_browser_without_a_vietnamese_voice(
    live_server, open_page, article
):
    page = open_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    voices = page.evaluate("speechSynthesis.getVoices().map(voice => voice.lang)")
    assert not any(lang.lower().startswith("vi") for lang in voices)
    assert read_aloud_button(page).is_hidden()

    english = open_page(init_script=fake_speech([ENGLISH_VOICE]))
    english.goto(live_server.url + article.get_absolute_url())
    english.evaluate("voices => fakeSpeech.setVoices(voices)", [ENGLISH_VOICE])
    assert read_aloud_button(english).is_hidden()

    without = open_page(init_script="delete window.speechSynthesis;")
    without.goto(live_server.url + article.get_absolute_url())
    assert read_aloud_button(without).is_hidden()
    assert page.errors == english.errors == without.errors == []


def test_read_aloud_reads_the_whole_article_in_short_vietnamese_chunks(
    live_server, open_page, article
):
    page = open_page(init_script=fake_speech([]))
    page.goto(live_server.url + article.get_absolute_url())
    assert read_aloud_button(page).is_hidden()
    # Voices arrive later, as in real browsers; a voice of the device is preferred.
    page.evaluate("voices => fakeSpeech.setVoices(voices)", [NETWORK_VOICE, VIETNAMESE_VOICE])
    button = page.get_by_role("button", name="Đọc bài")
    assert button.get_attribute("aria-pressed") == "false"

    button.click()
    stop = page.get_by_role("button", name="Dừng đọc")
    assert stop.get_attribute("aria-pressed") == "true"
    page.evaluate("fakeSpeech.finishAll()")
    spoken = page.evaluate("fakeSpeech.spoken()")

    texts = [chunk["text"] for chunk in spoken]
    assert texts[:4] == [
        "Tuổi trẻ Bắc Kạn ra quân tình nguyện",
        "Sáng 12/1, hơn một nghìn đoàn viên ra quân.",
        "Đoạn thứ nhất kể về hội nghị.",
        "Đoạn này có câu thứ hai!",
    ]
    whole = " ".join(texts)
    for part in ["Kết quả nổi bật", LONG_SENTENCE, "Hai mươi công trình.", "Ngọc Tú"]:
        assert part in whole
    assert "dọn vệ sinh" not in whole  # photo captions are not read
    assert max(len(text) for text in texts) <= 180
    assert {chunk["lang"] for chunk in spoken} == {"vi-VN"}
    assert {chunk["voice"] for chunk in spoken} == {"Tiếng Việt"}
    # At the end the button is ready to read again.
    assert page.get_by_role("button", name="Đọc bài").get_attribute("aria-pressed") == "false"
    assert page.errors == []


def test_stopping_cancels_the_speech(live_server, open_page, article):
    page = open_page(init_script=fake_speech([VIETNAMESE_VOICE]))
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("button", name="Đọc bài").click()
    assert len(page.evaluate("fakeSpeech.spoken()")) == 1

    page.get_by_role("button", name="Dừng đọc").click()
    assert page.evaluate("fakeSpeech.cancelled()") == 1
    assert page.get_by_role("button", name="Đọc bài").get_attribute("aria-pressed") == "false"
    # The stopped sentence ends: nothing more is said.
    page.evaluate("fakeSpeech.finishAll()")
    assert len(page.evaluate("fakeSpeech.spoken()")) == 1


def test_reading_stops_when_the_page_is_hidden_or_left(live_server, open_page, article):
    page = open_page(init_script=fake_speech([VIETNAMESE_VOICE]))
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("button", name="Đọc bài").click()
    page.evaluate(
        """() => {
            Object.defineProperty(document, "hidden", {value: true, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    assert page.evaluate("fakeSpeech.cancelled()") == 1
    assert page.get_by_role("button", name="Đọc bài").is_visible()

    page.get_by_role("button", name="Đọc bài").click()
    page.goto(live_server.url + "/")
    assert page.evaluate("fakeSpeech.cancelled()") == 2


# Accessibility of the pages, in both contrasts


@pytest.mark.parametrize("contrast", ["normal", "high"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pages_with_the_toolbar_have_no_accessibility_violation(
    live_server, open_page, article, contrast, viewport
):
    init = remembered(contrast=contrast) + fake_speech([VIETNAMESE_VOICE])
    page = open_page(viewport, init_script=init, bypass_csp=True)
    size = "desktop" if viewport == DESKTOP else "phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in {
        "home": "/",
        "article": article.get_absolute_url(),
        "site-map": "/so-do-cong/",
        "list": "/tin-tuc/",
        "contact": "/lien-he/",
        "ask": "/hoi-dap/gui-cau-hoi/",
    }.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if contrast == "high":
            page.screenshot(path=str(SCREENSHOTS / f"{name}-high-contrast-{size}.png"))
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}
