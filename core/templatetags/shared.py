"""{% shared "name" %}…{% endshared %}: a part all pages draw alike, drawn once per version.

The site's header (menu included) and footer are the same on every page. Inside this
tag they are rendered by the first page after a change and then reused by all pages,
in each language, until the content version moves on (core.cache.remember: exact,
not timed). Only what is the same for every reader and every page may go inside: no
request path, user, form token or per-page block. With the page cache off
(DJANGO_PAGE_CACHE=0) they are drawn on every page like the rest.
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import cache

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        if not settings.PAGE_CACHE_ENABLED:
            return self.nodelist.render(context)
        key = f"fragment:{self.name}:{get_language()}"
        return mark_safe(cache.remember(key, lambda: str(self.nodelist.render(context))))


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% shared "name" %}…{% endshared %}.')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)
