import datetime
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
import reversion
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import Client
from django.utils import timezone

from core.cache import page_store
from news.models import Article, Photo, Stage
from photos.models import Image
from tests.factories import (
    IDENTITY_QUERIES,
    NEXT_MOMENT_QUERIES,
    admin_url,
    article_form_data,
    change_data,
    form_errors,
    form_version,
    image_bytes,
    image_upload,
    logged_in,
    make_article,
    make_article_at,
    make_category,
    make_image,
    make_photo,
    make_user,
    move,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"
CHANGELIST_URL = "/admin/news/article/"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
# Letters only Vietnamese uses, to tell a Vietnamese message from an English one.
VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
)


def test_add_form_reads_the_publication_time_day_first(admin_client):
    response = admin_client.post(ADD_URL, article_form_data())
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert article.published_at == datetime.datetime(2023, 3, 5, 8, 0, tzinfo=LOCAL)
    assert timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M") == (
        "05/03/2023 08:00"
    )


def test_the_empty_time_boxes_hint_at_the_format_and_what_empty_means(admin_client):
    page = admin_client.get(ADD_URL).content.decode()
    published = re.search(r'<input[^>]*name="published_at"[^>]*>', page)[0]
    expires = re.search(r'<input[^>]*name="expires_at"[^>]*>', page)[0]
    assert 'placeholder="dd/mm/yyyy hh:mm — để trống: lúc xuất bản"' in published
    assert 'placeholder="dd/mm/yyyy hh:mm — để trống: không hết hạn"' in expires


def test_the_workflow_buttons_are_in_the_bottom_bar_too(client):
    editor = make_user("editor")
    article = make_article(status=Article.Status.REVIEW, created_by=editor)
    page = logged_in(client, editor).get(admin_url("change", article.pk)).content.decode()
    bar = page[page.index('<div class="submit-row">') :]
    bar = bar[: bar.index("</div>")]
    assert re.findall(r'name="workflow_action" value="(\w+)">([^<]+)</button>', bar) == [
        ("approve", "Lưu và duyệt bài"),
        ("return", "Lưu và trả lại tác giả"),
    ]
    assert bar.index('name="_save"') < bar.index('value="approve"')


def test_publishing_without_a_date_stamps_the_moment_of_publication(admin_client):
    moment = datetime.datetime(2023, 3, 26, 7, 15, tzinfo=LOCAL)
    with time_machine.travel(moment, tick=False):
        data = article_form_data(published_at="")
        response = admin_client.post(ADD_URL, data)
        assert response.status_code == 302, form_errors(response)
        article = Article.objects.get()
        assert article.published_at is None
        move(admin_client, article, "publish")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == moment


def test_a_draft_saved_without_a_date_has_none(admin_client):
    data = article_form_data(status=Article.Status.DRAFT, published_at="")
    admin_client.post(ADD_URL, data)
    assert Article.objects.get().published_at is None


def test_change_form_shows_the_publication_time_day_first(admin_client):
    article = make_article(published_at=datetime.datetime(2023, 3, 5, 8, 0, tzinfo=LOCAL))
    response = admin_client.get(f"/admin/news/article/{article.pk}/change/")
    html = response.content.decode()
    assert re.search(r'name="published_at"[^>]*value="05/03/2023 08:00"', html)


@pytest.mark.parametrize("typed", ["31/02/2023", "2023/13/45", "hôm nay"])
def test_an_impossible_date_is_refused_and_nothing_is_saved(admin_client, typed):
    response = admin_client.post(ADD_URL, article_form_data(published_at=typed))
    assert response.status_code == 200
    assert any(VIETNAMESE_LETTER.search(error) for error in form_errors(response))
    assert Article.objects.count() == 0


def test_created_by_is_the_logged_in_user(admin_client, admin_user):
    admin_client.post(ADD_URL, article_form_data())
    assert Article.objects.get().created_by == admin_user


