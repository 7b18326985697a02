import pytest

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db(transaction=True)


def article_text_size(page):
    return page.eval_on_selector(
        "[data-article-text] p:not(.lead)", "p => parseFloat(getComputedStyle(p).fontSize)"
    )


def test_text_size_buttons_change_the_text_and_are_remembered(live_server, page):
    article = make_article(body="<p>Đoạn văn đầu tiên của bài.</p><p>Đoạn thứ hai.</p>")
    page.goto(live_server.url + article.get_absolute_url())
    initial = article_text_size(page)
    # One control, the site-wide toolbar's in the header; none of the article's own.
    button = page.get_by_role("banner").get_by_role("button", name="Tăng cỡ chữ")
    assert page.get_by_role("button", name="Tăng cỡ chữ").count() == 1

    button.click()
    button.click()
    larger = article_text_size(page)
    assert larger > initial

    page.reload()
    assert article_text_size(page) == larger

    for _ in range(3):
        page.get_by_role("button", name="Giảm cỡ chữ").click()
    assert article_text_size(page) < initial


def test_print_button_opens_the_print_dialog(live_server, page):
    article = make_article()
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="In bài").click()
    assert page.evaluate("window.printed === true")


def test_print_stylesheet_hides_menus_and_buttons(live_server, page):
    article = make_article()
    page.goto(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.get_by_role("button", name="Tăng cỡ chữ").is_visible()
    assert page.get_by_role("heading", level=1, name=article.title).is_visible()


def test_skip_link_moves_focus_to_the_content(live_server, page):
    article = make_article()
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    assert skip.evaluate("link => link === document.activeElement")
    assert skip.is_visible()


def test_article_photos_sit_between_paragraphs_with_captions(live_server, page):
    article = make_article(body="<p>Một.</p><p>Hai.</p><p>Ba.</p>")
    make_photo(article, caption="Đại biểu thảo luận", position=2)
    page.goto(live_server.url + article.get_absolute_url())
    order = page.eval_on_selector_all(
        "[data-article-text] > p:not(.lead), [data-article-text] > figure",
        """nodes => nodes.map(node => node.tagName === "FIGURE"
            ? node.querySelector("figcaption").textContent.trim()
            : node.textContent)""",
    )
    assert order == ["Một.", "Hai.", "Đại biểu thảo luận", "Ba."]


def test_the_share_button_shows_only_where_the_browser_can_share(live_server, page):
    article = make_article()
    page.goto(live_server.url + article.get_absolute_url())
    share = page.get_by_role("button", name="Chia sẻ…", include_hidden=True)
    if page.evaluate("'share' in navigator"):
        assert share.is_visible()
    else:
        assert not share.is_visible()
    page.add_init_script("navigator.share = () => Promise.resolve()")
    page.reload()
    assert share.is_visible()
