from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("luot-xem/", views.beacon, name="beacon"),
    path("luot-xem/thong-ke/", views.summary, name="summary"),
    path("doc-nhieu/", views.MostReadView.as_view(), name="most-read"),
]
