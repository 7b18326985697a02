"""Template tags of the public pages: absolute addresses and structured data."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from about.identity import publisher_of
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
    """Return a time in Vietnam's zone as ISO 8601 to the second: 2023-01-12T03:00:00+07:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


@register.inclusion_tag("news/includes/card.html")
def article_card(
    article, level=3, show_category=False, compact=False, eager=False, title=None, lead=None
):
    """Render a news card: cover photo, title, date, the category if asked, the lead.

    `article` is an Article (its cover prefetched: ArticleQuerySet.with_cover()) or an
    ArticleCard. `level` is the title's heading level, `compact` leaves the lead out and
    `eager` is for the first card above the fold. `title` and `lead` replace the
    article's own with safe markup (search results, their matches marked).
    """
    published = timezone.localtime(article.published_at) if article.published_at else None
    return {
        "url": article.get_absolute_url(),
        "photo": article.cover_photo,
        "eager": eager,
        "level": level,
        "title": article.title if title is None else title,
        "published": published,
        "published_iso": published.isoformat() if published else "",
        "category": article.category if show_category else None,
        "compact": compact,
        "lead": Truncator(article.lead).words(40, truncate=" …") if lead is None else lead,
    }


def article_publisher(article):
    """Return the identity that ran the portal when the article was published."""
    # A draft seen in a preview has no publication time yet: today's identity.
    return publisher_of(article.published_at or timezone.now())


@register.simple_tag
def publisher(article):
    """Give a template the article's publisher: {% publisher article as publisher %}."""
    return article_publisher(article)


def article_facts(context, article):
    """Return what an article's metadata says of it: one source for JSON-LD and Dublin Core.

    The publisher is the union as it was on the publication date: an article of 2022
    stays Tỉnh đoàn Bắc Kạn's after the merger.
    """
    request, identity = context["request"], article_publisher(article)
    # A draft seen in a preview has no publication time yet.
    published = article.published_at or article.updated_at
    return {
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "title": article.title,
        "description": article.lead,
        "published": iso_local(published),
        "modified": iso_local(max(article.updated_at, published)),
        "language": "vi",
        "author": article.author_name,
        # Without a byline, the union wrote it.
        "creator": article.author_name or str(identity.name),
        "publisher": str(identity.long_name),
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, cover=None):
    """Return the schema.org NewsArticle of an article, as a JSON-LD script element."""
    request, identity = context["request"], article_publisher(article)
    facts = article_facts(context, article)
    logo = identity.publisher_logo
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": facts["url"],
        "headline": facts["title"][:110],
        "description": facts["description"],
        "datePublished": facts["published"],
        "dateModified": facts["modified"],
        "inLanguage": facts["language"],
        "author": {
            "@type": "Person" if facts["author"] else "Organization",
            "name": facts["creator"],
        },
        "publisher": {
            "@type": "Organization",
            "name": facts["publisher"],
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


@register.simple_tag(takes_context=True)
def article_dublin_core(context, article):
    """Return the Dublin Core elements of an article, as <meta> tags (DCMI's HTML encoding)."""
    facts = article_facts(context, article)
    elements = [
        ("DC.title", facts["title"]),
        ("DC.creator", facts["creator"]),
        ("DC.date", facts["published"]),
        ("DC.description", facts["description"]),
        ("DC.publisher", facts["publisher"]),
        ("DC.identifier", facts["url"]),
        ("DC.language", facts["language"]),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
    ]
    schema = '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">'
    tags = format_html_join("\n  ", '<meta name="{}" content="{}">', elements)
    return format_html("{}\n  {}", mark_safe(schema), tags)
