"""The newsroom's workflow, for every model that goes through it: stages, moves and rights.

A model joins by inheriting `Workflowed` (the workflow's fields, where the row stands,
and `WorkflowQuerySet`), declaring the permissions `submit_<model>`, `review_<model>`,
`publish_<model>` and `view_all_<model>s` in its Meta, and giving a step model
(inheriting `WorkflowStep`) a foreign key to it with `related_name="transitions"`.
news.Article and documents.Document do; core.apps checks every such model at start-up.

The rules are the same for all: TRANSITIONS is the one table of moves, `check_move` the
one check (who may, from which stage, with what comment) and `make_move` the one way a
move is written. Bulk actions, the trash, importers and commands call `perform`, which
reads the row again under a lock first; the change form's buttons call `make_move` on
the row the form already locked, checked and edited, so the edit and the move are a
single save. Who may do what is read from the model's own permissions (`permission()`):
news.publish_article for an article, documents.publish_document for a document.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Trashed rows can be restored for this long; purge_trash deletes them after.
TRASH_DAYS = 30


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Taken down")


class Stage(models.TextChoices):
    """Where a row stands, as the newsroom and readers see it.

    Worked out from its status, its timestamps and the clock, in one place:
    `Workflowed.stage` for one row, `WorkflowQuerySet.at_stage()` for a query.
    """

    DRAFT = "draft", _("Draft")
    RETURNED = "returned", _("Returned to the author")
    IN_REVIEW = "in_review", _("Waiting for review")
    APPROVED = "approved", _("Approved, waiting for publication")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Published")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Taken down")
    TRASHED = "trashed", _("In the trash")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return to the author")
    PUBLISH = "publish", _("Publish")
    ARCHIVE = "archive", _("Take down")
    REOPEN = "reopen", _("Back to draft")
    TRASH = "trash", _("Move to the trash")
    RESTORE = "restore", _("Restore from the trash")


# The rows published() chooses among: its time conditions are read from the index.
PUBLISHED_ROWS = Q(status="published", deleted_at__isnull=True)


def stage_condition(stage, now):
    """Return the condition that selects the rows at this stage at the moment now.

    Workflowed.stage says the same of one row in Python; a test holds the two together.
    """
    kept = Q(deleted_at__isnull=True)
    published = PUBLISHED_ROWS
    # Only the asked stage's condition is built: pages ask for LIVE several times each.
    match stage:
        case Stage.DRAFT:
            return kept & Q(status=Status.DRAFT, returned_at__isnull=True)
        case Stage.RETURNED:
            return kept & Q(status=Status.DRAFT, returned_at__isnull=False)
        case Stage.IN_REVIEW:
            return kept & Q(status=Status.REVIEW, approved_at__isnull=True)
        case Stage.APPROVED:
            return kept & Q(status=Status.REVIEW, approved_at__isnull=False)
        case Stage.SCHEDULED:
            return published & Q(published_at__gt=now)
        case Stage.LIVE:
            return (
                published
                & Q(published_at__lte=now)
                & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            )
        case Stage.EXPIRED:
            return published & Q(published_at__lte=now, expires_at__lte=now)
        case Stage.ARCHIVED:
            return kept & Q(status=Status.ARCHIVED)
        case Stage.TRASHED:
            return Q(deleted_at__isnull=False)
    raise ValueError(f"Unknown stage: {stage!r}")


def permission(model, verb):
    """Return the permission a kind of work on the model needs: ("publish", Article) gives
    "news.publish_article"; "view_all" gives "news.view_all_articles"."""
    opts = model._meta.concrete_model._meta  # a proxy (the trash) works with its model's
    codename = f"view_all_{opts.model_name}s" if verb == "view_all" else f"{verb}_{opts.model_name}"
    return f"{opts.app_label}.{codename}"


def sees_everyones(user, model):
    """Return True if the user works on everyone's rows of the model, not only their own."""
    return user.has_perm(permission(model, "view_all"))


