import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Stage

register = template.Library()

# The work queues on the admin's home page, in the order a newsroom works them.
QUEUES = [Stage.RETURNED, Stage.IN_REVIEW, Stage.APPROVED, Stage.SCHEDULED, Stage.TRASHED]


@register.simple_tag
def newsroom_counts(user):
    """Return the admin dashboard's work queues: label, count and link for each."""
    if not user.has_perm("news.view_article"):
        return []
    counts = Article.all_objects.visible_to(user).stage_counts(*QUEUES)
    changelist = reverse("admin:news_article_changelist")
    links = {stage: f"{changelist}?stage={stage.value}" for stage in QUEUES}
    links[Stage.TRASHED] = reverse("admin:news_trashedarticle_changelist")
    return [(stage.label, counts[stage], links[stage]) for stage in QUEUES]


class DateBounds:
    """What Django's date hierarchy asks of a list, answered from its first and last dates.

    Django finds the years, months and days with a DISTINCT over every row; here two
    index lookups give the first and last dates, and every period between them is offered.
    """

    def __init__(self, queryset, field):
        dates = queryset.filter(**{f"{field}__isnull": False}).values_list(field, flat=True)
        self.first = dates.order_by(field).first()
        self.last = dates.order_by(f"-{field}").first()

    def aggregate(self, **aggregates):
        return {"first": self.first, "last": self.last}

    def datetimes(self, field, kind):
        if self.first is None:
            return []
        first, last = _local(self.first), _local(self.last)
        if kind == "year":
            return [first.replace(year=year) for year in range(first.year, last.year + 1)]
        if kind == "month":
            return [
                first.replace(day=1, month=month) for month in range(first.month, last.month + 1)
            ]
        days = (_day(last) - _day(first)).days
        return [first + datetime.timedelta(days=day) for day in range(days + 1)]

    dates = datetimes


def _local(value):
    """Return a moment in Vietnam's time; a date (a DateField's hierarchy) as it is."""
    return timezone.localtime(value) if isinstance(value, datetime.datetime) else value


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


class BoundedChangeList:
    """The change list, with DateBounds in place of its queryset for the date hierarchy."""

    def __init__(self, changelist):
        self._changelist = changelist
        dated = getattr(changelist, "dated_queryset", changelist.queryset)
        self.queryset = DateBounds(dated, changelist.date_hierarchy)

    def __getattr__(self, name):
        return getattr(self._changelist, name)


@register.inclusion_tag("admin/date_hierarchy.html")
def bounded_date_hierarchy(changelist):
    """Django's date hierarchy, without reading every row of the list."""
    return date_hierarchy(BoundedChangeList(changelist))
