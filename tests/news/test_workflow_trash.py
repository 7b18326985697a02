import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from core import workflow
from news.models import Article, Photo
from photos.models import Image
from tests.factories import admin_url, change_data, logged_in, make_article, make_photo, make_user

Status = Article.Status
DAY = datetime.timedelta(days=1)
START = datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def publisher(db):
    return make_user("publisher")


def restore(client, article, **kwargs):
    """Choose the article in the trash and run "Restore the selected articles"."""
    return client.post(
        admin_url("changelist", model="trashedarticle"),
        {"action": "restore_selected", "_selected_action": [article.pk], "post": "yes"},
        **kwargs,
    )


def trash_through_the_admin(client, article):
    response = client.post(admin_url("delete", article.pk), {"post": "yes"})
    assert response.status_code == 302


def test_deleting_moves_to_the_trash_and_restoring_brings_back(client, publisher):
    article = make_article(title="Tin lỡ xoá")
    make_photo(article)
    client = logged_in(client, publisher)

    with time_machine.travel(START, tick=False):
        trash_through_the_admin(client, article)

    assert client.get(article.get_absolute_url()).status_code == 404
    listing = client.get(admin_url("changelist"))
    assert list(listing.context["cl"].result_list) == []
    assert "đã được chuyển vào thùng rác" in listing.content.decode()
    trash = client.get(admin_url("changelist", model="trashedarticle")).content.decode()
    assert "Tin lỡ xoá" in trash
    assert "15:00 31/03/2025" in trash  # deleted for good after 30 days (local time)
    assert Photo.objects.filter(article=article).count() == 1

    with time_machine.travel(START + 29 * DAY, tick=False):
        response = restore(client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.deleted_at is None
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_trash_lists_each_article_with_its_state_and_people_and_links_to_it(client, publisher):
    author = make_user("contributor", first_name="Văn Đức", last_name="Trần")
    article = make_article(title="Tin đã đăng", created_by=author)
    workflow.perform(article, "trash", publisher)
    client = logged_in(client, publisher)

    trash = client.get(admin_url("changelist", model="trashedarticle")).content.decode()

    row = trash[trash.index("<tbody>") : trash.index("</tbody>")]
    link = admin_url("change", article.pk, model="trashedarticle")
    assert f'<a href="{link}">Tin đã đăng</a>' in row
    assert "Đã xuất bản" in row  # where restoring puts it back
    assert "Trần Văn Đức" in row
    page = client.get(link).content.decode()
    assert "Tin đã đăng" in page
    assert "<p>Đoạn thứ nhất.</p>" in page  # the body as readers saw it


def test_restoring_asks_first_and_may_keep_a_published_article_off_the_site(client, publisher):
    live = make_article(title="Tin đã đăng")
    draft = make_article(title="Bản nháp cũ", status=Status.DRAFT)
    for article in (live, draft):
        workflow.perform(article, "trash", publisher)
    client = logged_in(client, publisher)
    chosen = {"action": "restore_selected", "_selected_action": [live.pk, draft.pk]}

    asked = client.post(admin_url("changelist", model="trashedarticle"), chosen)

    page = " ".join(asked.content.decode().split())
    assert "Tin đã đăng</strong> — Đã xuất bản: <strong>lên trang ngay" in page
    assert "Bản nháp cũ</strong> — Bản nháp</li>" in page
    assert "Khôi phục nhưng gỡ khỏi trang" in page
    assert Article.all_objects.trashed().count() == 2  # nothing restored by asking

    client.post(
        admin_url("changelist", model="trashedarticle"), {**chosen, "post": "yes", "offline": "yes"}
    )
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.stage, draft.stage) == (workflow.Stage.ARCHIVED, workflow.Stage.DRAFT)
    assert client.get(live.get_absolute_url()).status_code == 404