def test_created_by_cannot_be_forged_through_the_form(admin_client, admin_user, django_user_model):
    other = django_user_model.objects.create_user("khac", password="x")
    admin_client.post(ADD_URL, article_form_data(created_by=str(other.pk)))
    assert Article.objects.get().created_by == admin_user


def test_editing_an_article_keeps_its_original_creator(admin_client, admin_user, django_user_model):
    author = django_user_model.objects.create_user("tacgia", password="x")
    article = make_article(created_by=author)
    data = change_data(article, title="Tít đã sửa")
    response = admin_client.post(f"/admin/news/article/{article.pk}/change/", data)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.created_by == author


def test_body_posted_in_the_admin_is_sanitised(admin_client):
    body = (
        '<p style="color:red" onclick="alert(1)">Đoàn viên ra quân.</p>'
        "<script>alert(1)</script>"
        '<p><a href="javascript:alert(1)">Xem thêm</a></p>'
        '<iframe src="https://example.com"></iframe>'
    )
    admin_client.post(ADD_URL, article_form_data(body=body))
    stored = Article.objects.get().body
    assert "Đoàn viên ra quân." in stored
    for dangerous in ("<script", "onclick", "style=", "javascript:", "<iframe", "alert(1)"):
        assert dangerous not in stored


def test_slug_is_made_from_the_title_when_left_empty(admin_client):
    admin_client.post(ADD_URL, article_form_data(title="Công tác Đoàn năm 2023"))
    assert Article.objects.get().slug == "cong-tac-doan-nam-2023"


def test_a_second_article_with_the_same_title_gets_the_next_free_slug(admin_client):
    make_article("Đại hội Đoàn", slug="dai-hoi-doan")
    make_article("Đại hội Đoàn lần 2", slug="dai-hoi-doan-2", status=Article.Status.DRAFT)
    # The add form's script fills the slug from the title: the same slug, already taken.
    response = admin_client.post(
        ADD_URL, article_form_data(title="Đại hội Đoàn", slug="dai-hoi-doan")
    )
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.filter(title="Đại hội Đoàn").count() == 2
    assert Article.objects.latest("pk").slug == "dai-hoi-doan-3"


def test_a_draft_is_saved_without_a_lead_but_not_submitted(client):
    author = logged_in(client, make_user("contributor"))
    response = author.post(ADD_URL, article_form_data(lead=""))
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert article.lead == ""
    response = move(author, article, "submit")
    assert form_errors(response) == ["Hãy điền “sapo” trước khi gửi duyệt hoặc xuất bản bài viết."]
    assert Article.objects.get().stage == Stage.DRAFT
    response = move(author, article, "submit", lead="Sáng 5/3, Tỉnh đoàn ra quân.")
    assert response.status_code == 302
    assert Article.objects.get().stage == Stage.IN_REVIEW


def test_publishing_without_a_lead_from_the_list_is_refused_with_the_reason(client):
    leader = logged_in(client, make_user("publisher"))
    article = make_article(status=Article.Status.DRAFT, lead="")
    response = leader.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "Hãy điền “sapo”" in response.content.decode()
    assert Article.objects.get().stage == Stage.DRAFT


