"""E-mails the workflow sends, for every model that goes through it, and the announcement
when a row goes live.

An app joins by declaring it in its AppConfig.ready():
`core.workflow.register_notifier(Model, core.notifications.after_transition)`. Each
message is drawn from the app's own templates, `<app_label>/email/<kind>_subject.txt`
and `_body.txt` (kinds: submitted, approved, returned, published), with the row in the
context under its model's name (`article`, `document`) and as `item`. Who is told is the
same for every model: the people holding the model's review or publish permission, the
author. Mail never holds up or breaks a move: each message is queued (core.mail) and
sent by the task worker, which tries again later while the mail server is away.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import mail, workflow
from core.names import staff_name

logger = logging.getLogger(__name__)


def users_with_permission(model, verb, exclude=None):
    """Return active users with an e-mail address who may do this kind of work on the model."""
    app_label, codename = workflow.permission(model, verb).split(".")
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).values("pk")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions))
        .distinct()
        .order_by("pk")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def send(item, kind, recipients, context):
    """Render the item's app's email/<kind> templates and queue the message for each recipient."""
    opts = item._meta.concrete_model._meta
    context = {**context, "item": item, opts.model_name: item}
    subject, body = mail.render(f"{opts.app_label}/email/{kind}", context)
    for user in recipients:
        mail.queue(subject, body, user.email)


def after_transition(step, notify):
    """Tell the people named by the move's `notify` about it (runs after the commit)."""
    if not notify:
        return
    try:
        RECIPIENTS[notify](step)
    except Exception:
        # The move is saved already: a failure here must not show as an error page.
        logger.exception("Could not send the %r notifications of step %s", notify, step.pk)


def _tell_reviewers(step):
    item = step.subject
    send(
        item, "submitted", users_with_permission(item, "review", exclude=step.user), _context(step)
    )


def _tell_publishers(step):
    item = step.subject
    send(
        item, "approved", users_with_permission(item, "publish", exclude=step.user), _context(step)
    )


def _tell_author(step):
    item = step.subject
    if _has_email(item.created_by):
        send(item, "returned", [item.created_by], _context(step))


def _tell_readers(step):
    announce_if_live(type(step.subject), step.subject.pk)


# Who hears of a workflow move, by the name core.workflow.Transition.notify gives.
RECIPIENTS = {
    "reviewers": _tell_reviewers,
    "publishers": _tell_publishers,
    "author": _tell_author,
    "readers": _tell_readers,
}


def _context(step):
    opts = step.subject._meta.concrete_model._meta
    return {
        "step": step,
        "actor_name": staff_name(step.user, nobody=_("The portal")),
        "admin_url": absolute_url(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[step.subject.pk])
        ),
    }


def _has_email(user):
    return user is not None and user.is_active and bool(user.email)


def announce_if_live(model, pk):
    """Tell the author once that the row is live, if it is now; return True if this call did.

    The conditional UPDATE makes the announcement happen at most once, even when
    publish_scheduled runs twice or two runs overlap.
    """
    claimed = (
        model.objects.published()
        .filter(pk=pk, announced_at__isnull=True)
        .update(announced_at=timezone.now())
    )
    if not claimed:
        return False
    item = model.objects.select_related("created_by").get(pk=pk)
    if _has_email(item.created_by):
        send(
            item,
            "published",
            [item.created_by],
            {"public_url": absolute_url(item.get_absolute_url())},
        )
    return True


def announce_due(model):
    """Announce every row of the model whose publication moment has come; return how many."""
    due = model.objects.published().filter(announced_at__isnull=True).values_list("pk", flat=True)
    return sum(announce_if_live(model, pk) for pk in list(due))


def announced_models():
    """Return the models whose moves are told by after_transition (publish_scheduled's list)."""
    return [
        model
        for model in workflow.workflowed_models()
        if workflow.notifier(model) is after_transition
    ]
