import pytest
from django.contrib.auth import get_user_model

from news.models import Article
from tests.english import ckeditor_english, english_in
from tests.factories import make_category, make_image

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]


@pytest.fixture
def staff_page(live_server, page):
    get_user_model().objects.create_superuser("bientap", password="mat-khau-thu-nghiem-1")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "mat-khau-thu-nghiem-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_slug_is_prefilled_the_vietnamese_way(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.locator("#id_title").press_sequentially("Đại hội Đoàn công tác đoàn năm 2023")
    assert page.input_value("#id_slug") == "dai-hoi-doan-cong-tac-doan-nam-2023"


def test_editor_writes_an_article_with_ckeditor_and_schedules_it(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.fill("#id_title", "Tuổi trẻ Bắc Kạn ra quân tình nguyện")
    page.fill("#id_lead", "Sáng nay, hơn 500 đoàn viên ra quân.")
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    editor.click()
    editor.type("Các đội hình tình nguyện đã có mặt tại xã.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".workflow-panel")

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.slug == "tuoi-tre-bac-kan-ra-quan-tinh-nguyen"
    assert "Các đội hình tình nguyện đã có mặt tại xã." in article.body

    # An edit not saved yet, then the workflow button: both happen, in one step.
    editor.click()
    editor.press("End")
    editor.type(" Đội hình thứ hai lên đường.")
    page.fill("#id_lead", "Sáng 5/3, hơn 500 đoàn viên ra quân.")
    page.fill("#id_published_at", "05/03/2023 07:30")
    # The workflow's buttons, in the panel and the bottom bar, are the size of Save.
    heights = page.eval_on_selector_all(
        ".workflow-action .button, .submit-row .workflow-button, .submit-row [name=_save]",
        "buttons => buttons.map(button => button.getBoundingClientRect().height)",
    )
    assert len(heights) == 1 + 2 * 2 and len(set(heights)) == 1  # submit, publish, twice
    page.locator(".submit-row").get_by_role("button", name="Lưu và xuất bản").click()
    # A time in the past is not published silently: the form asks, keeping every edit.
    warning = page.locator(".field-published_at .errorlist")
    assert "Thời điểm này đã qua" in warning.inner_text()
    assert page.input_value("#id_published_at") == "05/03/2023 07:30"
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    page.locator(".workflow-panel").get_by_role("button", name="Lưu và xuất bản").click()
    page.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at.isoformat() == "2023-03-05T00:30:00+00:00"
    assert article.lead == "Sáng 5/3, hơn 500 đoàn viên ra quân."
    assert "Đội hình thứ hai lên đường." in article.body
    assert "Đã xuất bản" in page.locator(".workflow-timeline").inner_text()


def test_the_live_slug_keeps_a_dash_between_numbers(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.locator("#id_title").press_sequentially("Đại hội nhiệm kỳ 2027–2032")
    assert page.input_value("#id_slug") == "dai-hoi-nhiem-ky-2027-2032"


def test_leaving_with_unsaved_changes_warns_and_the_typing_is_offered_back(live_server, staff_page):
    page = staff_page
    article = Article.objects.create(
        title="Tít cũ", lead="Sapo cũ.", body="<p>Đoạn cũ.</p>", status=Article.Status.DRAFT
    )
    url = live_server.url + f"/admin/news/article/{article.pk}/change/"
    page.goto(url)
    page.wait_for_selector("[data-count]:not([hidden])")
    assert page.inner_text("[data-count]") == "2 từ · 8 ký tự"
    page.fill("#id_title", "Tít mới đang gõ dở")
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    editor.click()
    editor.press("End")
    editor.type(" Thêm một câu.")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('5 từ')")
    page.wait_for_timeout(1200)  # the local copy is written after a pause in typing

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.reload()
    assert dialogs == ["beforeunload"]

    # After a crash or a reload, the copy kept on this computer is offered back.
    offer = page.locator("[data-offer]")
    offer.wait_for(state="visible")
    assert page.input_value("#id_title") == "Tít cũ"
    page.get_by_role("button", name="Lấy lại bản này").click()
    assert page.input_value("#id_title") == "Tít mới đang gõ dở"
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert article.title == "Tít mới đang gõ dở"
    assert "Thêm một câu." in article.body
    # Saved: nothing is offered any more.
    page.reload()
    page.wait_for_selector("[data-count]:not([hidden])")
    assert not page.locator("[data-offer]").is_visible()


def test_the_sharing_preview_follows_the_title_as_it_is_typed(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.fill("#id_title", "Tuổi trẻ Bắc Kạn")
    preview = page.locator("[data-share-preview]")
    assert preview.locator(".share-title").inner_text() == "Tuổi trẻ Bắc Kạn"
    page.fill("#id_title", "Tuổi trẻ Bắc Kạn " * 5)
    assert "Tiêu đề dài hơn 60 ký tự" in preview.locator("[data-share-warnings]").inner_text()


def test_a_wide_image_fits_the_editor_box_and_its_caption_wraps(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.wait_for_function("() => window.CKEDITOR?.instances.id_body?.status === 'ready'")
    caption = "Đoàn viên thanh niên ra quân tình nguyện hè " * 6
    page.evaluate(
        "html => new Promise(done => CKEDITOR.instances.id_body.setData(html, {callback: done}))",
        '<figure class="image"><img alt="Ra quân" src="/static/img/logo.png" width="1200" '
        f'height="800"><figcaption>{caption}</figcaption></figure><p>Đoạn văn.</p>',
    )
    frame = page.frame_locator("iframe.cke_wysiwyg_frame")
    frame.locator("figcaption").wait_for()

    sizes = frame.locator("html").evaluate(
        """root => ({
            scroll: root.scrollWidth, box: root.clientWidth,
            image: root.querySelector('img').getBoundingClientRect().width,
            caption: root.querySelector('figcaption').getBoundingClientRect().right,
        })"""
    )
    assert sizes["scroll"] <= sizes["box"]  # no sideways scrolling
    assert sizes["image"] < 1200
    assert sizes["caption"] <= sizes["box"]


def test_two_new_articles_typed_in_two_tabs_both_come_back(live_server, staff_page):
    page = staff_page
    category = make_category("Tình nguyện")
    image = make_image(caption="Đoàn viên ra quân")
    add = live_server.url + "/admin/news/article/add/"
    page.goto(add)
    page.fill("#id_title", "Bài thứ nhất")
    page.select_option("#id_category", label="Tình nguyện")
    page.fill("#id_published_at", "25/03/2030 07:00")
    page.click("#photos-0 .select2-selection")
    page.fill(".select2-search__field", "doan")
    page.click(".select2-results__option:has-text('Đoàn viên ra quân')")
    page.fill("#id_photos-0-caption", "Chú thích riêng")
    page.fill("#id_photos-0-position", "2")
    second = page.context.new_page()
    second.goto(add)
    second.fill("#id_title", "Bài thứ hai")
    page.wait_for_timeout(1200)  # each copy is written after a pause in typing
    page.close()
    second.close()  # both tabs lost, as in a crash

    page = staff_page.context.new_page()
    page.goto(add)
    offers = page.locator("[data-offer]")
    offers.first.wait_for()
    assert offers.count() == 2
    offers.filter(has_text="Bài thứ nhất").get_by_role("button", name="Lấy lại bản này").click()

    assert page.input_value("#id_title") == "Bài thứ nhất"
    assert page.input_value("#id_category") == str(category.pk)
    assert page.input_value("#id_published_at") == "25/03/2030 07:00"
    assert page.input_value("#id_photos-0-image") == str(image.pk)
    assert "Đoàn viên ra quân" in page.inner_text("#photos-0 .select2-selection")
    assert page.input_value("#id_photos-0-caption") == "Chú thích riêng"
    assert page.input_value("#id_photos-0-position") == "2"
    page.fill("#id_lead", "Sapo.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    article = Article.objects.get()
    assert (article.title, article.category, article.photos.get().image) == (
        "Bài thứ nhất",
        category,
        image,
    )

    # The saved one is no longer offered; the other still is.
    page.goto(add)
    page.locator("[data-offer]").first.wait_for()
    assert page.locator("[data-offer]").all_inner_texts()[0].count("Bài thứ hai") == 1
    assert page.locator("[data-offer]").count() == 1


def test_the_editor_s_lists_and_dialogs_are_vietnamese(live_server, staff_page):
    page = staff_page
    page.goto(live_server.url + "/admin/news/article/add/")
    page.wait_for_selector(".cke_button__link")
    # The editor's frame and toolbar: what a screen reader announces first.
    shown = [page.locator("div.cke").first.inner_html()]
    page.click(".cke_combo__format .cke_combo_button")
    shown.append(page.frame_locator("iframe.cke_panel_frame").locator("body").inner_html())
    page.keyboard.press("Escape")
    for button in ["link", "image", "table"]:
        page.click(f".cke_button__{button}")
        dialog = page.locator(".cke_dialog_body").locator("visible=true")
        dialog.wait_for()
        # Every tab's fields are drawn, shown or not, with the dialog.
        shown.append(dialog.inner_html())
        dialog.locator(".cke_dialog_ui_button_cancel").click()
    assert english_in(" ".join(shown), ckeditor_english()) == []
    assert "Tiêu đề 2" in shown[1]