class WorkflowQuerySet(models.QuerySet):
    def at_stage(self, *stages):
        """Return the rows at any of these stages now."""
        if not stages:
            return self.none()
        now = timezone.now()
        return self.filter(reduce(operator.or_, (stage_condition(stage, now) for stage in stages)))

    def published(self):
        """Return the rows readers may see at this moment.

        Decided at request time, so a row scheduled for 07:00 appears at 07:00 sharp and
        one expiring at 17:00 disappears then, without a cron job.
        """
        return self.at_stage(Stage.LIVE)

    def in_review(self):
        return self.at_stage(Stage.IN_REVIEW)

    def approved(self):
        return self.at_stage(Stage.APPROVED)

    def returned(self):
        return self.at_stage(Stage.RETURNED)

    def scheduled(self):
        """Return published rows whose publication time is still to come."""
        return self.at_stage(Stage.SCHEDULED)

    def expired(self):
        return self.at_stage(Stage.EXPIRED)

    def trashed(self):
        return self.at_stage(Stage.TRASHED)

    def live(self):
        """Return the rows that are not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def stage_counts(self, *stages):
        """Return {stage: number of rows at it now} in one query."""
        now = timezone.now()
        counts = self.aggregate(
            **{stage.value: Count("pk", filter=stage_condition(stage, now)) for stage in stages}
        )
        return {stage: counts[stage.value] for stage in stages}

    def visible_to(self, user):
        """Return the rows the user works on in the admin.

        Editors and publishers see everyone's; contributors their own.
        """
        if sees_everyones(user, self.model):
            return self
        if user.has_perm(permission(self.model, "view")):
            return self.filter(created_by=user.pk)
        return self.none()

    def purgeable(self):
        """Return trashed rows past the restore period."""
        return self.filter(deleted_at__lte=timezone.now() - timedelta(days=TRASH_DAYS))


class LiveManager(models.Manager):
    """Hide the trash: what the admin lists and the public sees start here."""

    def get_queryset(self):
        return super().get_queryset().live()


class Workflowed(models.Model):
    """The fields and behaviour of a row that goes through the workflow.

    `objects` hides the trash; Django's own machinery (unique checks, slugs, related
    lookups) sees every row through `all_objects`, the default manager.
    """

    # No single-column index on these: each model indexes its lists in their own order
    # (Meta.indexes), and a lone index on status or author misleads SQLite's planner on a
    # database with no statistics (tests/plans.py).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Day and time it appears to readers, typed day first (25/03/2023 07:00). "
            "Left empty, it is set when it is published."
        ),
    )
    expires_at = models.DateTimeField(
        _("expiry time"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. At this moment it leaves the public site by itself (it stays in the admin)."
        ),
    )
    announced_at = models.DateTimeField(
        _("announced at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the author was told it went live (publish_scheduled)."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Goes up on every save, so two editors cannot overwrite each other."),
    )
    deleted_at = models.DateTimeField(_("moved to trash at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to trash by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    Status = Status

    class Meta:
        abstract = True

    # Fields a draft may leave empty but a row submitted for review or published may not.
    needed_to_submit = ()

    @property
    def stage(self):
        """Return where the row stands now; stage_condition() says the same in SQL."""
        if self.deleted_at is not None:
            return Stage.TRASHED
        return self.stage_outside_trash

    @property
    def stage_outside_trash(self):
        """Return where the row stands but for the trash: where restoring it puts it back."""
        match self.status:
            case Status.DRAFT:
                return Stage.RETURNED if self.returned_at else Stage.DRAFT
            case Status.REVIEW:
                return Stage.APPROVED if self.approved_at else Stage.IN_REVIEW
            case Status.ARCHIVED:
                return Stage.ARCHIVED
        now = timezone.now()
        if self.published_at > now:
            return Stage.SCHEDULED
        if self.expires_at is not None and self.expires_at <= now:
            return Stage.EXPIRED
        return Stage.LIVE

    @property
    def is_live(self):
        return self.stage == Stage.LIVE

    def is_public(self):
        """Return True if readers may open the row's page now (see published())."""
        return self.is_live

    def after_move(self, from_status):
        """Do what a model's own data needs once make_move() saved the row's new status."""

    @property
    def trash_expires_at(self):
        return self.deleted_at + timedelta(days=TRASH_DAYS) if self.deleted_at else None

    def can_be_restored(self):
        return self.deleted_at is not None and self.trash_expires_at > timezone.now()


