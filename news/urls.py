from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from news import feeds, views
from news.sitemaps import GoogleNewsSitemap

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tin-tuc/", views.ArticleListView.as_view(), name="article-list"),
    re_path(
        r"^tin-tuc/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.ArticleMonthView.as_view(),
        name="article-month",
    ),
    path("tin-tuc/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("xem-truoc/bai/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("xem-truoc/<str:token>/", views.SharedArticleView.as_view(), name="article-share"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("chuyen-muc/<slug:slug>/", views.CategoryDetailView.as_view(), name="category-detail"),
    path("rss/", feeds.LatestNewsFeed(), name="feed-rss"),
    path("atom/", feeds.LatestNewsAtomFeed(), name="feed-atom"),
    # Google News' own sitemap of the last 48 hours (robots.txt names it).
    path(
        "sitemap-tin-moi.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": GoogleNewsSitemap}, "template_name": "news/sitemap_news.xml"},
        name="sitemap-news",
    ),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryNewsFeed(), name="category-feed-rss"),
    path("chuyen-muc/<slug:slug>/atom/", feeds.CategoryNewsAtomFeed(), name="category-feed-atom"),
]