def test_photos_inline_saves_uploaded_images_in_order(admin_client):
    photos = [
        {"upload": image_upload("Lễ ra quân.png"), "caption": "Lễ ra quân", "position": "0"},
        {
            "upload": image_upload("trong-cay.jpg", size=(80, 60), image_format="JPEG"),
            "caption": "Đoàn viên trồng cây",
            "alt_text": "Đoàn viên trồng cây keo trên đồi",
            "credit": "Ngọc Tú",
            "position": "1",
        },
    ]
    response = admin_client.post(ADD_URL, article_form_data(photos=photos))
    assert response.status_code == 302, form_errors(response)
    saved = list(Article.objects.get().photos.all())
    assert [photo.caption for photo in saved] == ["Lễ ra quân", "Đoàn viên trồng cây"]
    assert [photo.position for photo in saved] == [0, 1]
    assert saved[1].alt == "Đoàn viên trồng cây keo trên đồi"
    assert saved[1].credit == "Ngọc Tú"
    assert re.fullmatch(r"photos/\d{4}/\d{2}/le-ra-quan-[0-9a-f]{8}\.png", saved[0].image.file.name)
    for photo in saved:
        assert photo.image.file.storage.exists(photo.image.file.name)
    assert (saved[1].width, saved[1].height) == (80, 60)
    # Each upload is now a library image, described as in the article.
    library = {image.caption: image for image in Image.objects.all()}
    assert library["Đoàn viên trồng cây"].credit == "Ngọc Tú"
    assert library["Lễ ra quân"].original_name == "Lễ ra quân.png"


def test_a_photo_caption_is_required_and_the_upload_is_kept(admin_client):
    photos = [{"upload": image_upload(), "caption": ""}]
    response = admin_client.post(ADD_URL, article_form_data(photos=photos))
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in form_errors(response)
    assert Article.objects.count() == 0
    # The file is in the library already, and the row shown again points at it.
    (image,) = Image.objects.all()
    html = response.content.decode()
    assert re.search(rf'name="photos-0-image".*?<option value="{image.pk}" selected', html, re.S)


def test_a_library_image_is_placed_without_uploading_again(admin_client):
    image = make_image(
        caption="Đoàn viên ra quân", alt_text="Hàng trăm đoàn viên", credit="Ảnh: Tú"
    )
    before = Image.objects.values().get()
    photos = [{"image": str(image.pk), "caption": "", "position": "1"}]
    response = admin_client.post(ADD_URL, article_form_data(photos=photos))
    assert response.status_code == 302, form_errors(response)
    (photo,) = Article.objects.get().photos.all()
    assert photo.image == image
    # Left empty, the caption is the library's, read when shown; the words are the image's.
    assert photo.caption == ""
    assert (photo.shown_caption, photo.alt, photo.credit) == (
        "Đoàn viên ra quân",
        "Hàng trăm đoàn viên",
        "Tú",
    )
    assert Image.objects.values().get() == before


def test_a_photo_row_shows_the_image_s_words_and_saves_a_change_on_the_image(client):
    image = make_image(caption="Lễ ra quân", alt_text="Đoàn viên xếp hàng", credit="Tú")
    article = make_article(status=Article.Status.DRAFT)
    photo = make_photo(article, image=image, caption="Ra quân tại Ba Bể")
    elsewhere = make_photo(make_article(title="Bài khác"), image=image, caption="Ảnh cũ")
    logged_in(client, make_user("editor"))
    url = admin_url("change", article.pk)
    page = client.get(url).content.decode()
    assert 'name="photos-0-alt_text" value="Đoàn viên xếp hàng"' in page
    assert 'name="photos-0-credit" value="Tú"' in page

    data = change_data(article, photos=[photo])
    data.update({"photos-0-alt_text": "Hàng trăm đoàn viên", "photos-0-credit": "Ảnh: Ngọc Tú"})
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    image.refresh_from_db()
    assert (image.alt_text, image.credit) == ("Hàng trăm đoàn viên", "Ngọc Tú")
    assert "ngoc tu" in image.search_text
    elsewhere = Photo.objects.get(pk=elsewhere.pk)
    assert (elsewhere.alt, elsewhere.credit) == ("Hàng trăm đoàn viên", "Ngọc Tú")


