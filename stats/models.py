"""Page views, counted without cookies or addresses: one row per article per day, one per day.

The browser reports a view with a beacon after the page is shown (static/js/site.js),
so pages served whole from a cache still count, and the page never waits for the write;
stats/counting.py decides what counts and writes the views in batches.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def add_views(model, views, **key):
    """Add views to the row of model with key: one UPDATE, an INSERT the first time."""
    if model.objects.filter(**key).update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            model.objects.create(views=views, **key)
    except IntegrityError:
        # Another process created the row in between.
        model.objects.filter(**key).update(views=F("views") + views)


class ArticleDayQuerySet(models.QuerySet):
    def since(self, days):
        """Return the rows of the last `days` days, today included (Vietnam's days)."""
        return self.filter(day__gt=timezone.localdate() - datetime.timedelta(days=days))


class ArticleDay(models.Model):
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="daily_views",
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    objects = ArticleDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("article views on a day")
        verbose_name_plural = _("article views per day")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="article_day_unique")
        ]
        # Most-read lists read the recent days first.
        indexes = [models.Index(fields=["day", "article"], name="article_day_by_day")]

    def __str__(self):
        return f"{self.article_id} · {self.day}: {self.views}"


class SiteDayQuerySet(models.QuerySet):
    def totals(self):
        """Return {"today": views today, "total": views ever}, in one query."""
        return self.aggregate(
            today=Sum("views", filter=models.Q(day=timezone.localdate()), default=0),
            total=Sum("views", default=0),
        )


class SiteDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    views = models.PositiveIntegerField(_("page views"), default=0)

    objects = SiteDayQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("site views on a day")
        verbose_name_plural = _("site views per day")

    def __str__(self):
        return f"{self.day}: {self.views}"


def most_read(articles, days):
    """Return articles (a queryset of Article) by views over the last `days` days, most first.

    Each carries `views`; articles nobody read in the period are left out.
    """
    since = timezone.localdate() - datetime.timedelta(days=days)
    # Start from the period's rows (few, by the day index), not from every article.
    read = ArticleDay.objects.filter(day__gt=since).values("article_id")
    return (
        articles.filter(pk__in=read)
        .annotate(views=Sum("daily_views__views", filter=models.Q(daily_views__day__gt=since)))
        .order_by("-views", "-published_at", "-pk")
    )
