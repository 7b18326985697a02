from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView

from core.ratelimit import RateLimit, client_key
from questions import mail
from questions.forms import QuestionForm, TrackForm
from questions.models import (
    Question,
    format_tracking_code,
    new_tracking_code,
    normalise_tracking_code,
)

SENT_SALT = "questions.sent"
SENT_MAX_AGE = 24 * 3600
PAGE_SIZE = 10


def rate_limit(name):
    limit, seconds = settings.QUESTIONS_RATE_LIMITS[name]
    return RateLimit(f"questions-{name}", limit, seconds)


@method_decorator(never_cache, name="dispatch")
class AskView(FormView):
    """The public form. Bots that fill in the honeypot get the usual answer, and nothing is kept."""

    form_class = QuestionForm
    template_name = "questions/ask.html"

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        client = client_key(request)
        per_client, everyone = rate_limit("per_client"), rate_limit("site")
        if per_client.exceeded(client) or everyone.exceeded("all"):
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        if form.is_from_a_bot:
            per_client.hit(client)
            return self.sent(new_tracking_code())
        if not form.is_valid():
            return self.form_invalid(form)
        # Counted before it is kept: of questions sent at once, only those within the
        # limits are stored, whichever worker process receives them.
        if not (per_client.hit(client) and everyone.hit("all")):
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        question = form.save()
        # Saved first: a mail server that is down never loses a question.
        transaction.on_commit(partial(mail.tell_staff, question.pk), robust=True)
        return self.sent(question.tracking_code)

    def sent(self, code):
        token = signing.dumps(code, salt=SENT_SALT)
        return redirect("questions:sent", token=token)


@method_decorator(never_cache, name="dispatch")
class SentView(TemplateView):
    template_name = "questions/sent.html"

    def get_context_data(self, **kwargs):
        try:
            code = signing.loads(self.kwargs["token"], salt=SENT_SALT, max_age=SENT_MAX_AGE)
        except signing.BadSignature:
            raise Http404 from None
        track_url = reverse("questions:track") + f"?code={format_tracking_code(code)}"
        return super().get_context_data(code=format_tracking_code(code), track_url=track_url)


@method_decorator(never_cache, name="dispatch")
class TrackView(TemplateView):
    """The asker follows the question with its code; contact details are never shown."""

    template_name = "questions/track.html"

    def get(self, request, *args, **kwargs):
        form = TrackForm(request.GET or None)
        context = {"form": form}
        status = 200
        if form.is_valid():
            lookups = rate_limit("lookups")
            if not lookups.hit(client_key(request)):
                context["rate_limited"] = True
                status = 429
            else:
                code = normalise_tracking_code(form.cleaned_data["code"])
                context["question"] = (
                    Question.objects.select_related("topic").filter(tracking_code=code).first()
                )
                context["searched"] = True
        return self.render_to_response(self.get_context_data(**context), status=status)


class PublishedListView(ListView):
    template_name = "questions/question_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Question.objects.published().select_related("topic").order_by("-answered_at", "-pk")
