"""What crawlers are asked not to read: views say so themselves, and robots.txt follows.

`@not_for_crawlers` marks a view (a preview, an uploader, a counter); robots.txt
disallows the fixed start of its address, read from the URLconf, wherever the project
mounts the app.
"""

import re

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

# Where a regular expression stops being plain text.
_REGEX_SPECIAL = re.compile(r"[\\.^$*+?{}\[\]|()]")


def not_for_crawlers(view):
    """Mark a view whose pages crawlers are asked not to read (robots.txt Disallow)."""
    view.not_for_crawlers = True
    return view


def _fixed_start(pattern):
    """Return the text every address of the pattern starts with."""
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return str(pattern._route).split("<", 1)[0]
    if isinstance(pattern, RegexPattern):
        regex = str(pattern._regex).removeprefix("^")
        return _REGEX_SPECIAL.split(regex, 1)[0]
    return ""


def _marked(patterns, prefix):
    for pattern in patterns:
        start = prefix + _fixed_start(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _marked(pattern.url_patterns, start)
        elif getattr(pattern.callback, "not_for_crawlers", False):
            yield start


def disallowed_paths(urlconf=None):
    """Return the address starts of every view marked not_for_crawlers, none inside another."""
    paths = sorted(set(_marked(get_resolver(urlconf).url_patterns, "/")))
    kept = []
    for path in paths:
        if not any(path.startswith(shorter) for shorter in kept):
            kept.append(path)
    return kept