class WorkflowStep(models.Model):
    """One step of a row through the workflow, shown as its timeline.

    The concrete model adds the foreign key to its row, with related_name="transitions".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )
    Action = Action
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=Status)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    # Where the row stood before and after, as its state reads in the admin (a return
    # leads to "returned", not to "draft"); empty on steps recorded before they were kept.
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage, blank=True)
    # The publication time a publish step chose when it lies ahead (a scheduled publication).
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        get_latest_by = "at"
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self):
        return f"{self.subject} · {self.get_action_display()}"

    @property
    def description(self):
        """Return what the step did, as the timeline says it."""
        if self.scheduled_for is not None:
            return _("Scheduled for publication at %(time)s") % {
                "time": timezone.localtime(self.scheduled_for).strftime("%d/%m/%Y %H:%M")
            }
        return self.get_action_display()

    @property
    def stage_change(self):
        """Return (from, to) as the state reads, or None if the step left it as it was.

        Steps recorded before stages were kept give their statuses.
        """
        if self.from_stage and self.to_stage:
            change = (self.get_from_stage_display(), self.get_to_stage_display())
        else:
            change = (self.get_from_status_display(), self.get_to_status_display())
        return change if change[0] != change[1] else None

    @property
    def subject(self):
        """Return the row this step moved."""
        return getattr(self, self.subject_field().name)

    @classmethod
    def subject_field(cls):
        return next(
            f
            for f in cls._meta.get_fields()
            if f.many_to_one and issubclass(f.related_model, Workflowed)
        )


def workflowed_models():
    """Return the concrete models that go through the workflow."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Workflowed) and not model._meta.proxy
    ]


def check_models(app_configs=None, **kwargs):
    """A system check: each workflowed model declares its permissions and its step model."""
    from django.core import checks

    errors = []
    for model in workflowed_models():
        declared = {codename for codename, _ in model._meta.permissions}
        name = model._meta.model_name
        wanted = [f"submit_{name}", f"review_{name}", f"publish_{name}", f"view_all_{name}s"]
        errors += [
            checks.Error(f"{model._meta.label} lacks the permission {codename}.", obj=model)
            for codename in wanted
            if codename not in declared
        ]
        steps = getattr(model, "transitions", None)
        if steps is None or not issubclass(steps.rel.related_model, WorkflowStep):
            errors.append(
                checks.Error(f"{model._meta.label} has no step model (transitions).", obj=model)
            )
    return errors


# --- who is told of a move: declared by each app -----------------------------------------

_notifiers = {}


def register_notifier(model, function):
    """Say who is told of a move of the model's rows (AppConfig.ready).

    function(step, notify) runs after the commit; notify is the move's `notify` name.
    """
    _notifiers[model] = function


def notifier(model):
    """Return the function registered to tell of the model's moves, or None."""
    return _notifiers.get(model._meta.concrete_model)


def _notify(step, notify):
    function = notifier(type(step.subject))
    if function is not None and notify:
        function(step, notify)


# --- the moves ---------------------------------------------------------------------------


class System:
    """The actor of management commands: every permission, no user account."""

    pk = None

    def has_perm(self, permission):
        return True


SYSTEM = System()


def can_edit(user, item):
    """Return True if the user may change the row's text in its current state.

    Publishers change anything; editors any draft or row in review; contributors only
    their own drafts (which includes returned ones).
    """
    model = type(item)
    if item.deleted_at is not None or not user.has_perm(permission(model, "change")):
        return False
    if user.has_perm(permission(model, "publish")):
        return True
    if user.has_perm(permission(model, "review")):
        return item.status in {Status.DRAFT, Status.REVIEW}
    return item.status == Status.DRAFT and item.created_by_id == user.pk


