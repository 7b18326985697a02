"""Staff are named in Vietnamese order, family name first, wherever the admin names them."""

import re
from pathlib import Path

import pytest
import reversion
from django.contrib.auth import get_user_model

from core import workflow
from core.names import split_name, staff_name
from news.models import Article
from tests.factories import (
    admin_url,
    change_data,
    logged_in,
    make_article,
    make_image,
    make_user,
)

BASE_DIR = Path(__file__).resolve().parents[2]
PROJECT = ["core", "news", "documents", "photos", "about", "questions", "communes", "stats"]
PROJECT += ["api", "portal", "templates"]


def test_a_name_is_family_name_first_or_the_username():
    user = get_user_model()(username="ductv", first_name="Văn Đức", last_name="Trần")
    assert staff_name(user) == "Trần Văn Đức"
    user.first_name, user.last_name = "", ""
    assert staff_name(user) == "ductv"
    assert staff_name(None, nobody="—") == "—"
    assert split_name("  Trần  Văn Đức ") == ("Trần", "Văn Đức")
    assert split_name("Đức") == ("", "Đức")


def test_no_page_names_staff_another_way():
    """Django's get_full_name() is the Western order: only core.names may decide."""
    others = []
    for folder in PROJECT:
        for path in (BASE_DIR / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and path.name != "names.py":
                text = path.read_text(encoding="utf-8")
                if re.search(r"get_full_name|get_short_name", text):
                    others.append(str(path.relative_to(BASE_DIR)))
    assert others == []


@pytest.mark.django_db
def test_every_admin_page_that_names_staff_puts_the_family_name_first(client):
    editor = make_user("editor", username="ductv", first_name="Văn Đức", last_name="Trần")
    make_image(uploaded_by=editor)
    article = make_article(title="Bài về hội nghị", status=Article.Status.REVIEW, created_by=editor)
    with reversion.create_revision():
        reversion.set_user(editor)
        article.save()
    workflow.perform(article, workflow.Action.RETURN, editor, comment="Thêm ảnh.")
    leader_user = make_user("publisher", first_name="Thị Hoa", last_name="Nguyễn")
    leader = logged_in(client, leader_user)
    pages = {
        "return banner, timeline, who changed": admin_url("change", article.pk),
        "list column": admin_url("changelist"),
        "revisions": admin_url("revisions", article.pk),
        "photo library": "/admin/photos/image/",
    }
    for place, url in pages.items():
        page = client.get(url).content.decode()
        assert "Trần Văn Đức" in page, place
        assert "Văn Đức Trần" not in page and ">ductv<" not in page, place

    # Someone saved the article after the leader opened it: the message names them.
    opened = change_data(article)
    article.refresh_from_db()
    article.updated_by = editor
    article.save()
    page = leader.post(admin_url("change", article.pk), opened).content.decode()
    assert "Trần Văn Đức đã lưu" in page

    workflow.perform(article, workflow.Action.TRASH, leader_user)
    page = client.get("/admin/news/trashedarticle/").content.decode()
    assert "Nguyễn Thị Hoa" in page
