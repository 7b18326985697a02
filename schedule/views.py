import calendar
import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from schedule import feeds
from schedule.forms import WeekChoiceForm
from schedule.models import WEEK, Entry, Week, in_calendar_range, leaders, today, week_start

# Past events the events page lists, newest first.
PAST_EVENTS = 20
WEEKDAY_INITIALS = [
    pgettext_lazy("weekday initials", "Mo"),
    pgettext_lazy("weekday initials", "Tu"),
    pgettext_lazy("weekday initials", "We"),
    pgettext_lazy("weekday initials", "Th"),
    pgettext_lazy("weekday initials", "Fr"),
    pgettext_lazy("weekday initials", "Sa"),
    pgettext_lazy("weekday initials", "Su"),
]


def week_url(monday, leader=None):
    url = reverse("schedule:week", kwargs={"monday": monday})
    return f"{url}?lanh_dao={leader.pk}" if leader else url


def subscribe_urls(request, path):
    """Return the feed's address for downloading and for subscribing (webcal://)."""
    url = request.build_absolute_uri(path)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def month_table(monday, leader):
    """Return the month of the week (its Thursday's, as ISO weeks count) as rows of days,
    each row leading to its week: the page's date picker, drawn without a script."""
    thursday = monday + datetime.timedelta(days=3)
    first = thursday.replace(day=1)
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return {
        "month": first,
        "weekdays": WEEKDAY_INITIALS,
        "weeks": [(week_url(days[0], leader), days[0] == monday, days) for days in weeks],
        "previous_url": week_url(week_start((first - WEEK).replace(day=15)), leader),
        "next_url": week_url(week_start(following.replace(day=15)), leader),
    }


class WeekView(TemplateView):
    """A week of the calendar, Monday to Sunday; without a date, the current week.

    Readers see published weeks; staff who draft see drafts too, marked as such (the page
    is then rendered for them alone: the page cache never stores a staff member's page).
    """

    template_name = "schedule/week.html"

    def get(self, request, monday=None):
        form = WeekChoiceForm(request.GET)
        valid = form.is_valid()
        leader = form.cleaned_data["lanh_dao"] if valid else None
        if valid and form.cleaned_data["ngay"]:
            return redirect(week_url(week_start(form.cleaned_data["ngay"]), leader))
        if monday is None:
            monday = week_start(today())
        elif monday.weekday():
            return redirect(week_url(week_start(monday), leader), permanent=True)
        if not in_calendar_range(monday):
            raise Http404
        if valid:
            # The form shows the week on the page, so that choosing a leader keeps it.
            form = WeekChoiceForm(initial={"ngay": monday, "lanh_dao": leader})
        context = self.get_context_data(monday=monday, form=form, leader=leader)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, monday, leader, **kwargs):
        week = Week.objects.visible_to(self.request.user).filter(monday=monday).first()
        entries = []
        if week is not None:
            entries = Entry.objects.filter(week=week).for_display()
            if leader is not None:
                entries = entries.involving(leader)
        by_day = {}
        for entry in entries:
            by_day.setdefault(entry.date, []).append(entry)
        now = today()
        days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
        feed = reverse("schedule:leader-feed", args=[leader.pk]) if leader else None
        return super().get_context_data(
            week=week,
            monday=monday,
            sunday=days[-1],
            days=[(day, by_day.get(day, []), day == now) for day in days],
            entry_count=len(entries),
            is_current=monday == week_start(now),
            leader=leader,
            previous_url=week_url(monday - WEEK, leader),
            next_url=week_url(monday + WEEK, leader),
            current_url=week_url(week_start(now), leader),
            month=month_table(monday, leader),
            today=now,
            feed=subscribe_urls(self.request, reverse("schedule:feed")),
            leader_feed=subscribe_urls(self.request, feed) if feed else None,
            **kwargs,
        )


class EventListView(TemplateView):
    """Events readers may attend: those to come, and the last ones with the news about them."""

    template_name = "schedule/events.html"

    def get_context_data(self, **kwargs):
        now = today()
        events = Entry.objects.published().events().for_display()
        return super().get_context_data(
            upcoming=events.filter(date__gte=now),
            past=events.filter(date__lt=now).order_by("-date", "-starts_at")[:PAST_EVENTS],
            **kwargs,
        )


def calendar_feed(request):
    """The whole published calendar as iCalendar, for calendar apps to subscribe to."""
    return feeds.calendar_response(request, Entry.objects.published())


def leader_feed(request, pk):
    """One leader's calendar: what the leader presides or attends."""
    leader = get_object_or_404(leaders(), pk=pk)
    return feeds.calendar_response(request, Entry.objects.published().involving(leader), leader)
