"""Template tags of the public pages: absolute addresses and structured data."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from news.photos import photo_meta

register = template.Library()

# As django.utils.html.json_script escapes: no "</script>" can close the element early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """Return path as a full address on this site (for canonical links and sharing)."""
    return context["request"].build_absolute_uri(path)


@register.filter
def iso_local(moment):
    """Return a time in Vietnam's zone as ISO 8601: 2023-01-12T03:00:00+07:00."""
    return timezone.localtime(moment).isoformat() if moment else ""


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, cover=None):
    """Return the schema.org NewsArticle of an article, as a JSON-LD script element."""
    request, identity = context["request"], context["identity"]
    logo = identity.publisher_logo
    # A draft seen in a preview has no publication time yet.
    published = article.published_at or article.updated_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": iso_local(published),
        "dateModified": iso_local(max(article.updated_at, published)),
        "inLanguage": "vi",
        "author": (
            {"@type": "Person", "name": article.author_name}
            if article.author_name
            else {"@type": "Organization", "name": str(identity.name)}
        ),
        "publisher": {
            "@type": "Organization",
            "name": str(identity.long_name),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(logo.url),
                "width": logo.width,
                "height": logo.height,
            },
        },
    }
    if article.category:
        data["articleSection"] = article.category.name
    if cover:
        image = photo_meta(cover, request)
        data["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
