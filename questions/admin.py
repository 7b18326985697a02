import copy
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import StaffListFilter
from core.names import staff_name
from questions import mail
from questions.models import Question, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class QuestionAdminForm(forms.ModelForm):
    send_answer = forms.BooleanField(
        label=_("E-mail the answer to the asker when saving"),
        required=False,
        help_text=_("Marks the question answered. Only for askers who gave an e-mail address."),
    )

    # Carries the contact details the editor was warned about, once.
    contact_details_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Question
        fields = ["status", "assigned_to", "answer", "is_published", "public_text"]

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer", self.instance.answer)
        if cleaned.get("send_answer"):
            if not self.instance.email:
                self.add_error("send_answer", _("The asker gave no e-mail address."))
            elif not answer:
                self.add_error("answer", _("Write the answer before sending it."))
            else:
                cleaned["status"] = Question.Status.ANSWERED
                self.instance.status = Question.Status.ANSWERED
        status = cleaned.get("status", self.instance.status)
        if status == Question.Status.ANSWERED and not answer:
            self.add_error("answer", _("A question marked answered needs an answer."))
        if cleaned.get("is_published", self.instance.is_published) and (
            status != Question.Status.ANSWERED
        ):
            self.add_error("is_published", _("Only answered questions can be published."))
        self.check_contact_details(cleaned)
        return cleaned

    def check_contact_details(self, cleaned):
        """Ask once before publishing an answer or question that shows who asked."""
        if not cleaned.get("is_published") or not (
            {"is_published", "answer", "public_text"} & set(self.changed_data)
        ):
            return
        published = copy.copy(self.instance)
        published.answer = cleaned.get("answer", published.answer)
        published.public_text = cleaned.get("public_text", published.public_text)
        found = published.contact_details_shown()
        if not found or cleaned.get("contact_details_confirmed") == " | ".join(found):
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("contact_details_confirmed")] = " | ".join(found)
        self.add_error(
            "is_published",
            ValidationError(
                _(
                    "Readers would see who asked: %(details)s. Remove it from the answer "
                    "(and from the question as published), or press Save again to publish "
                    "it as it is."
                ),
                code="contact_details",
                params={"details": ", ".join(f"“{detail}”" for detail in found)},
            ),
        )


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = [
        "code",
        "topic",
        "excerpt",
        "created_at",
        "status",
        "assignee",
        "answer_emailed_at",
        "is_published",
    ]
    list_filter = [
        "status",
        "topic",
        "is_published",
        ("assigned_to", StaffListFilter),
    ]
    list_select_related = ["topic", "assigned_to"]
    search_fields = ["tracking_code", "text", "name", "email", "phone"]
    date_hierarchy = "created_at"
    actions = ["assign_to_me", "mark_in_progress", "email_answers", "publish", "unpublish"]
    readonly_fields = [
        "code",
        "created_at",
        "name",
        "email",
        "phone",
        "topic",
        "text",
        "answered_at",
        "answerer",
        "answer_emailed_at",
    ]
    fieldsets = [
        (
            _("Question"),
            {"fields": ["code", "created_at", "topic", "text", "name", "email", "phone"]},
        ),
        (_("Handling"), {"fields": ["status", "assigned_to"]}),
        (
            _("Answer"),
            {
                "fields": [
                    "answer",
                    "send_answer",
                    "answered_at",
                    "answerer",
                    "answer_emailed_at",
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["is_published", "public_text", "contact_details_confirmed"]},
        ),
    ]

    @admin.display(description=_("tracking code"), ordering="tracking_code")
    def code(self, question):
        return question.code

    # Staff named as everywhere in the admin (core.names): family name first.
    @admin.display(
        description=_("assigned to"),
        ordering=Concat("assigned_to__last_name", "assigned_to__first_name"),
    )
    def assignee(self, question):
        return staff_name(question.assigned_to, nobody="—")

    @admin.display(description=_("answered by"))
    def answerer(self, question):
        return staff_name(question.answered_by, nobody="—")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assigned_to":
            field.label_from_instance = staff_name
        return field

    @admin.display(description=_("question"))
    def excerpt(self, question):
        text = " ".join(question.text.split())
        return text if len(text) <= 80 else text[:79] + "…"

    def has_add_permission(self, request):
        return False  # Questions come from the public form.

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("questions.publish_question"):
            fields += ["is_published", "public_text"]
        return fields

    def has_publish_permission(self, request):
        return request.user.has_perm("questions.publish_question")

    def save_model(self, request, obj, form, change):
        if obj.status == Question.Status.ANSWERED and obj.answered_at is None:
            obj.answered_at, obj.answered_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("send_answer"):
            transaction.on_commit(partial(self.email_answer, request, obj))

    def email_answer(self, request, question):
        if mail.queue_answer(question.pk):
            self.message_user(
                request,
                _("The answer will be e-mailed to %(email)s in a moment.")
                % {"email": question.email},
            )
        else:
            self.message_user(
                request,
                _(
                    "The answer is saved, but the e-mail to %(email)s could not be sent. "
                    "Try again later with the action “E-mail the answers”."
                )
                % {"email": question.email},
                messages.ERROR,
            )

    @admin.action(description=_("Assign the selected questions to me"))
    def assign_to_me(self, request, queryset):
        count = queryset.update(assigned_to=request.user)
        self.message_user(
            request,
            ngettext("%d question assigned to you.", "%d questions assigned to you.", count)
            % count,
        )

    @admin.action(description=_("Mark the selected new questions as in progress"))
    def mark_in_progress(self, request, queryset):
        count = queryset.filter(status=Question.Status.NEW).update(
            status=Question.Status.IN_PROGRESS
        )
        self.message_user(
            request,
            ngettext("%d question marked in progress.", "%d questions marked in progress.", count)
            % count,
        )

    @admin.action(description=_("E-mail the answers of the selected questions"))
    def email_answers(self, request, queryset):
        eligible = queryset.filter(status=Question.Status.ANSWERED).exclude(email="")
        queued = failed = 0
        for pk in eligible.values_list("pk", flat=True):
            if mail.queue_answer(pk):
                queued += 1
            else:
                failed += 1
        skipped = queryset.count() - queued - failed
        self.message_user(
            request,
            _(
                "Answers to be e-mailed in a moment: %(queued)d; not sent: %(failed)d; "
                "skipped: %(skipped)d."
            )
            % {"queued": queued, "failed": failed, "skipped": skipped},
            messages.ERROR if failed else messages.SUCCESS,
        )

    @admin.action(description=_("Publish the selected answered questions"), permissions=["publish"])
    def publish(self, request, queryset):
        answered = list(queryset.filter(status=Question.Status.ANSWERED))
        showing = [question for question in answered if question.contact_details_shown()]
        kept = {question.pk for question in answered} - {question.pk for question in showing}
        count = Question.objects.filter(pk__in=kept).update(is_published=True)
        self.message_user(
            request,
            ngettext("%d question published.", "%d questions published.", count) % count,
        )
        if showing:
            self.message_user(
                request,
                _(
                    "Not published, as readers would see who asked: %(codes)s. Open each one "
                    "to remove it, or to publish it as it is."
                )
                % {"codes": ", ".join(question.code for question in showing)},
                messages.WARNING,
            )

    @admin.action(
        description=_("Withdraw the selected questions from the public page"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(
            request,
            ngettext("%d question withdrawn.", "%d questions withdrawn.", count) % count,
        )
