from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.beacon, name="beacon"),
    path("thong-ke/", views.summary, name="summary"),
]
