"""The editorial workflow: who may move an article, from which stage, with what effects.

TRANSITIONS is the one table of moves, `check_move` the one check (who may, from
which stage, with what comment) and `make_move` the one way a move is written.
Bulk actions, the trash, the importer and commands call `perform`, which reads
the article again under a row lock first; the change form's buttons call
`make_move` on the article the form already locked, checked and edited, so the
edit and the move are a single save.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import notifications
from news.models import Article, ArticleTransition, Stage

Action = ArticleTransition.Action
Status = Article.Status


class System:
    """The actor of management commands: every permission, no user account."""

    pk = None

    def has_perm(self, permission):
        return True


SYSTEM = System()


def can_edit(user, article):
    """Return True if the user may change the article's text in its current state.

    Publishers change anything; editors any draft or article in review;
    contributors only their own drafts (which includes returned ones).
    """
    if article.deleted_at is not None or not user.has_perm("news.change_article"):
        return False
    if user.has_perm("news.publish_article"):
        return True
    if user.has_perm("news.review_article"):
        return article.status in {Status.DRAFT, Status.REVIEW}
    return article.status == Status.DRAFT and article.created_by_id == user.pk


def _needs_edit_right(user, article):
    # Submitting a text or trashing it vouches for it: only who may edit it may.
    if not can_edit(user, article):
        return _("You may not change this article in its current state.")
    return None


def _within_restore_period(user, article):
    if not article.can_be_restored():
        return _("This article stayed in the trash too long to be restored.")
    return None


@dataclass(frozen=True)
class Transition:
    """One move of the workflow and everything it does to the article."""

    action: Action
    button: str
    sources: frozenset
    permission: str
    status: str | None = None  # the new status; None keeps it
    stamp: tuple = ()  # fields set to the moment of the move
    clear: tuple = ()  # fields emptied
    sign: tuple = ()  # fields set to who made the move
    schedulable: bool = False  # the moment may be chosen (publication time)
    comment_required: bool = False
    check: Callable | None = None  # (user, article) -> why not, or None
    notify: str = ""  # who hears of it: a name in notifications.RECIPIENTS
    label: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "label", self.action.label)


NOT_TRASHED = frozenset(Stage) - {Stage.TRASHED}

TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            Action.SUBMIT, _("Save and submit for review"),
            frozenset({Stage.DRAFT, Stage.RETURNED}), "news.submit_article",
            status=Status.REVIEW, clear=("approved_at", "returned_at"),
            check=_needs_edit_right, notify="reviewers",
        ),
        # Approval keeps the article in review and tells the publishers it is ready.
        Transition(
            Action.APPROVE, _("Save and approve"),
            frozenset({Stage.IN_REVIEW}), "news.review_article",
            stamp=("approved_at",), notify="publishers",
        ),
        Transition(
            Action.RETURN, _("Save and return to the author"),
            frozenset({Stage.IN_REVIEW, Stage.APPROVED}), "news.review_article",
            status=Status.DRAFT, stamp=("returned_at",), clear=("approved_at",),
            comment_required=True, notify="author",
        ),
        # A new publication is announced again, when its moment comes.
        Transition(
            Action.PUBLISH, _("Save and publish"),
            frozenset({Stage.DRAFT, Stage.RETURNED, Stage.IN_REVIEW, Stage.APPROVED}),
            "news.publish_article",
            status=Status.PUBLISHED, stamp=("published_at",), schedulable=True,
            clear=("approved_at", "returned_at", "announced_at"), notify="readers",
        ),
        Transition(
            Action.ARCHIVE, _("Save and take down"),
            frozenset({Stage.SCHEDULED, Stage.LIVE, Stage.EXPIRED}), "news.publish_article",
            status=Status.ARCHIVED,
        ),
        Transition(
            Action.REOPEN, _("Save and move back to draft"),
            frozenset({Stage.ARCHIVED}), "news.publish_article",
            status=Status.DRAFT, clear=("approved_at", "returned_at"),
        ),
        Transition(
            Action.TRASH, _("Move to the trash"),
            NOT_TRASHED, "news.delete_article",
            stamp=("deleted_at",), sign=("deleted_by",), check=_needs_edit_right,
        ),
        Transition(
            Action.RESTORE, _("Restore from the trash"),
            frozenset({Stage.TRASHED}), "news.publish_article",
            clear=("deleted_at", "deleted_by"), check=_within_restore_period,
        ),
    ]
}  # fmt: skip

# The moves offered as buttons on the article's page (the trash has its own).
FORM_ACTIONS = [
    Action.SUBMIT,
    Action.APPROVE,
    Action.RETURN,
    Action.PUBLISH,
    Action.ARCHIVE,
    Action.REOPEN,
]


def why_not(user, article, action):
    """Return why the user may not make this move on the article now, or None if they may."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("There is no such step.")
    if article.stage not in transition.sources:
        return _("This step does not apply to an article that is “%(stage)s”.") % {
            "stage": article.stage.label
        }
    if not user.has_perm(transition.permission):
        return _("Your role does not allow this step.")
    if transition.check is not None:
        return transition.check(user, article)
    return None


def is_allowed(user, article, action):
    return why_not(user, article, action) is None


def allowed_transitions(user, article, actions=FORM_ACTIONS):
    return [TRANSITIONS[action] for action in actions if is_allowed(user, article, action)]


def check_move(user, article, action, comment=""):
    """Refuse a move the user may not make on the article now, or that lacks its comment.

    Raise PermissionDenied (why_not) or a ValidationError on the change form's
    `workflow_comment` field.
    """
    reason = why_not(user, article, action)
    if reason is not None:
        raise PermissionDenied(reason)
    if TRANSITIONS[action].comment_required and not comment.strip():
        message = _("Please say what the author should change.")
        raise ValidationError({"workflow_comment": ValidationError(message, code="required")})


@transaction.atomic
def perform(article, action, user, comment="", at=None):
    """Make the move, record it in the timeline and tell the people concerned.

    The article is read again under a row lock, so a stale page or a forged
    request cannot make a move the user or the state does not allow. `at`
    chooses the moment of a schedulable move (the publication time).
    """
    article = Article.all_objects.select_for_update().get(pk=article.pk)
    check_move(user, article, action, comment)
    return make_move(article, action, user, comment, at, only_move=True)


def make_move(article, action, user, comment="", at=None, *, only_move=False):
    """Make a move check_move() allowed: save the article once, with its step in the timeline.

    For the transaction that read the article under a row lock (or created it) and
    checked the move. The article is saved as it stands, edits included, or with
    only the fields the move sets (`only_move`). The people concerned are told once
    the transaction commits.
    """
    transition = TRANSITIONS[action]
    from_status = article.status
    now = timezone.now()
    actor = user if user is not SYSTEM else None
    if transition.status is not None:
        article.status = transition.status
    for name in transition.stamp:
        setattr(article, name, (at if transition.schedulable and at else now))
    for name in transition.clear:
        setattr(article, name, None)
    for name in transition.sign:
        setattr(article, name, actor)
    article.updated_by = actor
    article.validate_constraints()
    changed = {"status", "updated_by", *transition.stamp, *transition.clear, *transition.sign}
    article.save(update_fields=changed if only_move else None)
    step = ArticleTransition.objects.create(
        article=article,
        user=actor,
        action=action,
        from_status=from_status,
        to_status=article.status,
        comment=comment.strip(),
        at=now,
    )
    transaction.on_commit(lambda: notifications.after_transition(step, transition.notify))
    return article