@pytest.mark.parametrize(("uploader", "changed"), [("contributor", True), ("lan", False)])
def test_only_who_may_edit_an_image_changes_its_words_from_a_photo_row(client, uploader, changed):
    contributor = make_user("contributor")
    users = {"contributor": contributor, "lan": make_user("editor", username="lan")}
    image = make_image(
        caption="Lễ ra quân",
        alt_text="Đoàn viên xếp hàng",
        credit="Tú",
        uploaded_by=users[uploader],
    )
    article = make_article(status=Article.Status.DRAFT, created_by=contributor)
    photo = make_photo(article, image=image, caption="Ra quân tại Ba Bể")
    logged_in(client, contributor)
    url = admin_url("change", article.pk)
    page = client.get(url).content.decode()
    read_only = re.search(r'name="photos-0-alt_text" value="Đoàn viên xếp hàng"[^>]*disabled', page)
    assert bool(read_only) is not changed
    assert ("Thư viện ảnh giữ" in page) is not changed

    data = change_data(article, photos=[photo])
    data.update({"photos-0-alt_text": "Chữ đã sửa", "photos-0-credit": "Người khác"})
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    image.refresh_from_db()
    expected = ("Chữ đã sửa", "Người khác") if changed else ("Đoàn viên xếp hàng", "Tú")
    assert (image.alt_text, image.credit) == expected


def test_a_photo_row_without_an_image_does_not_lose_typed_words(admin_client):
    article = make_article(status=Article.Status.DRAFT)
    photo = make_photo(article, caption="Ảnh nhập từ cổng cũ", with_file=False)
    data = change_data(article, photos=[photo])
    data["photos-0-credit"] = "Ngọc Tú"
    response = admin_client.post(admin_url("change", article.pk), data)
    assert response.status_code == 200
    assert (
        "Hãy chọn hoặc tải ảnh lên trước: mô tả thay thế và nguồn ảnh là của ảnh."
        in form_errors(response)
    )


def test_an_article_the_user_may_only_read_shows_its_images_words(client):
    image = make_image(alt_text="Đoàn viên xếp hàng", credit="Tú")
    article = make_article()  # published: editors read it, publishers change it
    make_photo(article, image=image)
    logged_in(client, make_user("editor"))
    page = client.get(admin_url("change", article.pk)).content.decode()
    for name, label, value in [
        ("alt_text", "Mô tả thay thế", "Đoàn viên xếp hàng"),
        ("credit", "Nguồn ảnh", "Tú"),
    ]:
        assert re.search(rf'<th class="column-{name}">{label}', page)
        assert re.search(rf'<td class="field-{name}">\s*<p>{value}</p>', page)


def test_a_contributor_placing_an_image_they_may_not_edit_cannot_change_its_words(client):
    contributor = make_user("contributor")
    image = make_image(
        caption="Lễ ra quân",
        alt_text="Đoàn viên xếp hàng",
        uploaded_by=make_user("editor", username="lan"),
    )
    make_photo(make_article(title="Bài đã đăng"), image=image)  # readers see it: reusable
    before = Image.objects.values().get(pk=image.pk)
    article = make_article(status=Article.Status.DRAFT, created_by=contributor)
    data = change_data(article)
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-INITIAL_FORMS": 0,
            "photos-0-image": image.pk,
            "photos-0-caption": "",
            "photos-0-alt_text": "Chữ đã sửa",
            "photos-0-position": 0,
            "photos-0-order": 0,
        }
    )
    response = logged_in(client, contributor).post(admin_url("change", article.pk), data)
    assert response.status_code == 200
    assert (
        "Thư viện ảnh giữ mô tả thay thế và nguồn ảnh của ảnh này: "
        "chỉ người tải ảnh lên hoặc biên tập viên được sửa."
    ) in form_errors(response)
    assert not article.photos.exists()
    assert Image.objects.values().get(pk=image.pk) == before
    # Placed without changing its words, it shows the library's.
    data["photos-0-alt_text"] = ""
    response = client.post(admin_url("change", article.pk), data)
    assert response.status_code == 302, form_errors(response)
    assert article.photos.get().alt == "Đoàn viên xếp hàng"


def oversized_png():
    """A real PNG just over 10 MB (padding after the image end, which decoders ignore)."""
    content = image_bytes()
    return content + b"\0" * (10 * 1024 * 1024 + 1 - len(content))


