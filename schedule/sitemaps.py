"""The work calendar's XML sitemap: each published week, with its last change."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from schedule.models import Week


class WeekSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        weeks = Week.objects.published().annotate(entries_changed=Max("entries__updated_at"))
        return weeks.order_by("-monday")

    def lastmod(self, week):
        return max(filter(None, [week.published_at, week.updated_at, week.entries_changed]))


# Gathered by core.sitemaps.collect().
PAGES = ["schedule:current-week", "schedule:events"]
SITEMAPS = {"lich-cong-tac": WeekSitemap}
