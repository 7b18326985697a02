from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from news.models import Article

register = template.Library()


@register.simple_tag
def newsroom_counts(user):
    """Return the admin dashboard's work queues: label, count and link for each."""
    if not user.has_perm("news.view_article"):
        return []
    articles, trashed = Article.objects.all(), Article.all_objects.trashed()
    if not (user.has_perm("news.review_article") or user.has_perm("news.publish_article")):
        articles, trashed = articles.filter(created_by=user), trashed.filter(created_by=user)
    changelist = reverse("admin:news_article_changelist")
    queues = [
        (_("Waiting for review"), articles.filter(status=Article.Status.REVIEW), "?queue=review"),
        (
            _("Approved, waiting for publication"),
            articles.filter(status=Article.Status.REVIEW, approved_at__isnull=False),
            "?queue=approved",
        ),
        (_("Scheduled"), articles.scheduled(), "?queue=scheduled"),
    ]
    counts = [(label, queryset.count(), changelist + query) for label, queryset, query in queues]
    counts.append((_("Trash"), trashed.count(), reverse("admin:news_article_trash")))
    return counts
