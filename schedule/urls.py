import datetime

from django.urls import path, register_converter

from schedule import views


class DateConverter:
    """A day as yyyy-mm-dd: anything else, or a day that does not exist, is a 404."""

    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat()


register_converter(DateConverter, "day")

app_name = "schedule"

urlpatterns = [
    path("", views.WeekView.as_view(), name="current-week"),
    path("tuan/<day:monday>/", views.WeekView.as_view(), name="week"),
    path("su-kien/", views.EventListView.as_view(), name="events"),
    path("lich-cong-tac.ics", views.calendar_feed, name="feed"),
    path("lanh-dao/<int:pk>.ics", views.leader_feed, name="leader-feed"),
]
