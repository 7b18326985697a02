"""The demo loads Tỉnh đoàn Bắc Kạn's identity, placeholder introduction pages and directory."""

import pytest
from django.core.management import call_command

from about.models import Department, IntroPage, Officer, PortalIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    capsys.readouterr()


def test_demo_loads_the_union_s_identity(demo, client):
    identity = PortalIdentity.objects.get()
    assert identity.short_name == "Tỉnh đoàn Bắc Kạn"
    assert identity.full_name == "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn"
    assert identity.parent_organisation == "Đoàn TNCS Hồ Chí Minh"
    # What is not known for sure is marked as demo data.
    for placeholder in [identity.address, identity.content_responsible, identity.licence]:
        assert "Dữ liệu mẫu" in placeholder
    assert "số mẫu" in identity.phone
    assert identity.email.endswith(".example")
    page = client.get("/").content.decode()
    assert "<title>Tỉnh đoàn Bắc Kạn</title>" in page


def test_demo_loads_marked_introduction_pages_and_a_directory(demo, client):
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


def test_demo_again_neither_duplicates_nor_overwrites_what_leaders_changed(demo, capsys):
    PortalIdentity.objects.filter(pk=1).update(short_name="Tỉnh đoàn Thái Nguyên")
    counts = (IntroPage.objects.count(), Department.objects.count(), Officer.objects.count())
    call_command("load_demo")
    capsys.readouterr()
    assert PortalIdentity.objects.get().short_name == "Tỉnh đoàn Thái Nguyên"
    assert (IntroPage.objects.count(), Department.objects.count(), Officer.objects.count()) == (
        counts
    )
