"""Each language's last change, and the English version found older than the Vietnamese."""

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from about.admin import TranslatedAdmin
from about.i18n import Translated, twins
from tests.factories import make_department, make_intro_page

pytestmark = pytest.mark.django_db


def test_the_english_version_is_older_once_only_the_vietnamese_changes():
    with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
        page = make_intro_page(title_en="Introduction", body_en="<p>The union.</p>")
    assert not page.english_is_older()

    with time_machine.travel("2026-03-06 09:00 +07:00", tick=False):
        page.refresh_from_db()
        page.order = 3  # not a text: neither language changes
        page.save()
    assert not page.english_is_older()

    with time_machine.travel("2026-03-07 09:00 +07:00", tick=False):
        page.refresh_from_db()
        page.body = "<p>Tỉnh đoàn Thái Nguyên.</p>"
        page.save()
    page.refresh_from_db()
    assert page.english_is_older()
    assert page.english_changed_at.day == 5

    with time_machine.travel("2026-03-08 09:00 +07:00", tick=False):
        page.title_en = "About us"
        page.save(update_fields=["title_en"])
    page.refresh_from_db()
    assert not page.english_is_older()


def test_a_text_saved_as_it_was_stored_is_no_change():
    page = make_intro_page(title_en="Introduction", body="<p>Tỉnh đoàn</p><script>x</script>")
    stored = page.vietnamese_changed_at
    page.refresh_from_db()
    page.body = "<p>Tỉnh đoàn</p><script>x</script>"  # sanitised again to the same text
    page.save()
    assert page.vietnamese_changed_at == stored


def test_without_an_english_version_nothing_is_older():
    page = make_intro_page()
    page.body = "<p>Văn bản mới.</p>"
    page.save()
    assert page.english_changed_at is None
    assert not page.english_is_older()


def test_every_model_with_english_twins_and_a_page_of_its_own_tracks_them():
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, Translated) or (model._meta.app_label == "about" and twins(model)):
            assert issubclass(model, Translated), model
            assert isinstance(model_admin, TranslatedAdmin), model
            assert "english_older" in model_admin.list_display, model
    assert sum(issubclass(model, Translated) for model in apps.get_models()) >= 3


def test_editors_are_warned_on_the_form_and_in_the_list(admin_client):
    with time_machine.travel("2026-03-05 09:00 +07:00", tick=False):
        unit = make_department(name="Văn phòng", name_en="Office")
    with time_machine.travel("2026-04-02 09:00 +07:00", tick=False):
        unit.name = "Văn phòng Tỉnh đoàn"
        unit.save()
    fresh = make_department(name="Ban Tổ chức", name_en="Organisation Department")

    form = admin_client.get(reverse("admin:about_department_change", args=[unit.pk]))
    listing = admin_client.get(reverse("admin:about_department_changelist")).content.decode()
    other = admin_client.get(reverse("admin:about_department_change", args=[fresh.pk]))

    warning = "Bản tiếng Anh cũ hơn bản tiếng Việt (sửa lần cuối 05/03/2026)."
    assert warning in form.content.decode()
    assert "Bản tiếng Anh cũ hơn bản tiếng Việt" in listing
    assert listing.count("sửa lần cuối 05/03/2026") == 1
    assert "Bản tiếng Anh cũ hơn" not in other.content.decode()
