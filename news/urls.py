from django.urls import path

from news import views

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tin-tuc/", views.ArticleListView.as_view(), name="article-list"),
    path("tin-tuc/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("xem-truoc/bai/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("xem-truoc/<str:token>/", views.SharedArticleView.as_view(), name="article-share"),
    path("chuyen-muc/<slug:slug>/", views.CategoryDetailView.as_view(), name="category-detail"),
]
