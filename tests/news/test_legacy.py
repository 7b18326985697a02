import datetime
import html
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import formats, timezone

from news.models import Article, Photo
from tests.factories import (
    LEGACY_DIR,
    REFERENCE_ARTICLE,
    image_upload,
    make_category,
    make_image,
)

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
NO_PHOTO = LEGACY_DIR / "001_ra_quan_thang_thanh_nien.txt"
THREE_PHOTOS = LEGACY_DIR / "002_tinh_nguyen_he_ba_anh.txt"
CRLF_BOM_NBSP = LEGACY_DIR / "003_bch_tinh_doan_crlf_bom.txt"
WITH_SUBHEADING = LEGACY_DIR / "004_ngay_hoi_doan_vien_tieu_de_con.txt"

REFERENCE_TITLE = (
    "Tổng kết công tác hỗ trợ nâng cao chất lượng hoạt động công tác đoàn "
    "và phong trào thanh thiếu nhi năm 2022"
)
REFERENCE_LEAD = (
    "Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị tổng kết công tác hỗ trợ nâng cao chất lượng "
    "hoạt động công tác đoàn và phong trào thanh thiếu nhi đối với một số đoàn cơ sở năm "
    "2022. Bí thư Tỉnh đoàn Triệu Tiến Trình chủ trì Hội nghị."
)
NINE_COMMUNES = [
    "Vi Hương (Bạch Thông)",
    "Hoàng Trĩ (Ba Bể)",
    "Ngọc Phái (Chợ Đồn)",
    "Bình Văn (Chợ Mới)",
    "Kim Hỷ (Na Rì)",
    "Cổ Linh (Pác Nặm)",
    "Nông Thượng (thành phố Bắc Kạn)",
    "Hiệp Lực",
    "Bằng Vân (Ngân Sơn)",
]
CHROME = ["PublishingPortal", "Block_", "Tăng cỡ chữ", "Giảm cỡ chữ"]


