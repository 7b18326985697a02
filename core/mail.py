"""E-mail for every app: plain-text messages, queued and sent by the task worker.

Mail never holds up a request or breaks the change it reports on. `render()` draws a
message's subject and body from `<prefix>_subject.txt` and `<prefix>_body.txt` with the
"text" template engine, which escapes nothing: a title "Đoàn & Hội" stays so, never
"Đoàn &amp; Hội". `queue()` hands the message to the task worker (`manage.py db_worker`):
the request only writes a row, and `deliver` tries again later while the mail server is
away or slow. Locally (DJANGO_DEBUG=1) tasks run at once and mail goes to the console.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# How long to wait before each new try of a message the mail server refused or did not
# take; after the last one the message is given up, and logged.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 180, 360, 720)]
# The template engine of e-mails (portal/settings.py, TEMPLATES): plain text, no escaping.
TEXT_ENGINE = "text"


def render(prefix, context):
    """Return (subject, body) of <prefix>_subject.txt and _body.txt, in the interface language.

    The subject is one line; `site_url` is added to the context for links.
    """
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{prefix}_subject.txt", context, using=TEXT_ENGINE)
        body = render_to_string(f"{prefix}_body.txt", context, using=TEXT_ENGINE)
    return " ".join(subject.split()), body


def after_sending(function):
    """Mark a function that may run once a queued message is sent (queue's `on_sent`)."""
    function.runs_after_sending = True
    return function


def queue(subject, body, recipient, on_sent=None):
    """Queue one message for the task worker; return True if it was queued.

    on_sent: (function marked @after_sending, list of JSON arguments) to call once the
    message is sent. A failure to queue is logged, never raised: what the message reports
    on is already saved.
    """
    hook = None
    if on_sent is not None:
        function, arguments = on_sent
        if not getattr(function, "runs_after_sending", False):
            raise ValueError(f"{function!r} is not marked @after_sending.")
        hook = [f"{function.__module__}.{function.__qualname__}", list(arguments)]
    try:
        deliver.enqueue(subject, body, recipient, on_sent=hook)
    except Exception:
        logger.exception("Could not queue the message %r to %s", subject, recipient)
        return False
    return True


def retry_later(task_, attempt, args, kwargs, description, error):
    """Queue task_ again for its next try after a failure; return False.

    After the last of RETRY_DELAYS, or where the task backend cannot wait (locally), the
    message is given up, and logged.
    """
    if attempt > len(RETRY_DELAYS) or not task_backends[task_.backend].supports_defer:
        logger.error("Gave up the message %s after %d tries: %s", description, attempt, error)
        return False
    delay = RETRY_DELAYS[attempt - 1]
    logger.warning(
        "Could not send the message %s (try %d): %s; trying again in %s",
        description, attempt, error, delay,
    )  # fmt: skip
    task_.using(run_after=timezone.now() + delay).enqueue(
        *args, **{**kwargs, "attempt": attempt + 1}
    )
    return False


@task
def deliver(subject, body, recipient, attempt=1, on_sent=None):
    """Send one message; if the mail server fails, queue it again for later."""
    try:
        EmailMessage(subject, body, None, [recipient]).send()
    except Exception as error:
        return retry_later(
            deliver,
            attempt,
            (subject, body, recipient),
            {"on_sent": on_sent},
            f"{subject!r} to {recipient}",
            error,
        )
    if on_sent:
        path, arguments = on_sent
        function = import_string(path)
        if getattr(function, "runs_after_sending", False):
            function(*arguments)
        else:
            logger.error("%s is not marked @after_sending; not run after %r", path, subject)
    return True
