"""The leaders' weekly work calendar (lịch công tác tuần) and the union's events.

Staff draft a week; a leader publishes it and its entries go live together. After that an
entry is never edited silently: every edit that changes what readers see is recorded as
an EntryChange (what changed, when, why), the entry is marked changed, added or cancelled,
and its iCalendar SEQUENCE moves on so that calendar apps update their copy.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from about.models import Department, Officer
from core.cache import PublicContent
from news.models import Article

WEEK = datetime.timedelta(days=7)
# Weeks readers may ask for: outside, a page is a 404 rather than a date overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def week_start(day):
    """Return the Monday of the week (Monday to Sunday) that holds day."""
    return day - datetime.timedelta(days=day.weekday())


def in_calendar_range(day):
    return FIRST_YEAR <= day.year <= LAST_YEAR


def today():
    """Return today's date in Vietnam (settings.TIME_ZONE), whatever zone is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def next_change(now):
    """Return the next local midnight, when the calendar's pages change without a write.

    "Today" is marked on the week, the current week and the upcoming events follow the
    date. Registered with the page cache (schedule.apps). A published calendar is the
    normal case, so no query is spent to find out whether there is one.
    """
    zone = timezone.get_default_timezone()
    tomorrow = timezone.localtime(now, zone).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)


def leaders():
    """Return the officers of the standing committee, as the directory orders them."""
    return Officer.objects.filter(department__is_leadership=True).order_by(
        "department__order", "order", "name"
    )