def trash_selected(client, articles):
    return client.post(
        admin_url("changelist"),
        {"action": "trash_selected", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_the_bulk_action_moves_to_the_trash(client, publisher):
    articles = [make_article(title=f"Tin {n}") for n in range(3)]
    response = trash_selected(logged_in(client, publisher), articles)
    assert "Chuyển vào thùng rác: 3 bài viết." in response.content.decode()
    assert Article.all_objects.trashed().count() == 3
    assert not Article.objects.exists()


def test_the_bulk_actions_offer_no_delete_for_good(client, publisher):
    make_article()
    page = logged_in(client, publisher).get(admin_url("changelist")).content.decode()
    assert 'value="trash_selected"' in page
    assert 'value="delete_selected"' not in page


@pytest.mark.parametrize(
    ("role", "own"), [("editor", False), ("contributor", True)], ids=["editor", "contributor"]
)
def test_the_bulk_action_is_no_back_door_past_the_workflow(client, db, role, own):
    user = make_user(role)
    author = user if own else make_user("contributor", username="tacgia")
    published = make_article(title="Bài đang đăng", created_by=author)
    draft = make_article(title="Bài nháp", status=Status.DRAFT, created_by=author)

    response = trash_selected(logged_in(client, user), [published, draft])

    content = response.content.decode()
    assert "“Bài đang đăng” được giữ nguyên" in content
    assert client.get(published.get_absolute_url()).status_code == 200
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.deleted_at is None
    # What the role may trash still goes: the action judges article by article.
    assert draft.deleted_at is not None


def test_only_publishers_restore_and_only_for_thirty_days(client, publisher, db):
    contributor = make_user("contributor")
    article = make_article(title="Nháp", status=Status.DRAFT, created_by=contributor)
    with time_machine.travel(START, tick=False):
        trash_through_the_admin(logged_in(client, contributor), article)
        restore(client, article)
        article.refresh_from_db()
        assert article.deleted_at is not None

    client = logged_in(client, publisher)
    with time_machine.travel(START + 30 * DAY + datetime.timedelta(seconds=1), tick=False):
        response = restore(client, article, follow=True)
    assert "bài viết này đã nằm trong thùng rác quá lâu" in response.content.decode()
    article.refresh_from_db()
    assert article.deleted_at is not None


def test_a_contributor_cannot_trash_a_published_article(client, db):
    contributor = make_user("contributor")
    article = make_article(title="Đã đăng", created_by=contributor)
    response = logged_in(client, contributor).post(admin_url("delete", article.pk), {"post": "yes"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.deleted_at is None


def test_purge_trash_deletes_only_what_is_older_than_thirty_days(publisher):
    old = make_article(title="Xoá lâu rồi")
    make_photo(old)
    recent = make_article(title="Mới xoá")
    with time_machine.travel(START, tick=False):
        workflow.perform(old, "trash", publisher)
    with time_machine.travel(START + 20 * DAY, tick=False):
        workflow.perform(recent, "trash", publisher)

    with time_machine.travel(START + 31 * DAY, tick=False):
        dry = io.StringIO()
        call_command("purge_trash", "--dry-run", stdout=dry)
        assert Article.all_objects.count() == 2
        assert "Would delete: Xoá lâu rồi" in dry.getvalue()

        out = io.StringIO()
        call_command("purge_trash", stdout=out)
        call_command("purge_trash", stdout=out)

    assert list(Article.all_objects.values_list("title", flat=True)) == ["Mới xoá"]
    assert not Photo.objects.filter(article_id=old.pk).exists()
    lines = out.getvalue().splitlines()
    assert "1 article(s) deleted." in lines
    assert lines[-1] == "0 article(s) deleted."


def test_a_new_article_may_reuse_nothing_from_a_trashed_ones_address(publisher):
    trashed = make_article(title="Hội nghị tổng kết")
    workflow.perform(trashed, "trash", publisher)
    again = make_article(title="Hội nghị tổng kết")
    assert again.slug == "hoi-nghi-tong-ket-2"


@pytest.mark.django_db(transaction=True)
def test_purge_trash_removes_history_and_leaves_the_images_in_the_library(publisher):
    import reversion
    from reversion.models import Version

    article = make_article(title="Xoá cả ảnh")
    photo = make_photo(article)
    image = photo.image
    with reversion.create_revision():
        article.save()
    with time_machine.travel(START, tick=False):
        workflow.perform(article, "trash", publisher)
    out = io.StringIO()
    with time_machine.travel(START + 31 * DAY, tick=False):
        call_command("purge_trash", stdout=out)
    assert not Version.objects.exists()
    assert not Photo.objects.exists()
    # The image may serve another article: it stays, files and all, until an editor deletes it.
    assert Image.objects.get() == image
    for name in image.stored_names():
        assert image.file.storage.exists(name)
    assert "1 library image(s) are no longer placed in any article" in out.getvalue()


def test_the_delete_page_says_the_article_goes_to_the_trash(client, publisher):
    article = make_article(title="Tin sắp xoá")
    client = logged_in(client, publisher)
    change = client.get(admin_url("change", article.pk)).content.decode()
    assert 'class="deletelink">Chuyển vào thùng rác</a>' in change
    page = client.get(admin_url("delete", article.pk)).content.decode()
    assert "Chuyển “Tin sắp xoá” vào thùng rác?" in page
    assert "khôi phục được trong 30 ngày" in page
    assert "sẽ bị xoá" not in page.lower()


def test_a_refused_save_says_so_in_vietnamese(client, publisher):
    article = make_article(title="Tin")
    response = logged_in(client, publisher).post(
        admin_url("change", article.pk), change_data(article, title="", published_at="7h00")
    )
    content = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in content
    assert "Please correct" not in content
