import pytest

from core.text import fold, slugify_vi
from news.models import Article
from tests.factories import make_article, make_category


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("công tác đoàn", "cong-tac-doan"),
        ("Đoàn", "doan"),
        ("đ", "d"),
        ("Công tác Đoàn", "cong-tac-doan"),
        ("CÔNG TÁC ĐOÀN", "cong-tac-doan"),
        ("Tỉnh đoàn Bắc Kạn", "tinh-doan-bac-kan"),
        ("Hội nghị tổng kết năm 2022", "hoi-nghi-tong-ket-nam-2022"),
        ("Xã Hiệp Lực, Bằng Vân (Ngân Sơn)", "xa-hiep-luc-bang-van-ngan-son"),
        ("Thanh niên   tình nguyện!", "thanh-nien-tinh-nguyen"),
        ("Huyện đoàn – Chợ Đồn", "huyen-doan-cho-don"),
        # A dash between numbers stays a hyphen rather than gluing them together.
        ("Đại hội nhiệm kỳ 2027–2032", "dai-hoi-nhiem-ky-2027-2032"),
        ("Giai đoạn 2025—2030", "giai-doan-2025-2030"),
        # Decomposed input (combining marks typed separately) folds the same way.
        ("Đoa\u0300n Ba\u0301c Ka\u0323n", "doan-bac-kan"),
    ],
)
def test_slugify_vi_folds_vietnamese_to_ascii(text, slug):
    assert slugify_vi(text) == slug


# Every vowel with every tone, lower and upper case, and the special letters.
VOWEL_FAMILIES = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}


@pytest.mark.parametrize("base", sorted(VOWEL_FAMILIES))
@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_slugify_vi_drops_every_tone_and_vowel_mark(base, case):
    letters = case(VOWEL_FAMILIES[base])
    assert slugify_vi(" ".join(letters)) == "-".join(base * len(letters))


@pytest.mark.parametrize(
    ("max_length", "slug"),
    [
        (100, "cong-tac-doan-va-phong-trao-thanh-thieu-nhi"),
        (20, "cong-tac-doan-va"),
        (14, "cong-tac-doan"),
        (12, "cong-tac"),
    ],
)
def test_slugify_vi_cuts_long_slugs_at_a_word_boundary(max_length, slug):
    result = slugify_vi("Công tác đoàn và phong trào thanh thiếu nhi", max_length=max_length)
    assert result == slug
    assert len(result) <= max_length
    assert not result.endswith("-")


def test_slugify_vi_keeps_the_last_word_when_it_ends_exactly_at_max_length():
    assert slugify_vi("công tác đoàn thanh niên", max_length=13) == "cong-tac-doan"


def test_slugify_vi_cuts_a_single_long_word_rather_than_returning_nothing():
    assert slugify_vi("Nghiêngnghiêngnghiêng", max_length=8) == "nghiengn"


@pytest.mark.django_db
def test_article_slug_is_made_from_the_vietnamese_title():
    article = make_article(title="Tổng kết công tác Đoàn năm 2022")
    assert article.slug == "tong-ket-cong-tac-doan-nam-2022"
    assert article.get_absolute_url() == "/tin-tuc/tong-ket-cong-tac-doan-nam-2022/"


@pytest.mark.django_db
def test_articles_with_the_same_title_get_numbered_slugs():
    slugs = [make_article(title="Công tác đoàn").slug for _ in range(3)]
    assert slugs == ["cong-tac-doan", "cong-tac-doan-2", "cong-tac-doan-3"]


@pytest.mark.django_db
def test_titles_differing_only_in_accents_get_distinct_slugs():
    first = make_article(title="Đoàn xã Bằng Vân")
    second = make_article(title="Doan xa Bang Van")
    assert (first.slug, second.slug) == ("doan-xa-bang-van", "doan-xa-bang-van-2")


@pytest.mark.django_db
def test_slug_stays_the_same_when_the_title_is_edited():
    article = make_article(title="Hội nghị tổng kết")
    article.title = "Hội nghị tổng kết công tác Đoàn năm 2022"
    article.save()
    article.refresh_from_db()
    assert article.slug == "hoi-nghi-tong-ket"


@pytest.mark.django_db
def test_a_given_slug_is_kept_as_typed():
    article = make_article(title="Công tác đoàn", slug="tin-rieng")
    assert article.slug == "tin-rieng"


@pytest.mark.django_db
def test_resaving_an_article_does_not_renumber_its_slug():
    make_article(title="Công tác đoàn")
    second = make_article(title="Công tác đoàn")
    second.slug = ""
    second.save()
    assert second.slug == "cong-tac-doan-2"


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["!!!", "…", "   "])
def test_title_without_letters_still_gets_a_usable_slug(title):
    article = make_article(title=title)
    assert article.slug == "bai-viet"
    assert article.get_absolute_url() == "/tin-tuc/bai-viet/"


@pytest.mark.django_db
def test_a_very_long_title_gives_a_slug_that_fits_even_when_numbered():
    title = ("Tỉnh đoàn Bắc Kạn tổ chức " + "hội nghị tổng kết công tác đoàn " * 8).strip()
    assert 200 < len(title) <= Article._meta.get_field("title").max_length
    first = make_article(title=title)
    second = make_article(title=title)
    max_length = Article._meta.get_field("slug").max_length
    assert len(first.slug) <= max_length
    assert second.slug == f"{first.slug}-2"
    assert len(second.slug) <= max_length
    assert first.slug.startswith("tinh-doan-bac-kan-to-chuc-hoi-nghi")


@pytest.mark.django_db
def test_categories_get_vietnamese_slugs_numbered_when_taken():
    first = make_category(name="Công tác Đoàn")
    second = make_category(name="Công tác đoàn")
    third = make_category(name="CÔNG TÁC ĐOÀN")
    assert [first.slug, second.slug, third.slug] == [
        "cong-tac-doan",
        "cong-tac-doan-2",
        "cong-tac-doan-3",
    ]
    assert first.get_absolute_url() == "/chuyen-muc/cong-tac-doan/"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Công tác ĐOÀN", "cong tac doan"),
        ("Đoàn", "doan"),
        ("  Bắc   Kạn\u00a0\t tỉnh ", "bac kan tinh"),
        ("Nông Thượng", "nong thuong"),
        ("ỲÝỶỸỴ", "yyyyy"),
    ],
)
def test_fold_ignores_accents_case_and_spacing(text, folded):
    assert fold(text) == folded


def test_fold_makes_accented_and_plain_spellings_match():
    assert fold("Hiệp Lực") == fold("hiep luc") == fold("HIỆP LỰC")
    assert fold("Bằng Vân") != fold("Bằng Văn Vân")