def day_text(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def time_text(time):
    return time.strftime("%H:%M") if time else ""


class WeekQuerySet(models.QuerySet):
    def published(self):
        """Return the weeks readers may see."""
        return self.filter(status=Week.Status.PUBLISHED)

    def visible_to(self, user):
        """Return the weeks the user sees on the site: staff who draft see drafts too."""
        return self if user.has_perm("schedule.view_week") else self.published()


class Week(PublicContent, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    monday = models.DateField(
        _("week"),
        unique=True,
        help_text=_("Any day of the week: the calendar covers it from Monday to Sunday."),
        error_messages={"unique": _("This week already has a calendar.")},
    )
    note = models.TextField(
        _("note for readers"),
        blank=True,
        help_text=_("Shown above the week's entries, e.g. “The calendar may change.”"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = WeekQuerySet.as_manager()

    class Meta:
        ordering = ["-monday"]
        get_latest_by = "monday"
        verbose_name = _("week's work calendar")
        verbose_name_plural = _("weekly work calendars")
        permissions = [
            ("publish_week", _("Can publish a week's work calendar")),
            ("revise_published_week", _("Can change a published week's work calendar")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_week_has_a_publication_time",
                violation_error_message=_("A published week needs its publication time."),
            )
        ]

    def __str__(self):
        return gettext("Week of %(first)s to %(last)s") % {
            "first": day_text(self.monday),
            "last": day_text(self.sunday),
        }

    def save(self, *args, **kwargs):
        self.monday = week_start(self.monday)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("schedule:week", kwargs={"monday": self.monday})

    def clean(self):
        super().clean()
        if self.monday:
            self.monday = week_start(self.monday)
            if not in_calendar_range(self.monday):
                raise ValidationError(
                    {
                        "monday": _("Choose a week between %(first)d and %(last)d.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR}
                    }
                )

    @property
    def sunday(self):
        return self.monday + datetime.timedelta(days=6)

    @property
    def days(self):
        return [self.monday + datetime.timedelta(days=offset) for offset in range(7)]

    @property
    def is_published(self):
        return self.status == Week.Status.PUBLISHED

    def is_public(self):
        """Readers see a week's entries once it is published (portal.admin_site)."""
        return self.is_published

    def editable_by(self, user):
        """Return True if the user may change the week and its entries now.

        Drafts are everyone's who drafts; once published, only those who may revise it.
        """
        if not user.has_perm("schedule.change_week"):
            return False
        return not self.is_published or user.has_perm("schedule.revise_published_week")

    def publish(self, user):
        """Publish the week: its entries go live together. Return False if it already was."""
        if self.is_published:
            return False
        self.status = Week.Status.PUBLISHED
        self.published_at = timezone.now()
        self.published_by = user
        self.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        return True

    @transaction.atomic
    def copy_to_following(self):
        """Return a draft of the following week holding this week's entries a week later.

        Cancelled entries are left out; the copies are new entries (new identities in
        calendar apps), as planned. Return None if the following week has a calendar.
        """
        following = self.monday + WEEK
        if Week.objects.filter(monday=following).exists():
            return None
        week = Week.objects.create(monday=following, note=self.note)
        entries = self.entries.exclude(state=Entry.State.CANCELLED).prefetch_related(
            "attendees", "attending_departments"
        )
        for entry in entries:
            copy = Entry.objects.create(
                week=week,
                date=entry.date + WEEK,
                **{name: getattr(entry, name) for name in COPIED_FIELDS},
            )
            copy.attendees.set(entry.attendees.all())
            copy.attending_departments.set(entry.attending_departments.all())
        return week


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Return the entries readers may see: those of published weeks."""
        return self.filter(week__status=Week.Status.PUBLISHED)

    def events(self):
        """Return the events readers may attend."""
        return self.filter(is_event=True)

    def involving(self, officer):
        """Return the entries the officer presides or attends."""
        attended = Entry.attendees.through.objects.filter(officer=officer).values("entry")
        return self.filter(Q(presiding=officer) | Q(pk__in=attended))

    def between(self, first, last):
        return self.filter(date__gte=first, date__lte=last)

    def for_display(self):
        """Return entries with everything pages, feeds and the API show, in a fixed number of
        queries: who presides, attends and prepares, the changes, the published reports."""
        return self.select_related("week", "presiding", "preparing_department").prefetch_related(
            models.Prefetch("attendees", queryset=Officer.objects.order_by("order", "name")),
            "attending_departments",
            "changes",
            models.Prefetch(
                "articles",
                queryset=Article.objects.published().only("title", "slug", "published_at"),
                to_attr="reports",
            ),
        )


class Entry(PublicContent, models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("As planned")
        ADDED = "added", pgettext_lazy("calendar entry", "Added")
        CHANGED = "changed", pgettext_lazy("calendar entry", "Changed")
        CANCELLED = "cancelled", pgettext_lazy("calendar entry", "Cancelled")

    week = models.ForeignKey(
        Week, verbose_name=_("week"), on_delete=models.CASCADE, related_name="entries"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(
        _("starts at"), null=True, blank=True, help_text=_("Left empty for an all-day entry.")
    )
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(
        _("content"), max_length=500, help_text=_("What the meeting, visit or event is.")
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    presiding = models.ForeignKey(
        Officer,
        verbose_name=_("presided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_entries",
        help_text=_("From the directory of leaders and officers."),
    )
    attendees = models.ManyToManyField(
        Officer,
        verbose_name=_("attending officers"),
        blank=True,
        related_name="attended_entries",
    )
    attending_departments = models.ManyToManyField(
        Department,
        verbose_name=_("attending units"),
        blank=True,
        related_name="attended_entries",
    )
    other_attendees = models.CharField(
        _("other attendees"),
        max_length=500,
        blank=True,
        help_text=_("Who else attends, in words: “Secretaries of the district unions”."),
    )
    preparing_department = models.ForeignKey(
        Department,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prepared_entries",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_event = models.BooleanField(
        _("event open to the public"),
        default=False,
        help_text=_("Tick for an event readers may attend: it is listed among the events."),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("articles about it"),
        blank=True,
        related_name="schedule_entries",
        help_text=_("News reporting the event, listed with it once published."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.PLANNED, editable=False
    )
    # The iCalendar identity and revision: calendar apps replace their copy of an event
    # with the same UID when the SEQUENCE grows.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", F("starts_at").asc(nulls_first=True), "pk"]
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        indexes = [models.Index(fields=["date"], name="schedule_entry_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="entry_ends_after_it_starts",
                violation_error_message=_(
                    "The end must come after the start; an all-day entry has no end time."
                ),
            )
        ]

    def __str__(self):
        return f"{day_text(self.date)} {self.time_text}: {self.title}"

    def get_absolute_url(self):
        # From the day, not the week: the article pages list entries without their weeks.
        url = reverse("schedule:week", kwargs={"monday": week_start(self.date)})
        return f"{url}#{self.anchor}"

    def is_public(self):
        """Readers see an entry, changed or cancelled, once its week is published."""
        return self.week.is_published

    def clean(self):
        super().clean()
        week = self.week if self.week_id else None
        if week and self.date and not week.monday <= self.date <= week.sunday:
            raise ValidationError(
                {
                    "date": _(
                        "The date must be in the week of %(first)s to %(last)s. To move an "
                        "entry to another week, cancel it and add it there."
                    )
                    % {"first": day_text(week.monday), "last": day_text(week.sunday)}
                }
            )

    @property
    def anchor(self):
        return f"lich-{self.pk}"

    @property
    def time_text(self):
        """Return the time as readers see it: "08:00 – 11:30", "14:00" or "All day"."""
        if self.starts_at is None:
            return gettext("All day")
        if self.ends_at is None:
            return time_text(self.starts_at)
        return f"{time_text(self.starts_at)} – {time_text(self.ends_at)}"

    @property
    def is_cancelled(self):
        return self.state == Entry.State.CANCELLED

    def start(self):
        """Return the start as an aware datetime in Vietnam, or the date for an all-day entry."""
        if self.starts_at is None:
            return self.date
        return datetime.datetime.combine(
            self.date, self.starts_at, tzinfo=timezone.get_default_timezone()
        )

    def end(self):
        """Return the end as an aware datetime, the next day for an all-day entry, or None."""
        if self.starts_at is None:
            return self.date + datetime.timedelta(days=1)
        if self.ends_at is None:
            return None
        return datetime.datetime.combine(
            self.date, self.ends_at, tzinfo=timezone.get_default_timezone()
        )

    def attending_text(self):
        """Return who attends, in one line: officers, units, then the others in words."""
        names = [officer.name for officer in self.attendees.all()]
        names += [department.name for department in self.attending_departments.all()]
        if self.other_attendees:
            names.append(self.other_attendees)
        return "; ".join(names)

    def shown(self):
        """Return {item: text} of what readers see of the entry, to compare across an edit."""
        return {
            "date": day_text(self.date),
            "time": self.time_text,
            "title": self.title,
            "place": self.place,
            "presiding": self.presiding.name if self.presiding_id else "",
            "attending": self.attending_text(),
            "preparing": self.preparing_department.name if self.preparing_department_id else "",
            "notes": self.notes,
        }

    def after_edit(self, before, *, cancelled=None, note="", user=None):
        """Record, after an edit is saved (attendees included), what readers see changed.

        Every path that edits entries calls it: the entry's form and the week's rows in the
        admin. `before` is shown() as the entry was, or None for a new entry; `cancelled`
        True cancels it, False restores it, None leaves that as it was. Entries of a draft
        week change freely; in a published week the edit is recorded for readers, the
        entry is marked, and its revision in calendar apps moves on. Return the record.
        """
        if not self.week.is_published:
            return None
        Kind, State = EntryChange.Kind, Entry.State
        items = []
        if before is None:
            kind, state = Kind.ADDED, State.ADDED
        else:
            after = self.shown()
            items = [[key, before.get(key, ""), text] for key, text in after.items()]
            items = [item for item in items if item[1] != item[2]]
            if cancelled and not self.is_cancelled:
                kind, state = Kind.CANCELLED, State.CANCELLED
            elif cancelled is False and self.is_cancelled:
                kind, state = Kind.RESTORED, State.CHANGED
            elif items:
                kind = Kind.CHANGED
                state = State.CANCELLED if self.is_cancelled else State.CHANGED
            else:
                return None
        self.state = state
        self.sequence += 1
        self.save(update_fields=["state", "sequence", "updated_at"])
        return self.changes.create(kind=kind, items=items, note=note, by=user)


# What a copy of an entry keeps besides its date and its attendees.
COPIED_FIELDS = (
    "starts_at",
    "ends_at",
    "title",
    "place",
    "presiding",
    "other_attendees",
    "preparing_department",
    "notes",
    "is_event",
)


class EntryChange(PublicContent, models.Model):
    """What an edit after publication changed in an entry, shown to readers with its time."""

    class Kind(models.TextChoices):
        ADDED = "added", pgettext_lazy("calendar change", "Added")
        CHANGED = "changed", pgettext_lazy("calendar change", "Changed")
        CANCELLED = "cancelled", pgettext_lazy("calendar change", "Cancelled")
        RESTORED = "restored", pgettext_lazy("calendar change", "Restored")

    # The items of Entry.shown() as readers read their names.
    ITEMS = {
        "date": _("date"),
        "time": pgettext_lazy("calendar", "time"),
        "title": _("content"),
        "place": _("place"),
        "presiding": _("presided by"),
        "attending": _("attending"),
        "preparing": _("prepared by"),
        "notes": _("notes"),
    }

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # [item, before, after] for each item of Entry.shown() the edit changed.
    items = models.JSONField(_("what changed"), default=list, blank=True)
    note = models.TextField(_("note for readers"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")

    def __str__(self):
        return f"{self.get_kind_display()} {formats.date_format(timezone.localtime(self.at))}"

    def shown_items(self):
        """Return (name, before, after) of each changed item, for readers."""
        return [(self.ITEMS[key], old, new) for key, old, new in self.items if key in self.ITEMS]

    def summary(self):
        """Return the change in a line: "Changed at 10:15 on 25/03/2025: time: 08:00 → 14:00."."""
        at = timezone.localtime(self.at, timezone.get_default_timezone())
        text = gettext("%(kind)s at %(time)s on %(date)s") % {
            "kind": self.get_kind_display(),
            "time": at.strftime("%H:%M"),
            "date": day_text(at.date()),
        }
        details = "; ".join(
            f"{name}: {old or '—'} → {new or '—'}" for name, old, new in self.shown_items()
        )
        if details:
            text = f"{text}: {details}."
        if self.note:
            text = f"{text} {self.note}" if details else f"{text}: {self.note}"
        return text if text[-1] in ".!?…" else f"{text}."
