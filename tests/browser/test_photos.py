"""The photo library in a real browser: CKEditor's image dialog, the photo rows, a refused save."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from core import workflow
from news.models import Article
from photos.models import Image
from tests.factories import image_bytes, make_article, make_image, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.newsroom]


@pytest.fixture
def editor_page(live_server, page):
    make_user("editor", username="bientap", first_name="Lan", last_name="Hoàng")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "mat-khau")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def open_image_dialog(page):
    page.wait_for_selector(".cke_button__image")
    page.click(".cke_button__image")
    dialog = page.locator(".cke_dialog_body")
    dialog.wait_for()
    return dialog


def test_a_library_image_goes_into_the_body_with_its_caption_and_alt_text(live_server, editor_page):
    page = editor_page
    make_image(caption="Đoàn viên ra quân tình nguyện", alt_text="Hàng trăm đoàn viên áo xanh")
    page.goto(live_server.url + "/admin/news/article/add/")
    page.fill("#id_title", "Tuổi trẻ Ba Bể ra quân")
    page.fill("#id_lead", "Sáng nay, hơn 500 đoàn viên ra quân.")

    dialog = open_image_dialog(page)
    # The dialog tells alternative text and caption apart, in Vietnamese.
    assert "Văn bản thay thế" in dialog.inner_text()
    assert "Chú thích dưới ảnh" in dialog.inner_text()
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Duyệt máy chủ").click()
    popup = popup_info.value
    popup.wait_for_selector("[data-pick-image]")
    assert "Thư viện ảnh" in popup.title()
    with popup.expect_event("close"):
        try:
            popup.click("[data-pick-image]")
        except PlaywrightError as error:  # The picker may close before the click returns.
            if "closed" not in error.message:
                raise
    alt = dialog.get_by_label(re.compile("Văn bản thay thế"))
    assert alt.input_value() == "Hàng trăm đoàn viên áo xanh"
    page.click(".cke_dialog_ui_button_ok")

    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    assert body.locator("figure figcaption").inner_text() == "Đoàn viên ra quân tình nguyện"
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    article = Article.objects.get()
    image = Image.objects.get()
    assert '<figure class="image">' in article.body
    assert f'src="{image.url}"' in article.body
    assert 'alt="Hàng trăm đoàn viên áo xanh"' in article.body

    workflow.perform(article, "publish", workflow.SYSTEM)
    page.goto(live_server.url + article.get_absolute_url())
    figure = page.locator(".article-text figure.image")
    assert figure.locator("figcaption").inner_text() == "Đoàn viên ra quân tình nguyện"
    assert figure.locator("img").get_attribute("alt") == "Hàng trăm đoàn viên áo xanh"


def test_an_upload_from_the_image_dialog_carries_the_csrf_token(live_server, editor_page, tmp_path):
    page = editor_page
    photo = tmp_path / "Ảnh đêm hội.jpg"
    photo.write_bytes(image_bytes(size=(900, 600), image_format="JPEG"))
    page.goto(live_server.url + "/admin/news/article/add/")
    dialog = open_image_dialog(page)
    dialog.get_by_role("tab", name="Tải lên").click()
    upload_frame = page.frame_locator("iframe.cke_dialog_ui_input_file")
    upload_frame.locator("input[type=file]").set_input_files(str(photo))
    dialog.get_by_role("button", name="Tải lên máy chủ").click()
    source = dialog.get_by_label("URL")
    source.wait_for()
    page.wait_for_function("() => CKEDITOR.dialog.getCurrent().getValueOf('info', 'src') !== ''")
    image = Image.objects.get()
    assert image.uploaded_by.username == "bientap"
    assert re.fullmatch(r"photos/\d{4}/\d{2}/anh-dem-hoi-[0-9a-f]{8}\.jpg", image.file.name)
    assert source.input_value() == image.url

    # Without alternative text the dialog does not close.
    messages = []
    page.on("dialog", lambda alert: (messages.append(alert.message), alert.accept()))
    page.click(".cke_dialog_ui_button_ok")
    page.wait_for_timeout(300)
    assert messages == ["Vui lòng mô tả ảnh cho người đọc không xem được ảnh."]


def test_a_refused_save_keeps_the_photo_and_says_so_in_vietnamese(live_server, editor_page):
    page = editor_page
    article = make_article(title="Tít gốc", status=Article.Status.REVIEW)
    page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    # Someone else saves the article while it is open here.
    other = make_user("editor", username="minh", first_name="Minh")
    article.updated_by = other
    article.title = "Tít của Minh"
    article.save()

    page.fill("#id_title", "Tít của Lan")
    page.set_input_files(
        "#id_photos-0-upload",
        {
            "name": "Đêm hội.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes(image_format="JPEG"),
        },
    )
    page.fill("#id_photos-0-caption", "Đêm hội văn nghệ")
    page.click("input[name=_continue]")

    page.wait_for_selector(".errornote")
    assert page.locator(".errornote").inner_text().strip() == "Vui lòng sửa các lỗi dưới đây."
    assert "Minh đã lưu bài viết này" in page.locator(".errorlist").first.inner_text()
    assert page.input_value("#id_title") == "Tít của Lan"
    image = Image.objects.get()
    assert page.locator("#photos-0 img.photo-thumb").get_attribute("src") == image.thumbnail_url

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.title == "Tít của Lan"
    (photo,) = article.photos.all()
    assert (photo.image, photo.caption) == (image, "Đêm hội văn nghệ")


def test_the_library_is_searched_and_reused_in_a_photo_row(live_server, editor_page):
    page = editor_page
    make_image(caption="Đoàn viên ra quân", credit="Huyện đoàn Ba Bể")
    make_image(caption="Hội nghị tổng kết")
    page.goto(live_server.url + "/admin/photos/image/")
    assert page.locator("img.library-thumb").count() == 2
    page.fill("#searchbar", "doan vien")
    page.press("#searchbar", "Enter")
    page.wait_for_url(re.compile(r"q=doan"))
    assert page.locator("td.field-title").all_inner_texts() == ["Đoàn viên ra quân"]

    page.goto(live_server.url + "/admin/news/article/add/")
    page.fill("#id_title", "Bài dùng lại ảnh")
    page.fill("#id_lead", "Sapo.")
    page.click("#photos-0 .select2-selection")
    page.fill(".select2-search__field", "doan")
    page.click(".select2-results__option:has-text('Đoàn viên ra quân')")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    (photo,) = Article.objects.get().photos.all()
    assert photo.image.caption == "Đoàn viên ra quân"
    # Nothing copied: the row shows the image's credit, and its caption as the one offered.
    assert photo.caption == ""
    assert page.input_value("#id_photos-0-credit") == "Huyện đoàn Ba Bể"
    assert page.get_attribute("#id_photos-0-caption", "placeholder") == "Đoàn viên ra quân"
    assert Image.objects.count() == 2

    page.fill("#id_photos-0-credit", "Ảnh: Ngọc Tú")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Image.objects.get(pk=photo.image_id).credit == "Ngọc Tú"
    assert page.input_value("#id_photos-0-credit") == "Ngọc Tú"
