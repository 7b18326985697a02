"""The calendar as iCalendar (RFC 5545), for Google Calendar, Apple Calendar and Outlook.

Each entry keeps one UID for life, and its SEQUENCE grows with every change readers see,
so a subscribed app replaces its copy of the event rather than adding another. Cancelled
entries are left out of the feed: a subscribed app removes an event that is no longer in
its feed, where STATUS:CANCELLED is shown struck through by some apps and hidden by others.
Times carry the Asia/Ho_Chi_Minh zone, with its VTIMEZONE.
"""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext
from icalendar import Calendar, Event

from about.identity import current_identity
from schedule.models import Entry, today

# How far back the feed reaches; everything published ahead is in it.
PAST_DAYS = 366
# How often apps are asked to read the feed again (RFC 7986, and Outlook's own property).
REFRESH = datetime.timedelta(hours=1)
PRODID = "-//Tinh doan//Lich cong tac//VI"


def description(entry, url):
    """Return the event's text: who presides, attends and prepares, notes, changes, link."""
    lines = []
    if entry.presiding_id:
        lines.append(f"{gettext('Presided by')}: {entry.presiding.name}")
    if attending := entry.attending_text():
        lines.append(f"{gettext('Attending')}: {attending}")
    if entry.preparing_department_id:
        lines.append(f"{gettext('Prepared by')}: {entry.preparing_department.name}")
    if entry.notes:
        lines.append(entry.notes)
    lines += [change.summary() for change in entry.changes.all()]
    lines.append(url)
    return "\n".join(lines)


def event(entry, url):
    component = Event()
    component.add("uid", str(entry.uid))
    # Without a METHOD of its own, DTSTAMP is when the event was last revised (RFC 5545).
    component.add("dtstamp", entry.updated_at)
    component.add("created", entry.created_at)
    component.add("last-modified", entry.updated_at)
    component.add("sequence", entry.sequence)
    component.add("dtstart", entry.start())
    if (end := entry.end()) is not None:
        component.add("dtend", end)
    component.add("summary", entry.title)
    if entry.place:
        component.add("location", entry.place)
    component.add("description", description(entry, url))
    component.add("url", url)
    component.add("status", "CONFIRMED")
    if entry.is_event:
        component.add("categories", [gettext("Event")])
    return component


def calendar_response(request, entries, leader=None):
    """Return the entries (a queryset) as an iCalendar file: the cancelled ones left out."""
    name = gettext("Work calendar of %(union)s") % {"union": current_identity().name}
    if leader is not None:
        name = f"{name}: {leader.name} ({leader.position})"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    since = today() - datetime.timedelta(days=PAST_DAYS)
    shown = entries.exclude(state=Entry.State.CANCELLED).filter(date__gte=since).for_display()
    for entry in shown:
        calendar.add_component(event(entry, request.build_absolute_uri(entry.get_absolute_url())))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    filename = f"lich-cong-tac-{leader.pk}.ics" if leader else "lich-cong-tac.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
