"""Questions and feedback from the public, their answers, and what is published of them."""

import re
import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.cache import PublicContent
from core.html import html_to_text
from core.richtext import RichTextField
from core.text import fold

# No 0/O, 1/I/L: a code read over the phone or copied by hand stays right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_tracking_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_tracking_code(text):
    """Return the stored form of a code as typed: "hk7m-2qxp" and "HK7M 2QXP" give "HK7M2QXP"."""
    return "".join(char for char in str(text).upper() if char.isalnum())


def format_tracking_code(code):
    return f"{code[:4]}-{code[4:]}"


class Topic(PublicContent, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the form.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """Return the questions the public may read with their answers, newest answers first."""
        return self.filter(is_published=True, status=Question.Status.ANSWERED).exclude(answer="")


class Question(PublicContent, models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")

    tracking_code = models.CharField(_("tracking code"), max_length=CODE_LENGTH, unique=True)
    # Who asked: shown to staff only, never on public pages, feeds or the API.
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(_("question"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_questions",
        limit_choices_to={"is_staff": True, "is_active": True},
    )
    # Stored sanitised, and "" while it shows nothing (core.html.sanitize_html): the
    # constraint and the admin's checks below only need to compare it with "".
    answer = RichTextField(
        _("answer"),
        blank=True,
        help_text=_("E-mailed to the asker as plain text, each link followed by its address."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_questions",
    )
    answer_emailed_at = models.DateTimeField(_("answer e-mailed at"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Show the question and its answer on the public questions and answers page."),
    )
    public_text = models.TextField(
        _("question as published"),
        blank=True,
        help_text=_(
            "Optional: the question as the public page shows it, e.g. without personal details. "
            "Left empty, the question is shown as asked."
        ),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("publish_question", _("Can publish questions with their answers"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="question_has_a_contact",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="answered_question_has_an_answer",
                violation_error_message=_("A question marked answered needs an answer."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="answered"),
                name="published_question_is_answered",
                violation_error_message=_("Only answered questions can be published."),
            ),
        ]

    def __str__(self):
        return format_tracking_code(self.tracking_code)

    def save(self, *args, **kwargs):
        if self.tracking_code:
            return super().save(*args, **kwargs)
        # A fresh code until one is free: collisions are rare, but must not lose a question.
        for _attempt in range(5):
            self.tracking_code = new_tracking_code()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Question.objects.filter(tracking_code=self.tracking_code).exists():
                    raise
        raise IntegrityError("no free tracking code")

    @property
    def code(self):
        """Return the tracking code as readers type it: HK7M-2QXP."""
        return format_tracking_code(self.tracking_code)

    @property
    def shown_text(self):
        return self.public_text or self.text

    def contact_details_shown(self):
        """Return the asker's name, e-mail and phone as given, those the public page would show.

        Looked for in the question as published and in the answer: the name whatever its
        accents and case, the e-mail whatever its case, the phone by its last nine digits
        however they are grouped ("0912 345 678", "+84 912.345.678").
        """
        shown = f"{self.shown_text}\n{html_to_text(self.answer)}"
        folded, digits = fold(shown), _digit_runs(shown)
        found = []
        if self.name.strip() and fold(self.name) in folded:
            found.append(self.name.strip())
        if self.email and self.email.casefold() in shown.casefold():
            found.append(self.email)
        phone = "".join(char for char in self.phone if char.isdigit())[-9:]
        if len(phone) >= 6 and phone in digits:
            found.append(self.phone)
        return found


def _digit_runs(text):
    """Return the text's digits, each run of them with its spaces, dots and dashes removed."""
    return _DIGIT_GAPS.sub("", text)


# Spaces, dots, dashes and brackets between two digits: how phone numbers are grouped.
_DIGIT_GAPS = re.compile(r"(?<=\d)[\s.\-()]+(?=[\d(])")
