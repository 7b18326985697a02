"""load_demo: placeholder photos as library images, made once; this week's demo calendar."""

import pytest
from django.core.management import call_command

from news.models import Photo
from photos.models import Image
from schedule.models import Week, today, week_start

pytestmark = pytest.mark.django_db


def test_placeholder_photos_go_into_the_library_once(capsys):
    call_command("load_demo")
    call_command("load_demo")
    capsys.readouterr()
    photos = list(Photo.objects.select_related("image"))
    assert len(photos) == 2
    assert Image.objects.count() == len(photos)
    for photo in photos:
        image = photo.image
        assert image.caption == photo.caption
        assert image.credit == photo.credit == "dữ liệu mẫu, ảnh minh hoạ tạo tự động"
        assert image.file.name.isascii()
        assert [rendition["width"] for rendition in image.renditions] == [480, 800, 1200]


def test_the_demo_publishes_this_weeks_calendar_marked_as_demo(client, capsys):
    call_command("load_demo")
    call_command("load_demo")
    capsys.readouterr()
    week = Week.objects.get()
    assert week.monday == week_start(today())
    assert week.is_published
    states = sorted(week.entries.values_list("state", flat=True))
    assert states == ["cancelled", "changed", "planned", "planned", "planned", "planned"]
    page = client.get("/lich-cong-tac/").content.decode()
    assert "Dữ liệu mẫu (demo)" in page
    assert "Lùi giờ theo đề nghị của Huyện đoàn Ba Bể." in page
    assert "Hoãn do trùng lịch họp của tỉnh" in page
    assert 'aria-current="date"' in page
