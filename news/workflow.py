"""The editorial workflow: who may move an article from which state to which.

TRANSITIONS is the one table of allowed moves; `perform` is the one way to
make one. Everything else (admin buttons, their views, the tests) asks here.
"""

from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import notifications
from news.models import Article, ArticleTransition

Status = Article.Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    permission: str
    comment_required: bool = False


TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            "submit", _("Submit for review"), frozenset({Status.DRAFT}), Status.REVIEW,
            "news.submit_article",
        ),
        # Approval keeps the article in review and tells the publishers it is ready.
        Transition(
            "approve", _("Approve"), frozenset({Status.REVIEW}), Status.REVIEW,
            "news.review_article",
        ),
        Transition(
            "return", _("Return to the author"), frozenset({Status.REVIEW}), Status.DRAFT,
            "news.review_article", comment_required=True,
        ),
        Transition(
            "publish", _("Publish"), frozenset({Status.DRAFT, Status.REVIEW}), Status.PUBLISHED,
            "news.publish_article",
        ),
        Transition(
            "archive", _("Take down"), frozenset({Status.PUBLISHED}), Status.ARCHIVED,
            "news.publish_article",
        ),
        Transition(
            "reopen", _("Back to draft"), frozenset({Status.ARCHIVED}), Status.DRAFT,
            "news.publish_article",
        ),
    ]
}  # fmt: skip


def can_edit(user, article):
    """Return True if the user may change the article's text in its current state.

    Publishers change anything; editors any draft or article in review;
    contributors only their own drafts (which includes returned ones).
    """
    if article.is_trashed or not user.has_perm("news.change_article"):
        return False
    if user.has_perm("news.publish_article"):
        return True
    if user.has_perm("news.review_article"):
        return article.status in {Status.DRAFT, Status.REVIEW}
    return article.status == Status.DRAFT and article.created_by_id == user.pk


def is_allowed(user, article, action):
    """Return True if the user may make this workflow move on the article now."""
    transition = TRANSITIONS.get(action)
    if transition is None or article.is_trashed or article.status not in transition.sources:
        return False
    if not user.has_perm(transition.permission):
        return False
    if action == "submit":
        # Submitting vouches for the text, so it takes the right to edit it.
        return can_edit(user, article)
    if action == "approve":
        return article.approved_at is None
    return True


def allowed_transitions(user, article):
    return [t for action, t in TRANSITIONS.items() if is_allowed(user, article, action)]


@transaction.atomic
def perform(article, action, user, comment="", publish_at=None):
    """Move the article, record the step and notify the people concerned.

    The state is read again under a row lock, so a stale page or a forged
    request cannot make a move the user or the state does not allow.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not is_allowed(user, article, action):
        raise PermissionDenied(_("This action is not allowed for this article."))
    transition = TRANSITIONS[action]
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise ValidationError(_("Please say what the author should change."), code="required")

    from_status = article.status
    now = timezone.now()
    article.status = transition.target
    article.approved_at = now if action == "approve" else None
    if action == "publish":
        article.published_at = publish_at or now
        # A new publication is announced again, when its moment comes.
        article.announced_at = None
        if article.expires_at and article.expires_at <= article.published_at:
            raise ValidationError(
                _("The expiry time must come after the publication time."), code="expiry"
            )
    article.updated_by = user
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(str(transition.label))
        article.save(
            update_fields=["status", "approved_at", "published_at", "announced_at", "updated_by"]
        )
    step = ArticleTransition.objects.create(
        article=article,
        user=user,
        action=action,
        from_status=from_status,
        to_status=transition.target,
        comment=comment,
        at=now,
    )
    transaction.on_commit(lambda: notifications.after_transition(step))
    return article