def _needs_edit_right(user, item):
    # Submitting a text or trashing it vouches for it: only who may edit it may.
    if not can_edit(user, item):
        return _("You may not change this %(item)s in its current state.") % {
            "item": item._meta.verbose_name
        }
    return None


def _within_restore_period(user, item):
    if not item.can_be_restored():
        return _("This %(item)s stayed in the trash too long to be restored.") % {
            "item": item._meta.verbose_name
        }
    return None


@dataclass(frozen=True)
class Transition:
    """One move of the workflow and everything it does to the row."""

    action: Action
    button: str
    sources: frozenset
    permission: str  # the kind of work: permission(model, this) is what it needs
    status: str | None = None  # the new status; None keeps it
    stamp: tuple = ()  # fields set to the moment of the move
    clear: tuple = ()  # fields emptied
    sign: tuple = ()  # fields set to who made the move
    schedulable: bool = False  # the moment may be chosen (publication time)
    comment_required: bool = False
    complete: bool = False  # the row's needed_to_submit fields must be filled in
    check: Callable | None = None  # (user, row) -> why not, or None
    notify: str = ""  # who hears of it: a name the model's notifier knows
    label: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "label", self.action.label)


NOT_TRASHED = frozenset(Stage) - {Stage.TRASHED}

TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            Action.SUBMIT, _("Save and submit for review"),
            frozenset({Stage.DRAFT, Stage.RETURNED}), "submit",
            status=Status.REVIEW, clear=("approved_at", "returned_at"),
            check=_needs_edit_right, complete=True, notify="reviewers",
        ),
        # Approval keeps the row in review and tells the publishers it is ready.
        Transition(
            Action.APPROVE, _("Save and approve"),
            frozenset({Stage.IN_REVIEW}), "review",
            stamp=("approved_at",), complete=True, notify="publishers",
        ),
        Transition(
            Action.RETURN, _("Save and return to the author"),
            frozenset({Stage.IN_REVIEW, Stage.APPROVED}), "review",
            status=Status.DRAFT, stamp=("returned_at",), clear=("approved_at",),
            comment_required=True, notify="author",
        ),
        # A new publication is announced again, when its moment comes.
        Transition(
            Action.PUBLISH, _("Save and publish"),
            frozenset({Stage.DRAFT, Stage.RETURNED, Stage.IN_REVIEW, Stage.APPROVED}),
            "publish",
            status=Status.PUBLISHED, stamp=("published_at",), schedulable=True,
            clear=("approved_at", "returned_at", "announced_at"), complete=True,
            notify="readers",
        ),
        Transition(
            Action.ARCHIVE, _("Save and take down"),
            frozenset({Stage.SCHEDULED, Stage.LIVE, Stage.EXPIRED}), "publish",
            status=Status.ARCHIVED,
        ),
        Transition(
            Action.REOPEN, _("Save and move back to draft"),
            frozenset({Stage.ARCHIVED}), "publish",
            status=Status.DRAFT, clear=("approved_at", "returned_at"),
        ),
        Transition(
            Action.TRASH, _("Move to the trash"),
            NOT_TRASHED, "delete",
            stamp=("deleted_at",), sign=("deleted_by",), check=_needs_edit_right,
        ),
        Transition(
            Action.RESTORE, _("Restore from the trash"),
            frozenset({Stage.TRASHED}), "publish",
            clear=("deleted_at", "deleted_by"), check=_within_restore_period,
        ),
    ]
}  # fmt: skip

# The moves offered as buttons on a row's page (the trash has its own).
FORM_ACTIONS = [
    Action.SUBMIT,
    Action.APPROVE,
    Action.RETURN,
    Action.PUBLISH,
    Action.ARCHIVE,
    Action.REOPEN,
]


def required_permission(item, action):
    """Return the permission this move needs on this row: "news.publish_article"."""
    return permission(type(item)._meta.concrete_model, TRANSITIONS[action].permission)


