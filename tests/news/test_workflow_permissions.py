import pytest
from django.contrib.auth.models import Group

from news.models import Article, ArticleTransition, PendingDraft
from portal.roles import CONTRIBUTOR, EDITOR, PUBLISHER, ROLE_PERMISSIONS, sync_roles
from tests.factories import admin_url, change_data, logged_in, make_article, make_user, move

Status = Article.Status
ROLES = ["contributor", "editor", "publisher", "superuser"]
STATES = [Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED]
ACTIONS = ["submit", "approve", "return", "publish", "archive", "reopen"]

# Written out by hand, independently of core.workflow.TRANSITIONS: what each
# role may do to an article (written by the contributor) in each state.
PUBLISHER_MOVES = {
    ("submit", Status.DRAFT): Status.REVIEW,
    ("approve", Status.REVIEW): Status.REVIEW,
    ("return", Status.REVIEW): Status.DRAFT,
    ("publish", Status.DRAFT): Status.PUBLISHED,
    ("publish", Status.REVIEW): Status.PUBLISHED,
    ("archive", Status.PUBLISHED): Status.ARCHIVED,
    ("reopen", Status.ARCHIVED): Status.DRAFT,
    # A save of a live article is kept as its pending draft, which these move: the
    # article stays published (its step goes from and to the draft's status).
    ("submit", Status.PUBLISHED): Status.PUBLISHED,
    ("publish", Status.PUBLISHED): Status.PUBLISHED,
}
PENDING_STEPS = {
    ("submit", Status.PUBLISHED): (Status.DRAFT, Status.REVIEW),
    ("publish", Status.PUBLISHED): (Status.DRAFT, Status.PUBLISHED),
}
ALLOWED = {
    "contributor": {("submit", Status.DRAFT): Status.REVIEW},
    "editor": {
        ("submit", Status.DRAFT): Status.REVIEW,
        ("approve", Status.REVIEW): Status.REVIEW,
        ("return", Status.REVIEW): Status.DRAFT,
    },
    "publisher": PUBLISHER_MOVES,
    "superuser": PUBLISHER_MOVES,
}


def article_in(state, author):
    return make_article(status=state, created_by=author)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_through_the_admin(client, role, state, action):
    author = make_user("contributor", username="tacgia")
    actor = author if role == "contributor" else make_user(role)
    article = article_in(state, author)
    version = article.version

    response = move(logged_in(client, actor), article, action, workflow_comment="Cần sửa lại tít.")

    article.refresh_from_db()
    expected = ALLOWED[role].get((action, state))
    if expected is None:
        assert response.status_code == 403
        assert "Không được phép" in response.content.decode()
        assert article.status == state
        assert article.version == version
        assert not ArticleTransition.objects.exists()
    else:
        assert response.status_code == 302
        assert response["Location"] == admin_url("change", article.pk)
        assert article.status == expected
        step = ArticleTransition.objects.get()
        from_status, to_status = PENDING_STEPS.get((action, state), (state, expected))
        assert (step.user, step.action, step.from_status, step.to_status) == (
            actor,
            action,
            from_status,
            to_status,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_a_contributor_cannot_touch_someone_elses_article(client, action):
    other = make_user("contributor", username="nguoikhac")
    article = make_article(status=Status.DRAFT, created_by=other)
    response = move(
        logged_in(client, make_user("contributor")), article, action, workflow_comment="x"
    )
    # Refused, saying why; nothing changed.
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
def test_a_contributor_opening_someone_elses_article_is_told_why_inside_the_admin(client):
    article = make_article(status=Status.DRAFT, created_by=make_user("contributor", "nguoikhac"))
    client = logged_in(client, make_user("contributor"))

    response = client.get(admin_url("change", article.pk))

    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="site-name"' in page  # the admin's own frame
    assert "Bài viết này là của người khác: cộng tác viên chỉ mở được bài viết của mình." in page
    assert '<a class="button" href="/admin/">Về trang chủ quản trị</a>' in page
    assert "bị xoá" not in page and "bị xóa" not in page
    # An article that does not exist is still "not found", and readers' 403s are theirs.
    assert client.get(admin_url("change", article.pk + 1)).status_code == 302


@pytest.mark.django_db
def test_a_refusal_outside_the_admin_keeps_the_public_page(rf):
    from django.core.exceptions import PermissionDenied

    from core.views import permission_denied

    request = rf.get("/thong-ke/")
    request.user = make_user("contributor")
    page = permission_denied(request, PermissionDenied()).content.decode()
    assert 'id="site-name"' not in page
    assert "Về trang chủ</a>" in page


@pytest.mark.django_db
def test_an_unknown_action_is_refused_and_nothing_is_saved(client):
    article = make_article(title="Tít cũ", status=Status.DRAFT)
    response = move(
        logged_in(client, make_user("superuser")), article, "delete-everything", title="Tít mới"
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.DRAFT, "Tít cũ")
    assert not ArticleTransition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "state", "own", "can_change"),
    [
        ("contributor", Status.DRAFT, True, True),
        ("contributor", Status.REVIEW, True, False),
        ("contributor", Status.PUBLISHED, True, False),
        ("contributor", Status.ARCHIVED, True, False),
        ("editor", Status.DRAFT, False, True),
        ("editor", Status.REVIEW, False, True),
        ("editor", Status.PUBLISHED, False, False),
        ("editor", Status.ARCHIVED, False, False),
        ("publisher", Status.PUBLISHED, False, True),
        ("publisher", Status.ARCHIVED, False, True),
    ],
)
def test_who_may_change_an_articles_text(client, role, state, own, can_change):
    user = make_user(role)
    author = user if own else make_user("contributor", username="tacgia")
    article = make_article(title="Tít cũ", status=state, created_by=author)
    client = logged_in(client, user)

    page = client.get(admin_url("change", article.pk))
    response = client.post(admin_url("change", article.pk), change_data(article, title="Tít mới"))

    article.refresh_from_db()
    assert page.status_code == 200
    if can_change:
        assert response.status_code == 302
        if state == Status.PUBLISHED:
            # A live article's change waits as its pending draft (news.pending).
            assert article.title == "Tít cũ"
            assert PendingDraft.objects.get(article=article).fields["title"] == "Tít mới"
        else:
            assert article.title == "Tít mới"
    else:
        # Read-only page without a save button; a forged save is refused.
        assert 'name="_save"' not in page.content.decode()
        assert response.status_code == 403
        assert article.title == "Tít cũ"


