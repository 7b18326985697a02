"""E-mails about questions, queued once the question is safely stored.

Messages go through core.mail: the request that stores a question or an answer only
queues them, and the task worker sends them, trying again while the mail server is
away. An answer's sending is recorded in answer_emailed_at, so staff see what went out.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import mail
from core.html import html_to_text
from questions.models import Question


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def queue_answer(question_pk):
    """Queue the answer to the asker, as plain text; return True if it was queued."""
    question = Question.objects.select_related("topic").get(pk=question_pk)
    if not question.email or not question.answer:
        return False
    tracking = absolute_url(reverse("questions:track")) + f"?code={question.code}"
    subject, body = mail.render(
        "questions/email/answer",
        {"question": question, "answer": html_to_text(question.answer), "tracking_url": tracking},
    )
    return mail.queue(subject, body, question.email, on_sent=(answer_sent, [question.pk]))


@mail.after_sending
def answer_sent(question_pk):
    """Record that the answer went out (run by the task worker once it is sent)."""
    Question.objects.filter(pk=question_pk).update(answer_emailed_at=timezone.now())


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
    """Queue a notice of a new question for each staff member who answers questions."""
    question = Question.objects.select_related("topic").get(pk=question_pk)
    admin_url = absolute_url(reverse("admin:questions_question_change", args=[question.pk]))
    subject, body = mail.render(
        "questions/email/new", {"question": question, "admin_url": admin_url}
    )
    for user in staff_who_answer():
        mail.queue(subject, body, user.email)
