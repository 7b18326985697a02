"""E-mails the workflow sends, and the announcement when an article goes live.

Mail never holds up or breaks a move: each message is queued (core.mail) and sent by
the task worker (`manage.py db_worker`), which tries again later while the mail server
is away.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import mail

# Messages queued before the task moved to core name it here.
from core.mail import deliver  # noqa: F401
from core.names import staff_name
from news.models import Article

logger = logging.getLogger(__name__)


def users_with_permission(codename, exclude=None):
    """Return active users with an e-mail address who hold news.<codename>."""
    permission = Q(content_type__app_label="news", codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(groups__permissions__in=_permission_ids(permission))
            | Q(user_permissions__in=_permission_ids(permission))
        )
        .distinct()
        .order_by("pk")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def _permission_ids(condition):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition).values("pk")


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def send(kind, recipients, context):
    """Render news/email/<kind>_subject.txt and _body.txt and queue it for each recipient."""
    subject, body = mail.render(f"news/email/{kind}", context)
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
    send("submitted", users_with_permission("review_article", exclude=step.user), _context(step))


def _tell_publishers(step):
    send("approved", users_with_permission("publish_article", exclude=step.user), _context(step))


def _tell_author(step):
    if _has_email(step.article.created_by):
        send("returned", [step.article.created_by], _context(step))


def _tell_readers(step):
    announce_if_live(step.article.pk)


# Who hears of a workflow move, by the name core.workflow.Transition.notify gives.
RECIPIENTS = {
    "reviewers": _tell_reviewers,
    "publishers": _tell_publishers,
    "author": _tell_author,
    "readers": _tell_readers,
}


def _context(step):
    article = step.article
    return {
        "article": article,
        "step": step,
        "actor_name": staff_name(step.user, nobody=_("The portal")),
        "admin_url": absolute_url(reverse("admin:news_article_change", args=[article.pk])),
    }


def _has_email(user):
    return user is not None and user.is_active and bool(user.email)


def announce_if_live(article_pk):
    """Announce the article once, if it is visible now; return True if this call did.

    The conditional UPDATE makes the announcement happen at most once, even
    when publish_scheduled runs twice or two runs overlap.
    """
    now = timezone.now()
    claimed = (
        Article.objects.published()
        .filter(pk=article_pk, announced_at__isnull=True)
        .update(announced_at=now)
    )
    if not claimed:
        return False
    article = Article.objects.select_related("created_by").get(pk=article_pk)
    if _has_email(article.created_by):
        send(
            "published",
            [article.created_by],
            {"article": article, "public_url": absolute_url(article.get_absolute_url())},
        )
    return True


def announce_due():
    """Announce every article whose publication moment has come; return how many."""
    due = Article.objects.published().filter(announced_at__isnull=True).values_list("pk", flat=True)
    return sum(announce_if_live(pk) for pk in list(due))
