"""E-mails about questions, sent after the question is safely stored.

A failure to send is logged and reported, never raised: the question and the
answer are already in the database, and the answer can be sent again.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.html import html_to_text
from questions.models import Question

logger = logging.getLogger(__name__)


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def render(kind, context):
    """Render questions/email/<kind>_subject.txt and _body.txt in the interface language."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"questions/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"questions/email/{kind}_body.txt", context)
    return subject, body


def send_answer(question_pk):
    """E-mail the answer to the asker, as plain text; return True if it was sent.

    The send is recorded in answer_emailed_at, so staff see what went out.
    """
    question = Question.objects.select_related("topic").get(pk=question_pk)
    if not question.email or not question.answer:
        return False
    tracking = absolute_url(reverse("questions:track")) + f"?code={question.code}"
    subject, body = render(
        "answer",
        {"question": question, "answer": html_to_text(question.answer), "tracking_url": tracking},
    )
    try:
        send_mail(subject, body, None, [question.email])
    except Exception:
        logger.exception("Could not e-mail the answer to question %s", question.code)
        return False
    Question.objects.filter(pk=question.pk).update(answer_emailed_at=timezone.now())
    return True


def staff_who_answer():
    """Return active users with an e-mail address who may answer questions."""
    permissions = Permission.objects.filter(
        content_type__app_label="questions", codename="change_question"
    ).values("pk")
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions))
        .distinct()
        .order_by("pk")
    )


def tell_staff(question_pk):
    """Tell the staff who answer questions that a new one has come in."""
    question = Question.objects.select_related("topic").get(pk=question_pk)
    admin_url = absolute_url(reverse("admin:questions_question_change", args=[question.pk]))
    subject, body = render("new", {"question": question, "admin_url": admin_url})
    for user in staff_who_answer():
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            logger.exception("Could not tell %s of question %s", user.email, question.code)
