from django.urls import path

from documents import feeds, views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document-list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("<int:pk>/tep/<int:file_pk>/", views.document_file, name="file"),
    path("xem-truoc/<int:pk>/", views.DocumentPreviewView.as_view(), name="document-preview"),
    path("rss/", feeds.LatestDocumentsFeed(), name="feed-rss"),
]