def huge_png():
    """A real PNG of just over 40 megapixels, small on disk."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.png", b"this is not an image at all", "không phải ảnh JPEG, PNG, WebP hay GIF"),
        ("anh-lon.png", oversized_png, "Ảnh lớn hơn 10 MB"),
        ("anh-qua-nhieu-diem.png", huge_png, "40 megapixel"),
    ],
    ids=["not-an-image", "over-10-mb", "over-40-megapixels"],
)
def test_a_bad_upload_is_refused_with_a_vietnamese_error(admin_client, name, content, message):
    content = content() if callable(content) else content
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = admin_client.post(ADD_URL, article_form_data(photos=[{"upload": upload}]))
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors), errors
    assert Article.objects.count() == 0
    assert Photo.objects.count() == 0
    assert Image.objects.count() == 0


def bmp_upload():
    return SimpleUploadedFile("anh.bmp", image_bytes(image_format="BMP"), content_type="image/bmp")


def tiff_upload():
    return SimpleUploadedFile(
        "anh-quet.tif", image_bytes(image_format="TIFF"), content_type="image/tiff"
    )


def text_upload():
    return SimpleUploadedFile(
        "tai-lieu.txt", "Báo cáo tổng kết".encode(), content_type="text/plain"
    )


@pytest.mark.parametrize(
    "make_upload", [text_upload, bmp_upload, tiff_upload], ids=["txt", "bmp", "tiff"]
)
def test_a_file_of_another_type_is_refused(admin_client, make_upload):
    response = admin_client.post(ADD_URL, article_form_data(photos=[{"upload": make_upload()}]))
    assert response.status_code == 200
    assert form_errors(response)
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("make_upload", [bmp_upload, tiff_upload], ids=["bmp", "tiff"])
def test_an_image_of_another_type_is_refused_in_vietnamese(admin_client, make_upload):
    response = admin_client.post(ADD_URL, article_form_data(photos=[{"upload": make_upload()}]))
    errors = form_errors(response)
    assert errors
    for error in errors:
        assert "not allowed" not in error
        assert VIETNAMESE_LETTER.search(error)


def test_change_form_loads_ckeditor_and_the_vietnamese_slug_script(admin_client):
    article = make_article()
    for url in (ADD_URL, f"/admin/news/article/{article.pk}/change/"):
        html = admin_client.get(url).content.decode()
        assert 'src="/static/ckeditor/ckeditor/ckeditor.js"' in html
        assert 'data-type="ckeditortype"' in html
        assert 'src="/static/admin/js/vietnamese_urlify.js"' in html
        # The Vietnamese folding must come after Django's own slug helper it replaces.
        assert html.index("admin/js/urlify.js") < html.index("admin/js/vietnamese_urlify.js")


def test_change_form_shows_thumbnails_and_flags_photos_without_file(admin_client):
    article = make_article()
    with_file = make_photo(article, caption="Ảnh có tệp")
    make_photo(article, caption="Ảnh nhập từ cổng cũ", with_file=False, order=1)
    html = admin_client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert f'<img class="photo-thumb" src="{with_file.image.thumbnail_url}"' in html
    assert html.count("Chưa có tệp ảnh: hãy đính kèm ảnh gốc") == 1


def changelist_rows(response):
    html = response.content.decode()
    return re.findall(r'<tr>\s*<td class="action-checkbox">.*?</tr>', html, re.S)


def test_changelist_shows_status_date_category_and_photo_count(admin_client):
    category = make_category(name="Phong trào tình nguyện")
    article = make_article(
        title="Chiến dịch Mùa hè xanh",
        category=category,
        published_at=datetime.datetime(2023, 1, 12, 7, 30, tzinfo=LOCAL),
    )
    make_photo(article)
    make_photo(article, order=1)
    make_article(title="Bản nháp chưa duyệt", status=Article.Status.DRAFT)
    response = admin_client.get(CHANGELIST_URL)
    html = response.content.decode()
    for heading in ("Tiêu đề", "Tình trạng", "Thời điểm xuất bản", "Chuyên mục", "Ảnh"):
        assert f">{heading}</a>" in html
    rows = {
        re.search(r'change/">(.*?)</a>', row).group(1): row for row in changelist_rows(response)
    }
    published = rows["Chiến dịch Mùa hè xanh"]
    assert "Đã xuất bản" in published
    assert "07:30 12/01/2023" in published
    assert "Phong trào tình nguyện" in published
    assert re.search(r'class="field-photo_count">2</td>', published)
    assert "⚠" not in published
    assert "Bản nháp" in rows["Bản nháp chưa duyệt"]


def test_changelist_flags_articles_with_photos_missing_their_file(admin_client):
    article = make_article(title="Bài nhập từ cổng cũ")
    make_photo(article)
    make_photo(article, with_file=False, order=1)
    make_photo(article, with_file=False, order=2)
    (row,) = changelist_rows(admin_client.get(CHANGELIST_URL))
    cell = re.search(r'class="field-photo_count">(.*?)</td>', row).group(1)
    assert cell.startswith("3 ")
    assert 'title="Ảnh chưa có tệp">(⚠ 2)' in cell


def test_changelist_filters_by_status_and_searches_titles(admin_client):
    make_article(title="Tuổi trẻ Chợ Đồn tình nguyện")
    make_article(title="Bản nháp Ngân Sơn", status=Article.Status.DRAFT)
    drafts = admin_client.get(CHANGELIST_URL, {"status__exact": "draft"})
    assert [row for row in changelist_rows(drafts) if "Ngân Sơn" in row]
    assert not [row for row in changelist_rows(drafts) if "Chợ Đồn" in row]
    found = admin_client.get(CHANGELIST_URL, {"q": "Chợ Đồn"})
    assert len(changelist_rows(found)) == 1


# Session, user, the category filter's choices, the page of articles with their photo
# counts, and the date hierarchy's first and last dates. The count is remembered until
# the content changes: the first list after a change counts, reads the identity (the
# header) and works out the next scheduled moment (two queries).
CHANGELIST_QUERIES = 6
FIRST_CHANGELIST_QUERIES = CHANGELIST_QUERIES + 1 + IDENTITY_QUERIES + NEXT_MOMENT_QUERIES


@pytest.mark.parametrize("number", [3, 30])
def test_changelist_runs_a_fixed_number_of_queries(admin_client, django_assert_num_queries, number):
    category = make_category()
    for index in range(number):
        article = make_article(title=f"Bài số {index}", category=category)
        for order in range(4):
            make_photo(article, with_file=(index + order) % 2 == 0, order=order)
        for _ in range(3):
            with reversion.create_revision():
                article.save()
    with django_assert_num_queries(FIRST_CHANGELIST_QUERIES):
        response = admin_client.get(CHANGELIST_URL)
    assert len(changelist_rows(response)) == number
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = admin_client.get(CHANGELIST_URL)
    assert len(changelist_rows(response)) == number
    assert "4 <span" in response.content.decode()


def test_changelist_pages_deep_into_the_archive(admin_client):
    for index in range(205):
        make_article(
            title=f"Bài số {index:03}",
            published_at=timezone.now() - datetime.timedelta(hours=index),
        )
    last = admin_client.get(CHANGELIST_URL, {"p": "5"})
    assert [row for row in changelist_rows(last) if "Bài số 204" in row]
    assert "205 bài viết" in last.content.decode()


def remembered_values():
    """Return the keys of the values the page cache remembers (the lists' counts among them)."""
    return {key for key in page_store()._cache if "pages:value:" in key}


def shown_count(response):
    """Return the number of articles the changelist says its list holds."""
    assert response.status_code == 200
    return int(re.search(r"(\d+) bài viết", response.content.decode()).group(1))


def test_a_filtered_list_is_counted_once_whatever_its_page_order_and_moment(
    admin_client, admin_user, monkeypatch
):
    now = timezone.now()
    category = make_category()
    for index in range(4):
        make_article_at(Stage.LIVE, now, title=f"Tình nguyện số {index}", category=category)
    for index in range(3):
        make_article_at(Stage.SCHEDULED, now, title=f"Sắp đăng {index}", created_by=admin_user)
    draft = make_article_at(Stage.DRAFT, now, title="Tình nguyện chưa đăng", created_by=admin_user)
    articles_admin = admin.site.get_model_admin(Article)
    # Two articles a page, so that every list below has a second page.
    monkeypatch.setattr(articles_admin, "list_per_page", 2)
    lists = [
        ({}, 8),
        ({"stage": "scheduled"}, 3),
        ({"stage": "live"}, 4),
        ({"stage": "live", "category__id__exact": category.pk}, 4),
        ({"q": "tinh nguyen"}, 5),
        ({"stage": "mine"}, 4),
    ]
    for filters, count in lists:
        assert shown_count(admin_client.get(CHANGELIST_URL, filters)) == count
    remembered = remembered_values()
    # One count per list, the union's identity the page's header shows, and the bylines
    # the search looks through.
    assert len(remembered) <= len(lists) + 2

    # The same lists on every page and in every order, each at its own moment, answered
    # with only the count the page shows (drawing the whole page each time is slow).
    with monkeypatch.context() as patched:
        only_the_count = engines["django"].from_string("{{ cl.result_count }} bài viết")
        patched.setattr(articles_admin, "change_list_template", only_the_count)
        pages = itertools.product(lists, ["1", "2"], ["", "1", "-1", "3", "-3.1", "2.-3"])
        for (filters, count), page, ordering in pages:
            response = admin_client.get(CHANGELIST_URL, {**filters, "p": page, "o": ordering})
            assert shown_count(response) == count

    assert remembered_values() == remembered
    # A change is counted at once.
    assert move(admin_client, draft, "publish").status_code == 302
    assert shown_count(admin_client.get(CHANGELIST_URL, {"stage": "live", "p": "2"})) == 5
    in_category = {"stage": "live", "category__id__exact": category.pk, "o": "1"}
    assert shown_count(admin_client.get(CHANGELIST_URL, in_category)) == 4


def test_each_person_is_counted_the_articles_they_see(client):
    first, second = make_user("contributor", username="tu"), make_user("contributor", "lan")
    publisher = make_user("publisher")
    for title, author in [
        ("Bài của Tú", first),
        ("Bài nữa của Tú", first),
        ("Bài của Lan", second),
    ]:
        make_article(title=title, status=Article.Status.DRAFT, created_by=author)
    make_article(title="Bài của Tổng biên tập", status=Article.Status.DRAFT, created_by=publisher)
    # Contributors see their own articles; editors and publishers everyone's, and their own
    # under "My articles".
    for user, drafts, mine in [(first, 2, 2), (second, 1, 1), (make_user("editor"), 4, 0)]:
        client.force_login(user)
        assert shown_count(client.get(CHANGELIST_URL, {"stage": "draft"})) == drafts
        assert shown_count(client.get(CHANGELIST_URL, {"stage": "mine"})) == mine
    client.force_login(publisher)
    assert shown_count(client.get(CHANGELIST_URL, {"stage": "mine"})) == 1


def test_date_hierarchy_offers_the_years_from_first_to_last(admin_client):
    for year in (2019, 2021, 2023):
        make_article(
            title=f"Bài năm {year}", published_at=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
        )
    page = admin_client.get(CHANGELIST_URL).content.decode()
    hierarchy = page[page.index('class="toplinks"') :]
    for year in range(2019, 2024):
        assert f"published_at__year={year}" in hierarchy
    months = admin_client.get(CHANGELIST_URL, {"published_at__year": "2021"}).content.decode()
    assert "published_at__month=6" in months
    assert "published_at__month=7" not in months


def test_admin_speaks_vietnamese(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert "Bài viết" in index
    assert "Chuyên mục" in index
    assert "Thêm" in index
    add_form = admin_client.get(ADD_URL).content.decode()
    assert "Thêm vào bài viết" in add_form
    assert "Lưu lại" in add_form
    assert "Sapo" in add_form or "sapo" in add_form


def test_admin_requires_staff(client, django_user_model):
    django_user_model.objects.create_user("docgia", password="matkhau-dai-123")
    client.login(username="docgia", password="matkhau-dai-123")
    response = client.post(ADD_URL, article_form_data())
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Article.objects.count() == 0


def test_a_leader_is_asked_before_moving_a_live_article_into_the_past(client):
    from tests.factories import logged_in, make_user

    article = make_article(title="Tin đang đăng")
    client = logged_in(client, make_user("publisher"))
    url = f"/admin/news/article/{article.pk}/change/"
    # A live article's change is published with its button (news.pending).
    moved = change_data(article, published_at="05/03/2023 08:00", workflow_action="publish")
    asked = client.post(url, moved)
    assert asked.status_code == 200
    assert "Thời điểm này đã qua" in asked.content.decode()
    article.refresh_from_db()
    assert article.published_at.year != 2023
    # The same button again, with the warned-about time: it is kept.
    data = {**moved, "backdate_confirmed": "05/03/2023 08:00"}
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M") == (
        "05/03/2023 08:00"
    )


def test_an_unreadable_time_keeps_what_was_typed_and_shows_the_format(admin_client):
    article = make_article()
    url = f"/admin/news/article/{article.pk}/change/"
    response = admin_client.post(url, change_data(article, published_at="7h00"))
    content = response.content.decode()
    assert 'value="7h00"' in content
    assert "Nhập ngày rồi đến giờ, theo dạng: 25/03/2023 07:00." in content


def test_a_refused_concurrent_save_keeps_the_uploaded_photo():
    first = logged_in(Client(), make_user("editor", username="lan", last_name="Hoàng"))
    minh = make_user("editor", username="minh")
    second = logged_in(Client(), minh)
    article = make_article(title="Tít gốc", status=Article.Status.REVIEW)
    url = admin_url("change", article.pk)
    opened = form_version(second.get(url))
    assert first.post(url, change_data(article, edit_version=opened)).status_code == 302

    row = {
        "photos-TOTAL_FORMS": 1,
        "photos-0-caption": "Đêm hội",
        "photos-0-position": 0,
        "photos-0-order": 0,
    }
    upload = image_upload("Đêm hội.jpg", image_format="JPEG")
    data = change_data(article, title="Tít của Minh", edit_version=opened, **row)
    refused = second.post(url, {**data, "photos-0-upload": upload})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Hoàng Lan đã lưu bài viết này" in html
    assert "Vui lòng sửa các lỗi dưới đây." in html
    assert "Please correct" not in html
    # The file is in the library already and the row shown again points at it.
    (image,) = Image.objects.all()
    assert (image.original_name, image.uploaded_by, image.caption) == (
        "Đêm hội.jpg",
        minh,
        "Đêm hội",
    )
    assert not Photo.objects.exists()
    chosen = re.search(r'name="photos-0-image".*?<option value="(\d+)" selected', html, re.S)
    assert chosen.group(1) == str(image.pk)
    assert f'<img class="photo-thumb" src="{image.thumbnail_url}"' in html

    # Saving again sends what the page holds: no file to choose again.
    again = {**data, "edit_version": form_version(refused), "photos-0-image": chosen.group(1)}
    assert second.post(url, again).status_code == 302
    (photo,) = article.photos.all()
    assert photo.image == image
    assert image.file.storage.exists(image.file.name)
    assert Image.objects.count() == 1
