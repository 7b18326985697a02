from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("", views.PublishedListView.as_view(), name="list"),
    path("gui-cau-hoi/", views.AskView.as_view(), name="ask"),
    path("da-gui/<str:token>/", views.SentView.as_view(), name="sent"),
    path("theo-doi/", views.TrackView.as_view(), name="track"),
]
