import datetime

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from news.models import SHARE_SALT, Article, Stage
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

Status = Article.Status
NOW = datetime.datetime(2025, 3, 25, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def article_at(stage):
    """Return a new article standing at the stage at NOW, by its fields alone."""
    fields = {
        Stage.DRAFT: {"status": Status.DRAFT},
        Stage.RETURNED: {"status": Status.DRAFT, "returned_at": NOW - HOUR},
        Stage.IN_REVIEW: {"status": Status.REVIEW},
        Stage.APPROVED: {"status": Status.REVIEW, "approved_at": NOW - HOUR},
        Stage.SCHEDULED: {"status": Status.PUBLISHED, "published_at": NOW + HOUR},
        Stage.LIVE: {
            "status": Status.PUBLISHED,
            "published_at": NOW - HOUR,
            "expires_at": NOW + HOUR,
        },
        Stage.EXPIRED: {
            "status": Status.PUBLISHED,
            "published_at": NOW - 2 * HOUR,
            "expires_at": NOW,
        },
        Stage.ARCHIVED: {"status": Status.ARCHIVED, "published_at": NOW - HOUR},
        Stage.TRASHED: {"status": Status.PUBLISHED, "published_at": NOW - HOUR, "deleted_at": NOW},
    }[stage]
    return make_article(title=f"Bài {stage.value}", **fields)


@time_machine.travel(NOW, tick=False)
def test_the_stage_of_one_article_and_of_a_query_agree():
    articles = {stage: article_at(stage) for stage in Stage}
    for stage, article in articles.items():
        assert article.stage == stage
        found = set(Article.all_objects.at_stage(stage).values_list("pk", flat=True))
        assert found == {article.pk}, stage
    counts = Article.all_objects.stage_counts(*Stage)
    assert counts == dict.fromkeys(Stage, 1)


@time_machine.travel(NOW, tick=False)
def test_the_named_querysets_read_the_stages():
    articles = {stage: article_at(stage) for stage in Stage}
    queries = {
        "published": Stage.LIVE,
        "in_review": Stage.IN_REVIEW,
        "approved": Stage.APPROVED,
        "returned": Stage.RETURNED,
        "scheduled": Stage.SCHEDULED,
        "expired": Stage.EXPIRED,
        "trashed": Stage.TRASHED,
    }
    for name, stage in queries.items():
        assert list(getattr(Article.all_objects, name)()) == [articles[stage]], name
    # The default manager leaves the trash out; nothing else.
    assert Article.objects.count() == len(Stage) - 1


def test_an_article_goes_live_and_expires_on_the_clock_alone():
    article = make_article(published_at=NOW, expires_at=NOW + HOUR)
    with time_machine.travel(NOW - datetime.timedelta(seconds=1), tick=False):
        assert article.stage == Stage.SCHEDULED
        assert not Article.objects.published().exists()
    with time_machine.travel(NOW, tick=False):
        assert article.stage == Stage.LIVE
        assert Article.objects.published().get() == article
    with time_machine.travel(NOW + HOUR, tick=False):
        assert article.stage == Stage.EXPIRED
        assert not Article.objects.published().exists()


def test_staff_see_everyones_articles_or_their_own():
    contributor = make_user("contributor")
    mine = make_article(title="Của tôi", created_by=contributor)
    make_article(title="Của người khác")
    assert list(Article.objects.visible_to(contributor)) == [mine]
    assert Article.objects.visible_to(make_user("editor")).count() == 2
    assert Article.objects.visible_to(make_user("publisher")).count() == 2
    reader = make_user("reader")
    reader.is_staff = False
    assert not Article.objects.visible_to(reader).exists()


def test_a_published_article_always_has_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Status.PUBLISHED, published_at=None)


def test_the_expiry_must_come_after_the_publication():
    article = Article(title="Tin", lead="Sapo", published_at=NOW, expires_at=NOW)
    with pytest.raises(ValidationError, match="Thời điểm hết hạn phải sau thời điểm xuất bản"):
        article.validate_constraints()


def test_the_body_is_sanitised_once_when_saved():
    article = make_article(body='<p onclick="x()">Tin.</p><script>x()</script>')
    assert article.body == "<p>Tin.</p>"
    parts = article.body_with_photos([])
    assert parts == [{"html": "<p>Tin.</p>"}]


def test_a_share_link_names_one_article_and_cannot_be_forged():
    article = make_article(status=Status.DRAFT)
    token = article.get_share_url().strip("/").split("/")[-1]
    assert Article.objects.from_share_token(token) == article
    with pytest.raises(signing.BadSignature):
        Article.objects.from_share_token(token + "x")
    with pytest.raises(signing.BadSignature):
        Article.objects.from_share_token(signing.dumps(article.pk, salt="other"))
    assert signing.loads(token, salt=SHARE_SALT) == article.pk
