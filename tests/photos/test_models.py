"""The library's images: names, credits, who sees what, search, and the placements using them."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from news.models import Article, Photo
from photos.models import Image, library_path, normalize_credit
from tests.factories import image_upload, make_article, make_image, make_photo, make_user

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 3, 20, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("Ảnh đẹp.jpg", r"photos/2026/11/anh-dep-[0-9a-f]{8}\.jpg"),
        ("Đại hội Đoàn.PNG", r"photos/2026/11/dai-hoi-doan-[0-9a-f]{8}\.png"),
        ("!!!.gif", r"photos/2026/11/anh-[0-9a-f]{8}\.gif"),
    ],
)
def test_stored_names_are_ascii_in_a_dated_folder(uploaded, stored):
    # 20:00 UTC on 3 November is 4 November in Vietnam: the folder follows local time.
    assert re.fullmatch(stored, library_path(None, uploaded))


def test_two_uploads_of_one_name_never_collide():
    first, second = make_image(image_upload("anh.png")), make_image(image_upload("anh.png"))
    assert first.file.name != second.file.name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ảnh: Huyện đoàn Ba Bể", "Huyện đoàn Ba Bể"),
        ("Ảnh : Huyện đoàn Ba Bể", "Huyện đoàn Ba Bể"),
        ("ảnh:Ngọc Tú", "Ngọc Tú"),
        ("Nguồn ảnh: Tỉnh đoàn Bắc Kạn", "Tỉnh đoàn Bắc Kạn"),
        ("Nguồn: Báo Bắc Kạn", "Báo Bắc Kạn"),
        ("(Ảnh: Ảnh: Ngọc Tú)", "Ngọc Tú"),
        ("Ảnh - Thanh Hà", "Thanh Hà"),
        ("Anh: Ngoc Tu", "Ngoc Tu"),
        ("Ảnh tư liệu", "Ảnh tư liệu"),
        ("Ngọc Tú", "Ngọc Tú"),
        ("  Ngọc   Tú ", "Ngọc Tú"),
        ("", ""),
    ],
)
def test_the_credit_loses_the_prefix_pages_print_themselves(typed, stored):
    assert normalize_credit(typed) == stored


def test_credits_are_normalised_wherever_they_are_saved():
    image = make_image(credit="Ảnh: Huyện đoàn Ba Bể")
    image.refresh_from_db()
    assert image.credit == "Huyện đoàn Ba Bể"
    image.credit = "Nguồn ảnh: Ngọc Tú"
    image.save()
    image.refresh_from_db()
    assert image.credit == "Ngọc Tú"


def test_a_placement_shows_its_own_caption_and_the_image_s_alt_text_and_credit():
    image = make_image(caption="Lễ ra quân", alt_text="Đoàn viên xếp hàng", credit="Tú")
    photo = make_photo(make_article(), image=image, caption="Ra quân tại Ba Bể")
    assert (photo.shown_caption, photo.alt, photo.credit) == (
        "Ra quân tại Ba Bể",
        "Đoàn viên xếp hàng",
        "Tú",
    )
    assert Image.objects.get().caption == "Lễ ra quân"  # the library keeps its own


def test_a_placement_without_a_caption_shows_the_library_s_as_it_is_now():
    image = make_image(caption="Lễ ra quân")
    photo = make_photo(make_article(), image=image, caption="")
    assert Photo.objects.get().caption == ""  # nothing copied on save
    image.caption = "Lễ ra quân tình nguyện hè"
    image.save()
    photo = Photo.objects.select_related("image").get()
    assert (photo.shown_caption, photo.alt) == ("Lễ ra quân tình nguyện hè",) * 2


def test_a_placement_never_writes_into_the_library_by_saving():
    image = make_image()
    before = Image.objects.values().get()
    photo = make_photo(make_article(), image=image, caption="Hội nghị")
    photo.caption = "Hội nghị tổng kết"
    photo.save()
    assert Image.objects.values().get() == before
    # Its alt text and credit are the image's: a placement has none of its own to set.
    with pytest.raises(AttributeError):
        photo.credit = "Ngọc Tú"


def test_a_photo_needs_a_caption_from_itself_or_the_library():
    photo = Photo(article=make_article(), image=make_image())
    with pytest.raises(ValidationError) as refused:
        photo.full_clean()
    assert "caption" in refused.value.message_dict


def test_an_image_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    photo = make_photo(make_article())
    with pytest.raises(ProtectedError):
        photo.image.delete()


def test_visibility_follows_the_role_and_what_readers_see():
    contributor, other = make_user("contributor"), make_user("contributor", username="khac")
    own = make_image(uploaded_by=contributor)
    shown = make_image(uploaded_by=other)
    make_photo(make_article(), image=shown)
    drafted = make_image(uploaded_by=other)
    make_photo(make_article(status=Article.Status.DRAFT), image=drafted)
    expired = make_image(uploaded_by=other)
    make_photo(
        make_article(
            expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            published_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC),
        ),
        image=expired,
    )
    assert set(Image.objects.visible_to(contributor)) == {own, shown}
    assert set(Image.objects.visible_to(make_user("editor"))) == {own, shown, drafted, expired}


def test_search_ignores_accents_case_and_word_order():
    wanted = make_image(caption="Đoàn viên ra quân", credit="Huyện đoàn Ba Bể")
    make_image(caption="Hội nghị")
    assert list(Image.objects.search("BA BE doan")) == [wanted]
    assert list(Image.objects.search("hội nghị ba bể")) == []