def why_not(user, item, action):
    """Return why the user may not make this move on the row now, or None if they may."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("There is no such step.")
    if item.stage not in transition.sources:
        return _("This step does not apply to a %(item)s that is “%(stage)s”.") % {
            "item": item._meta.verbose_name,
            "stage": item.stage.label,
        }
    if not user.has_perm(required_permission(item, action)):
        return _("Your role does not allow this step.")
    if transition.check is not None:
        return transition.check(user, item)
    return None


def is_allowed(user, item, action):
    return why_not(user, item, action) is None


def allowed_transitions(user, item, actions=FORM_ACTIONS):
    return [TRANSITIONS[action] for action in actions if is_allowed(user, item, action)]


def check_move(user, item, action, comment=""):
    """Refuse a move the user may not make on the row now, or that lacks its comment or text.

    Raise PermissionDenied (why_not) or a ValidationError on the change form's
    `workflow_comment` field or on the empty fields the move needs (`needed_to_submit`).
    """
    reason = why_not(user, item, action)
    if reason is not None:
        raise PermissionDenied(reason)
    if TRANSITIONS[action].comment_required and not comment.strip():
        message = _("Please say what the author should change.")
        raise ValidationError({"workflow_comment": ValidationError(message, code="required")})
    if TRANSITIONS[action].complete:
        check_complete(item)


def check_complete(item):
    """Refuse a row whose needed_to_submit fields are empty, naming each on its field."""
    missing = [name for name in item.needed_to_submit if not str(getattr(item, name)).strip()]
    if missing:
        raise ValidationError(
            {
                name: ValidationError(
                    _("Fill in “%(field)s” before the %(item)s is submitted or published."),
                    code="required",
                    params={
                        "field": item._meta.get_field(name).verbose_name,
                        "item": item._meta.verbose_name,
                    },
                )
                for name in missing
            }
        )


@transaction.atomic
def perform(item, action, user, comment="", at=None):
    """Make the move, record it in the timeline and tell the people concerned.

    The row is read again under a lock, so a stale page or a forged request cannot make
    a move the user or the state does not allow. `at` chooses the moment of a
    schedulable move (the publication time).
    """
    model = type(item)._meta.concrete_model
    item = model._default_manager.select_for_update().get(pk=item.pk)
    check_move(user, item, action, comment)
    return make_move(item, action, user, comment, at, only_move=True)


def make_move(item, action, user, comment="", at=None, *, only_move=False):
    """Make a move check_move() allowed: save the row once, with its step in the timeline.

    For the transaction that read the row under a lock (or created it) and checked the
    move. The row is saved as it stands, edits included, or with only the fields the
    move sets (`only_move`). The people concerned are told once the transaction commits.
    """
    transition = TRANSITIONS[action]
    from_status, from_stage = item.status, item.stage
    now = timezone.now()
    actor = user if user is not SYSTEM else None
    fields = {f.name for f in item._meta.concrete_fields}
    if transition.status is not None:
        item.status = transition.status
    stamp = [name for name in transition.stamp if name in fields]
    clear = [name for name in transition.clear if name in fields]
    for name in stamp:
        setattr(item, name, (at if transition.schedulable and at else now))
    for name in clear:
        setattr(item, name, None)
    for name in transition.sign:
        setattr(item, name, actor)
    item.updated_by = actor
    item.validate_constraints()
    changed = {"status", "updated_by", *stamp, *clear, *transition.sign}
    item.save(update_fields=changed if only_move else None)
    item.after_move(from_status)
    step = item.transitions.create(
        user=actor,
        action=action,
        from_status=from_status,
        to_status=item.status,
        from_stage=from_stage,
        to_stage=item.stage,
        scheduled_for=(
            item.published_at if transition.schedulable and item.stage == Stage.SCHEDULED else None
        ),
        comment=comment.strip(),
        at=now,
    )
    transaction.on_commit(lambda: _notify(step, transition.notify))
    return item
