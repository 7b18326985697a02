from django import template
from django.urls import reverse

from news.models import Article, Stage

register = template.Library()

# The work queues on the admin's home page, in the order a newsroom works them.
QUEUES = [Stage.RETURNED, Stage.IN_REVIEW, Stage.APPROVED, Stage.SCHEDULED, Stage.TRASHED]


@register.simple_tag
def newsroom_counts(user):
    """Return the admin dashboard's work queues: label, count and link for each."""
    if not user.has_perm("news.view_article"):
        return []
    counts = Article.all_objects.visible_to(user).stage_counts(*QUEUES)
    changelist = reverse("admin:news_article_changelist")
    links = {stage: f"{changelist}?stage={stage.value}" for stage in QUEUES}
    links[Stage.TRASHED] = reverse("admin:news_trashedarticle_changelist")
    return [(stage.label, counts[stage], links[stage]) for stage in QUEUES]
