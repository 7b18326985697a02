from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Work calendar")

    def ready(self):
        from core.cache import register_scheduled_change
        from news.models import register_subject_link
        from schedule.models import Entry, next_change

        # "Today" on the calendar moves on at midnight, without a write.
        register_scheduled_change(next_change)
        # News reporting the same event are related news of each other, and an article's
        # page names the published entry it reports.
        register_subject_link(Entry._meta.get_field("articles"), shown=True)
