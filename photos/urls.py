from django.urls import path

from photos import views

app_name = "photos"

urlpatterns = [
    path("upload/", views.upload, name="ckeditor-upload"),
    path("browse/", views.browse, name="ckeditor-browse"),
]
