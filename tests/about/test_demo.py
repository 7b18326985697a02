"""The demo loads the union's identities (Tỉnh đoàn Bắc Kạn, then Tỉnh đoàn Thái Nguyên from the
merger), placeholder introduction pages and directory."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from about.models import Department, IntroPage, Officer, PortalIdentity
from news.models import Article

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo_loaded")
class TestTheDemo:
    """The demo's union, loaded once (each test's writes are rolled back)."""

    def test_demo_loads_the_union_before_and_after_the_merger(self, client):
        before, after = PortalIdentity.objects.all()
        assert (before.short_name, before.valid_from) == ("Tỉnh đoàn Bắc Kạn", None)
        assert before.full_name == "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn"
        assert (after.short_name, after.valid_from) == (
            "Tỉnh đoàn Thái Nguyên",
            datetime.date(2025, 7, 1),
        )
        assert after.formed_by_merger
        for identity in [before, after]:
            assert identity.parent_organisation == "Đoàn TNCS Hồ Chí Minh"
            # What is not known for sure is marked as demo data.
            for placeholder in [identity.address, identity.content_responsible, identity.licence]:
                assert "Dữ liệu mẫu" in placeholder
            assert "số mẫu" in identity.phone
            assert identity.email.endswith(".example")
        with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
            page = client.get("/").content.decode()
        assert "<title>Tỉnh đoàn Thái Nguyên</title>" in page
        # The reference article of January 2023 was the Bắc Kạn union's.
        with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
            article = client.get(Article.objects.get().get_absolute_url()).content.decode()
        assert "Bài viết do Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn đăng." in article
        intro = client.get("/gioi-thieu/gioi-thieu-chung/").content.decode()
        assert "27–28/11/2025" in intro

    def test_demo_loads_marked_introduction_pages_and_a_directory(self, client):
        pages = IntroPage.objects.order_by("order")
        assert [page.title for page in pages] == [
            "Giới thiệu chung",
            "Chức năng, nhiệm vụ",
            "Cơ cấu tổ chức",
        ]
        assert all("(Nội dung mẫu)" in page.body for page in pages)
        assert all("(Demo content)" in page.body_en for page in pages)
        assert Department.objects.filter(is_leadership=True).get().name == "Ban Thường vụ Tỉnh đoàn"
        assert {"Văn phòng", "Ban Tổ chức - Kiểm tra", "Ban Tuyên giáo", "Ban Phong trào"} <= set(
            Department.objects.values_list("name", flat=True)
        )
        assert all("dữ liệu mẫu" in officer.name for officer in Officer.objects.all())
        chart = client.get("/gioi-thieu/co-cau-to-chuc/").content.decode()
        assert "Ban Thường vụ Tỉnh đoàn" in chart and "Bí thư Tỉnh đoàn" in chart

    def test_demo_again_neither_duplicates_nor_overwrites_what_leaders_changed(self, capsys):
        PortalIdentity.objects.filter(valid_from=None).update(short_name="Tỉnh đoàn (đã sửa)")
        counts = (IntroPage.objects.count(), Department.objects.count(), Officer.objects.count())
        call_command("load_demo")
        capsys.readouterr()
        assert [identity.short_name for identity in PortalIdentity.objects.all()] == [
            "Tỉnh đoàn (đã sửa)",
            "Tỉnh đoàn Thái Nguyên",
        ]
        assert (IntroPage.objects.count(), Department.objects.count(), Officer.objects.count()) == (
            counts
        )