def run_import(*args, **options):
    """Run import_legacy as on the command line; return (stdout, stderr) texts."""
    stdout, stderr = StringIO(), StringIO()
    call_command("import_legacy", *map(str, args), stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def run_failing_import(*args, **options):
    """Run import_legacy expecting a non-zero exit; return (error, stdout, stderr) texts."""
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_legacy", *map(str, args), stdout=stdout, stderr=stderr, **options)
    return str(raised.value), stdout.getvalue(), stderr.getvalue()


def paragraphs(article):
    """Return the body's paragraphs as the text a reader sees."""
    return [html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", article.body, re.S)]


def every_text(article):
    return [
        article.title,
        article.lead,
        article.body,
        article.author_name,
        *(photo.caption for photo in article.photos.all()),
    ]


def shown_date(article):
    return formats.date_format(timezone.localtime(article.published_at), "SHORT_DATE_FORMAT")


def write_export(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


# The reference article


@pytest.fixture
def reference():
    run_import(REFERENCE_ARTICLE)
    return Article.objects.get()


def test_reference_title_lead_and_byline(reference):
    assert reference.title == REFERENCE_TITLE
    assert reference.lead == REFERENCE_LEAD
    assert reference.author_name == "Ngọc Tú"
    assert reference.slug == (
        "tong-ket-cong-tac-ho-tro-nang-cao-chat-luong-hoat-dong-cong-tac-doan-"
        "va-phong-trao-thanh-thieu-nhi-nam-2022"
    )


def test_reference_date_is_12_january_2023_in_vietnam(reference):
    assert reference.published_at == datetime.datetime(2023, 1, 12, tzinfo=LOCAL)
    assert shown_date(reference) == "12/01/2023"


def test_reference_photo_captions_in_order_at_their_places(reference):
    photos = list(reference.photos.all())
    assert [(photo.caption, photo.position) for photo in photos] == [
        ("Bí thư Tỉnh đoàn Triệu Tiến Trình chủ trì Hội nghị", 0),
        ("Đại biểu nêu ý kiến thảo luận tại Hội nghị", 5),
    ]
    # Captions come without their pictures: staff attach the originals later.
    assert all(not photo.image for photo in photos)
    body = paragraphs(reference)
    assert body[4].startswith("Theo kế hoạch, năm 2023")
    assert body[5].startswith("Thảo luận tại Hội nghị")


def test_reference_body_keeps_the_nine_communes_and_every_paragraph(reference):
    body = paragraphs(reference)
    assert len(body) == 8
    assert body[0].startswith("Năm 2022, Tỉnh đoàn đã thực hiện hỗ trợ")
    for commune in NINE_COMMUNES:
        assert commune in body[0]
    assert "đối với 9 xã:" in body[0]
    assert "có 5 đoàn xã được xếp loại hoàn thành xuất sắc nhiệm vụ." in body[1]
    assert body[3].endswith("một số nơi còn thiếu…")
    assert body[-1].endswith("tích cực hỗ trợ đối với cơ sở./.")
    assert "Ngọc Tú" not in reference.body


def test_reference_has_no_portal_chrome_and_no_no_break_space(reference):
    for text in every_text(reference):
        for chrome in CHROME:
            assert chrome not in text
        assert "\xa0" not in text
        assert "&nbsp;" not in text
        assert "  " not in text
    # The no-break spaces stood between words: they become ordinary spaces.
    assert "Tỉnh đoàn đã thực hiện hỗ trợ nâng cao" in reference.body
    assert "các xã đã chủ động" in reference.body


def test_reference_is_a_draft_without_category_by_default(reference):
    assert reference.status == Article.Status.DRAFT
    assert reference.category is None
    assert not Article.objects.published().exists()


def test_reference_reads_as_published_with_photos_at_their_places(client):
    run_import(REFERENCE_ARTICLE, "--status", "published")
    article = Article.objects.get()
    for photo in article.photos.all():
        photo.image = make_image(image_upload(f"anh-{photo.position}.png"))
        photo.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "12/01/2023" in page
    positions = [
        page.index(text)
        for text in (
            REFERENCE_LEAD,
            "Bí thư Tỉnh đoàn Triệu Tiến Trình chủ trì Hội nghị</figcaption>",
            "<p>Năm 2022, Tỉnh đoàn đã thực hiện",
            "<p>Theo kế hoạch, năm 2023",
            "Đại biểu nêu ý kiến thảo luận tại Hội nghị</figcaption>",
            "<p>Thảo luận tại Hội nghị",
            'class="byline">Ngọc Tú<',
        )
    ]
    assert positions == sorted(positions)


# Other articles in the same export format


def test_article_without_photo(client):
    out, _ = run_import(NO_PHOTO, "--status", "published")
    article = Article.objects.get()
    assert article.title == "Tuổi trẻ Bắc Kạn ra quân Tháng Thanh niên năm 2023"
    assert article.lead.startswith("Sáng 5/3, tại Quảng trường 19/8, Tỉnh đoàn Bắc Kạn")
    assert article.author_name == "Hoàng Anh"
    assert article.photos.count() == 0
    assert "0 photo captions" in out
    # The source text is kept exactly, quotes and symbols included.
    source = NO_PHOTO.read_text(encoding="utf-8").splitlines()
    assert paragraphs(article) == [source[i] for i in (9, 11, 13, 15)]
    assert (
        "phát huy tinh thần 'đâu cần thanh niên có, việc gì khó có thanh niên'.\""
        in (paragraphs(article)[2])
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "đạt &gt; 90% &amp; mỗi chi đoàn" in page
    assert "<figure" not in page


def test_date_is_read_day_first():
    run_import(NO_PHOTO)
    article = Article.objects.get()
    assert article.published_at == datetime.datetime(2023, 3, 5, tzinfo=LOCAL)
    assert shown_date(article) == "05/03/2023"


def test_article_with_three_photos_two_of_them_together():
    run_import(THREE_PHOTOS)
    article = Article.objects.get()
    assert article.title == (
        "Chiến dịch Thanh niên tình nguyện hè 2023: sôi nổi trên khắp các địa bàn"
    )
    assert article.author_name == "Minh Châu - Thu Hà"
    assert [(photo.caption, photo.position, photo.order) for photo in article.photos.all()] == [
        ("Đoàn viên thanh niên xã Hoàng Trĩ làm đường bê tông liên thôn", 1, 0),
        ("Đội hình Tiếp sức mùa thi tại điểm thi Trường THPT Pác Nặm", 3, 1),
        ("Thiếu nhi huyện Chợ Đồn thực hành kỹ năng phòng chống đuối nước", 3, 2),
    ]
    body = paragraphs(article)
    assert len(body) == 5
    assert body[2].startswith("Huyện đoàn Chợ Đồn tổ chức lớp học")
    assert body[3].startswith("Theo thống kê của Tỉnh đoàn")


def test_three_photos_stand_in_order_on_the_page(client):
    run_import(THREE_PHOTOS, "--status", "published")
    article = Article.objects.get()
    for photo in article.photos.all():
        photo.image = make_image()
        photo.save()
    page = client.get(article.get_absolute_url()).content.decode()
    positions = [
        page.index(text)
        for text in (
            "<p>Tại huyện Ba Bể",
            "xã Hoàng Trĩ làm đường bê tông liên thôn</figcaption>",
            "<p>Tại huyện Pác Nặm",
            "<p>Huyện đoàn Chợ Đồn",
            "Trường THPT Pác Nặm</figcaption>",
            "phòng chống đuối nước</figcaption>",
            "<p>Theo thống kê",
        )
    ]
    assert positions == sorted(positions)


def test_crlf_bom_and_no_break_spaces_are_normalised():
    run_import(CRLF_BOM_NBSP)
    article = Article.objects.get()
    assert article.title == "Hội nghị Ban Chấp hành Tỉnh đoàn lần thứ 8, khóa XV"
    assert article.published_at == datetime.datetime(2023, 12, 28, tzinfo=LOCAL)
    assert article.author_name == "Nông Thị Lan"
    assert article.lead.endswith("năm 2023, triển khai nhiệm vụ năm 2024.")
    assert [(photo.caption, photo.position) for photo in article.photos.all()] == [
        ("Các đại biểu biểu quyết thông qua Nghị quyết Hội nghị", 2)
    ]
    assert paragraphs(article) == [
        "Năm 2023, các cấp bộ Đoàn đã tổ chức nhiều hoạt động thiết thực; toàn tỉnh kết nạp "
        "được 2.150 đoàn viên mới, đạt 107,5% chỉ tiêu.",
        "Công tác hỗ trợ nâng cao chất lượng hoạt động tại 8 xã được triển khai đồng bộ, "
        "bước đầu mang lại hiệu quả rõ nét.",
        "Hội nghị đã thông qua Chương trình công tác Đoàn và phong trào thanh thiếu nhi năm "
        "2024 với chủ đề “Năm Thanh niên tình nguyện”.",
    ]
    for text in every_text(article):
        for invisible in ("\xa0", "\ufeff", "\u200b", "\r", "\t", "  "):
            assert invisible not in text
        for chrome in CHROME:
            assert chrome not in text


def test_a_subheading_line_is_kept_as_a_caption_at_its_place(client):
    """The export flattens subheadings and captions alike into short unpunctuated lines.

    The importer cannot tell them apart, so it keeps such a line as a caption
    without a file at its place: nothing is lost, the admin flags it, and the
    public page shows no empty figure until staff decide.
    """
    run_import(WITH_SUBHEADING, "--status", "published")
    article = Article.objects.get()
    (photo,) = article.photos.all()
    assert (photo.caption, photo.position, bool(photo.image)) == ("Những con số ấn tượng", 2, False)
    assert len(paragraphs(article)) == 4
    assert article.author_name == "Đức Minh"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<figure" not in page
    assert "Trong năm qua, Huyện đoàn Na Rì đã hỗ trợ 12 mô hình" in page


def test_several_files_in_one_run():
    out, err = run_import(REFERENCE_ARTICLE, NO_PHOTO, THREE_PHOTOS, CRLF_BOM_NBSP)
    assert Article.objects.count() == 4
    assert Photo.objects.count() == 2 + 0 + 3 + 1
    assert "Created 4, skipped 0 already imported, failed 0." in out
    assert err == ""


# Malformed files


MALFORMED = {
    "empty": ("", None, "holds no article"),
    "only-chrome": (
        "PublishingPortal - Block_BanTin_Toolbar\n\nTăng cỡ chữ Giảm cỡ chữ\n",
        None,
        "holds no article",
    ),
    "no-date": (
        "PublishingPortal - Block_BanTin_Toolbar\nTăng cỡ chữ Giảm cỡ chữ\n"
        "Tuổi trẻ Bắc Kạn ra quân\nSáng 5/3, Tỉnh đoàn ra quân.\n"
        "Hơn 500 đoàn viên tham gia.\nĐoàn viên trồng cây xanh.\nNgọc Tú\n",
        3,
        "expected the publication date as dd/mm/yyyy, found 'Tuổi trẻ Bắc Kạn ra quân'",
    ),
    "iso-date": (
        "2023-03-05\nTuổi trẻ Bắc Kạn ra quân\nSáng 5/3, Tỉnh đoàn ra quân.\nĐoạn một.\n",
        1,
        "dd/mm/yyyy",
    ),
    "invalid-date": (
        "PublishingPortal - Block_BanTin_Toolbar\n\n31/02/2023\nTiêu đề\nSapo.\nĐoạn một.\n",
        3,
        "31/02/2023 is not a valid date",
    ),
    "month-13": ("13/13/2023\nTiêu đề\nSapo.\nĐoạn một.\n", 1, "13/13/2023 is not a valid date"),
    "date-only": ("12/01/2023\n", 1, "ends before the title"),
    "title-only": ("12/01/2023\n\nTuổi trẻ Bắc Kạn ra quân\n", 3, "ends before the lead"),
    "no-body-paragraph": (
        "12/01/2023\nTuổi trẻ Bắc Kạn ra quân\nSáng 5/3, Tỉnh đoàn ra quân.\n"
        "Đoàn viên ra quân\nĐoàn viên trồng cây\nNgọc Tú\n",
        6,
        "no body paragraph",
    ),
    "title-too-long": (
        "12/01/2023\n" + "Tuổi trẻ Bắc Kạn " * 20 + "\nSapo.\nĐoạn một.\n",
        2,
        "longer than 300",
    ),
}


@pytest.fixture
def existing():
    """An article already imported, so that 'nothing written' is seen against real data."""
    run_import(REFERENCE_ARTICLE)
    return Article.objects.count(), Photo.objects.count()


@pytest.mark.parametrize(("text", "line", "reason"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, existing, text, line, reason
):
    path = write_export(tmp_path, "hong.txt", text)
    error, out, err = run_failing_import(path)
    location = f"{path}:{line}:" if line else f"{path}:"
    assert location in err
    assert reason in err
    assert "failed 1" in error
    assert (Article.objects.count(), Photo.objects.count()) == existing


def test_a_short_file_without_date_is_reported_as_missing_its_date(tmp_path):
    text = "Tuổi trẻ Bắc Kạn ra quân\nSáng 5/3, Tỉnh đoàn ra quân.\nHơn 500 đoàn viên tham gia.\n"
    path = write_export(tmp_path, "khong-ngay.txt", text)
    _, _, err = run_failing_import(path)
    assert f"{path}:1: expected the publication date as dd/mm/yyyy" in err


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path, existing):
    # An old 8-bit Vietnamese encoding: the title's bytes are not UTF-8.
    content = b"PublishingPortal - Block_BanTin_Toolbar\n\n12/01/2023\nT\xf4ng k\xe9t\nSapo.\n"
    path = write_export(tmp_path, "cu.txt", content)
    _, _, err = run_failing_import(path)
    assert f"{path}:4: the file is not UTF-8 text" in err
    assert (Article.objects.count(), Photo.objects.count()) == existing


def test_line_numbers_count_crlf_lines_once(tmp_path):
    text = (
        "\ufeffPublishingPortal - Block_BanTin_Toolbar\r\n\r\n31/02/2023\r\n"
        "Tiêu đề\r\nSapo.\r\nĐoạn một.\r\n"
    )
    path = write_export(tmp_path, "crlf.txt", text)
    _, _, err = run_failing_import(path)
    assert f"{path}:3: 31/02/2023 is not a valid date" in err


def test_a_missing_file_is_reported(tmp_path, existing):
    path = tmp_path / "khong-co.txt"
    _, _, err = run_failing_import(path)
    assert str(path) in err
    assert (Article.objects.count(), Photo.objects.count()) == existing


@pytest.mark.parametrize("bad_first", [True, False], ids=["bad-first", "good-first"])
def test_a_good_file_is_imported_when_a_bad_one_fails_beside_it(tmp_path, bad_first):
    bad = write_export(tmp_path, "hong.txt", "12/01/2023\nChỉ có tiêu đề\n")
    files = [bad, THREE_PHOTOS] if bad_first else [THREE_PHOTOS, bad]
    error, out, err = run_failing_import(*files)
    assert "Created 1, skipped 0 already imported, failed 1." in error
    assert f"Created from {THREE_PHOTOS}" in out
    assert str(bad) in err
    assert str(THREE_PHOTOS) not in err
    article = Article.objects.get()
    assert article.title.startswith("Chiến dịch Thanh niên tình nguyện hè 2023")
    assert article.photos.count() == 3


def test_a_database_failure_leaves_no_half_written_article(monkeypatch, existing):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Photo.objects, "bulk_create", fail)
    with pytest.raises(DatabaseError):
        run_import(THREE_PHOTOS)
    assert (Article.objects.count(), Photo.objects.count()) == existing
    assert not Article.objects.filter(title__startswith="Chiến dịch").exists()


# Idempotency


def test_importing_the_same_file_again_changes_nothing():
    run_import(REFERENCE_ARTICLE, "--status", "published")
    first = Article.objects.get()
    with_times = (first.updated_at, first.created_at, first.slug, first.photos.count())
    out, err = run_import(REFERENCE_ARTICLE, "--status", "published")
    assert f"Skipped {REFERENCE_ARTICLE}: already imported" in out
    assert "Created 0, skipped 1 already imported, failed 0." in out
    again = Article.objects.get()
    assert (again.updated_at, again.created_at, again.slug, again.photos.count()) == with_times
    assert Photo.objects.count() == 2


def test_reimporting_keeps_what_staff_changed_since(tmp_path):
    run_import(REFERENCE_ARTICLE)
    article = Article.objects.get()
    article.lead = "Sapo do biên tập viên sửa lại."
    article.save()
    photo = article.photos.first()
    photo.image = make_image()
    photo.save()
    # The same export saved under another name is still the same article.
    copy = write_export(tmp_path, "ban-sao.txt", REFERENCE_ARTICLE.read_bytes())
    run_import(copy, REFERENCE_ARTICLE)
    article.refresh_from_db()
    assert Article.objects.count() == 1
    assert article.lead == "Sapo do biên tập viên sửa lại."
    assert article.photos.count() == 2
    assert article.photos.first().image


def test_two_articles_with_the_same_title_on_different_days_are_both_imported(tmp_path):
    text = NO_PHOTO.read_text(encoding="utf-8").replace("05/03/2023", "05/03/2024")
    next_year = write_export(tmp_path, "nam-sau.txt", text)
    run_import(NO_PHOTO, next_year)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == [
        "tuoi-tre-bac-kan-ra-quan-thang-thanh-nien-nam-2023",
        "tuoi-tre-bac-kan-ra-quan-thang-thanh-nien-nam-2023-2",
    ]


# Options


def test_dry_run_writes_nothing_and_tells_what_would_be_created():
    out, err = run_import(REFERENCE_ARTICLE, THREE_PHOTOS, "--dry-run")
    assert Article.objects.count() == 0
    assert Photo.objects.count() == 0
    assert f"Would create from {REFERENCE_ARTICLE}: {REFERENCE_TITLE} (12/01/2023" in out
    assert "8 paragraphs, 2 photo captions, byline 'Ngọc Tú'" in out
    assert "photo after paragraph 0 (line 10): Bí thư Tỉnh đoàn Triệu Tiến Trình chủ trì" in out
    assert "photo after paragraph 5 (line 22): Đại biểu nêu ý kiến thảo luận tại Hội nghị" in out
    assert "(20/07/2023, 5 paragraphs, 3 photo captions" in out
    assert "Would create 2, skipped 0 already imported, failed 0." in out
    assert err == ""


def test_dry_run_reports_bad_files_with_a_non_zero_exit(tmp_path):
    bad = write_export(tmp_path, "hong.txt", "31/02/2023\nTiêu đề\nSapo.\nĐoạn một.\n")
    error, out, err = run_failing_import(NO_PHOTO, bad, "--dry-run")
    assert f"{bad}:1:" in err
    assert "Would create 1, skipped 0 already imported, failed 1." in error
    assert Article.objects.count() == 0


def test_dry_run_counts_an_article_given_twice_once(tmp_path):
    copy = write_export(tmp_path, "ban-sao.txt", NO_PHOTO.read_bytes())
    out, _ = run_import(NO_PHOTO, copy, "--dry-run")
    real_out, _ = run_import(NO_PHOTO, copy)
    assert "Created 1, skipped 1 already imported, failed 0." in real_out
    assert "Would create 1, skipped 1 already imported, failed 0." in out


def test_dry_run_says_what_is_already_imported():
    run_import(NO_PHOTO)
    out, _ = run_import(NO_PHOTO, "--dry-run")
    assert f"Skipped {NO_PHOTO}: already imported" in out
    assert Article.objects.count() == 1


def test_status_published_puts_the_article_on_the_public_site(client):
    run_import(NO_PHOTO, "--status", "published")
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert Article.objects.published().get() == article
    assert client.get(article.get_absolute_url()).status_code == 200
    # Published through the workflow, as a step of the system, at the old portal's date.
    step = article.transitions.get()
    assert (step.action, step.user, step.to_status) == ("publish", None, "published")
    assert shown_date(article) == "05/03/2023"


def test_status_draft_keeps_the_article_off_the_public_site(client):
    run_import(NO_PHOTO, "--status", "draft")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    # The date from the export is kept for when it is published.
    assert shown_date(article) == "05/03/2023"
    assert client.get(article.get_absolute_url()).status_code == 404


def test_an_unknown_status_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'archived'"):
        run_import(NO_PHOTO, "--status", "archived")
    assert Article.objects.count() == 0


def test_category_option_files_the_articles():
    category = make_category(name="Công tác Đoàn")
    run_import(NO_PHOTO, THREE_PHOTOS, "--category", "cong-tac-doan")
    assert set(Article.objects.values_list("category", flat=True)) == {category.pk}


def test_an_unknown_category_is_refused_before_anything_is_written():
    make_category(name="Công tác Đoàn")
    with pytest.raises(CommandError, match="No category with slug 'tin-the-thao'"):
        run_import(NO_PHOTO, "--category", "tin-the-thao")
    assert Article.objects.count() == 0


def test_no_file_given_is_an_error():
    with pytest.raises(CommandError, match="FILE"):
        call_command("import_legacy", stdout=StringIO(), stderr=StringIO())


def test_an_imported_article_has_its_first_revision_with_the_captions():
    from reversion.models import Version

    call_command("import_legacy", str(REFERENCE_ARTICLE), stdout=StringIO())
    article = Article.objects.get()
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions.get().revision
    assert "Imported from the old portal" in revision.comment
    captions = [
        version.field_dict["caption"]
        for version in revision.version_set.all()
        if version.content_type.model == "photo"
    ]
    assert sorted(captions) == sorted(photo.caption for photo in article.photos.all())
    assert len(captions) == 2


def test_the_history_of_an_imported_article_names_the_system(admin_client):
    run_import(NO_PHOTO, "--status", "published")
    article = Article.objects.get()
    page = admin_client.get(f"/admin/news/article/{article.pk}/revisions/").content.decode()
    assert page.count("(hệ thống hoặc tài khoản đã xoá)") == 2  # the revision and the step
