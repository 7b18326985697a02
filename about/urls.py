from django.urls import path

from about import views

app_name = "about"

# Offered in Vietnamese (no prefix) and English (/en/…): see portal/urls.py.
urlpatterns = [
    path("gioi-thieu/", views.IntroIndexView.as_view(), name="intro"),
    path("gioi-thieu/<slug:slug>/", views.IntroPageView.as_view(), name="page"),
    path("lien-he/", views.ContactView.as_view(), name="contact"),
]
