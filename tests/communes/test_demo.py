import pytest
from django.core.management import call_command

from communes.models import Commune, CommuneSupport, District, SupportProgram

pytestmark = pytest.mark.django_db

# What each commune of 2022 is part of today, as Nghị quyết 1683/NQ-UBTVQH15 arranged it.
TODAY_2022 = {
    "Hoàng Trĩ": "xã Đồng Phúc",  # khoản 49
    "Nông Thượng": "phường Bắc Kạn",  # khoản 90
    "Vi Hương": "xã Phủ Thông",  # khoản 60
    "Ngọc Phái": "xã Chợ Đồn",  # khoản 57
    "Bình Văn": "xã Yên Bình",  # khoản 75
    "Kim Hỷ": "xã Văn Lang",  # khoản 65
    "Bằng Vân": "xã Bằng Vân",  # khoản 50
    "Hiệp Lực": "xã Hiệp Lực",  # khoản 53
    "Cổ Linh": "xã Cao Minh",  # khoản 44
}
REFERENCE_2022 = {
    "Vi Hương": ("Bạch Thông", District.Kind.RURAL_DISTRICT),
    "Hoàng Trĩ": ("Ba Bể", District.Kind.RURAL_DISTRICT),
    "Ngọc Phái": ("Chợ Đồn", District.Kind.RURAL_DISTRICT),
    "Bình Văn": ("Chợ Mới", District.Kind.RURAL_DISTRICT),
    "Kim Hỷ": ("Na Rì", District.Kind.RURAL_DISTRICT),
    "Cổ Linh": ("Pác Nặm", District.Kind.RURAL_DISTRICT),
    "Nông Thượng": ("Bắc Kạn", District.Kind.CITY),
    "Hiệp Lực": ("Ngân Sơn", District.Kind.RURAL_DISTRICT),
    "Bằng Vân": ("Ngân Sơn", District.Kind.RURAL_DISTRICT),
}


def supports_2022():
    return {
        support.commune.name: support
        for support in CommuneSupport.objects.filter(program__year=2022).select_related(
            "commune__district"
        )
    }


@pytest.mark.usefixtures("demo_loaded")
class TestTheDemo:
    """The demo's communes, loaded once (each test's writes are rolled back)."""

    def test_demo_has_the_nine_communes_of_2022_in_their_districts(self):
        supports = supports_2022()
        assert {
            name: (support.commune.district.name, support.commune.district.kind)
            for name, support in supports.items()
        } == REFERENCE_2022
        assert all(support.commune.kind == Commune.Kind.COMMUNE for support in supports.values())
        # Hiệp Lực and Bằng Vân share one district record.
        assert supports["Hiệp Lực"].commune.district == supports["Bằng Vân"].commune.district
        assert str(supports["Nông Thượng"].commune.district) == "thành phố Bắc Kạn"

    def test_demo_programs_follow_the_reference_article(self):
        program_2022 = SupportProgram.objects.get(year=2022)
        assert program_2022.start_month.strftime("%m/%Y") == "02/2022"
        assert program_2022.end_month.strftime("%m/%Y") == "12/2022"
        assert program_2022.reported_results == "5 xã hoàn thành xuất sắc nhiệm vụ"
        # The article does not name the five excellent communes: nothing is invented.
        assert set(program_2022.supports.values_list("rating", flat=True)) == {
            CommuneSupport.Rating.NOT_RATED
        }

        program_2023 = SupportProgram.objects.get(year=2023)
        assert program_2023.planned_count == 8
        assert program_2023.supports.count() == 0

    def test_demo_links_the_reference_article_to_the_2022_program_and_communes(self):
        program = SupportProgram.objects.get(year=2022)
        [article] = program.articles.all()
        assert article.slug.startswith("tong-ket-cong-tac-ho-tro")
        assert Commune.objects.filter(articles=article).count() == 9

    def test_load_demo_twice_changes_nothing(self, capsys):
        before = (
            District.objects.count(),
            Commune.objects.count(),
            CommuneSupport.objects.count(),
            SupportProgram.objects.count(),
        )
        call_command("load_demo")
        assert "supports: 0 created, 0 updated, 9 unchanged" in capsys.readouterr().out
        # Bắc Kạn's 108 former units and Thái Nguyên's 92 of the shipped arrangement.
        assert before == (8, 200, 9, 2)
        assert (
            District.objects.count(),
            Commune.objects.count(),
            CommuneSupport.objects.count(),
            SupportProgram.objects.count(),
        ) == before

    def test_the_2022_page_lists_the_nine_communes_in_their_districts_and_what_they_are_now(
        self, client
    ):
        response = client.get("/xa-ho-tro/2022/")
        page = response.content.decode()
        listed = {
            support.commune.name: support.commune.district.name
            for _, supports in response.context["district_groups"]
            for support in supports
        }
        assert listed == {name: district for name, (district, _) in REFERENCE_2022.items()}
        for name, today in TODAY_2022.items():
            assert (
                f'{name}</a> <span class="now-is">(nay là {today}, tỉnh Thái Nguyên)</span>' in page
            )
        assert "Thành phố Bắc Kạn" in page and "Huyện Pác Nặm" in page

    def test_the_demo_lists_the_communes_by_today_s_units(self, client):
        response = client.get("/xa-ho-tro/danh-sach-xa/theo-don-vi-hien-nay/")
        assert {
            str(today): [commune.name for commune, _, _ in members]
            for today, members in response.context["groups"]
        } == {today: [name] for name, today in TODAY_2022.items()}
