from django.urls import path, register_converter

from communes import views


class YearConverter:
    """Four digits: anything else is a 404 before it reaches the database."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


register_converter(YearConverter, "year")

app_name = "communes"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program-list"),
    path("<year:year>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("<year:year>.csv", views.program_csv, name="program-csv"),
    path("<year:year>.json", views.program_json, name="program-json"),
    path("<year:year>/tin-bai/", views.ProgramArticleListView.as_view(), name="program-articles"),
    path("danh-sach-xa/", views.CommuneListView.as_view(), name="commune-list"),
    path(
        "danh-sach-xa/theo-don-vi-hien-nay/",
        views.CommuneNowListView.as_view(),
        name="commune-list-now",
    ),
    path("xa/<slug:slug>/", views.CommuneDetailView.as_view(), name="commune-detail"),
    path(
        "xa/<slug:slug>/tin-bai/", views.CommuneArticleListView.as_view(), name="commune-articles"
    ),
]