@pytest.mark.django_db
def test_a_contributor_cannot_publish_by_forging_the_status_or_the_date(client):
    contributor = make_user("contributor")
    article = make_article(status=Status.DRAFT, created_by=contributor)
    data = change_data(
        article,
        status=Status.PUBLISHED,
        published_at="01/01/2024 07:00",
        featured="on",
    )
    response = logged_in(client, contributor).post(admin_url("change", article.pk), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.published_at is None
    assert not article.featured
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_contributors_list_only_their_own_articles(client):
    contributor = make_user("contributor")
    make_article(title="Bài của tôi", status=Status.DRAFT, created_by=contributor)
    make_article(title="Bài của người khác", status=Status.DRAFT)
    content = logged_in(client, contributor).get(admin_url("changelist")).content.decode()
    assert "Bài của tôi" in content
    assert "Bài của người khác" not in content


@pytest.mark.django_db
def test_a_contributor_adds_an_article_as_a_draft_of_their_own(client):
    contributor = make_user("contributor")
    response = logged_in(client, contributor).post(
        admin_url("add"),
        {
            "title": "Tuổi trẻ Bắc Kạn ra quân",
            "slug": "",
            "lead": "Sáng nay…",
            "body": "<p>Nội dung.</p>",
            "author_name": "Ngọc Tú",
            "category": "",
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "photos-MIN_NUM_FORMS": 0,
            "photos-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by, article.slug) == (
        Status.DRAFT,
        contributor,
        "tuoi-tre-bac-kan-ra-quan",
    )


@pytest.mark.django_db
def test_editors_find_what_waits_for_review(client):
    make_article(title="Bài chờ duyệt", status=Status.REVIEW)
    make_article(title="Bài nháp", status=Status.DRAFT)
    client = logged_in(client, make_user("editor"))
    content = client.get(admin_url("changelist") + "?stage=in_review").content.decode()
    assert "Bài chờ duyệt" in content
    assert "Bài nháp" not in content
    dashboard = client.get("/admin/").content.decode()
    assert "newsroom-queues" in dashboard
    assert admin_url("changelist") + "?stage=in_review" in dashboard


@pytest.mark.django_db
def test_roles_come_from_the_migration_and_sync_is_idempotent():
    groups = {group.name: group for group in Group.objects.all()}
    assert {CONTRIBUTOR, EDITOR, PUBLISHER} <= set(groups)
    contributor = groups[CONTRIBUTOR]
    contributor.permissions.clear()
    sync_roles()
    sync_roles()
    for name, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(codes)
    assert Group.objects.filter(name=CONTRIBUTOR).count() == 1
    assert "news.publish_article" not in ROLE_PERMISSIONS[CONTRIBUTOR]
