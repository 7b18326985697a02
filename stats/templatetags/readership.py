from django import template

from news.models import Article
from stats.models import most_read

register = template.Library()


@register.simple_tag
def most_read_articles(days, limit):
    """Return the published articles most read over the last `days` days, at most `limit`.

    {% most_read_articles 7 5 as articles %}: each has its title, address and `views`.
    """
    return list(most_read(Article.objects.published().for_cards(), days=days)[:limit])
