"""What the site-wide search page finds besides news, declared by the apps that own it.

An app registers a `Source` in its AppConfig.ready(); the search page (news.views.
SearchView) asks every source for what matches the reader's folded words and shows each
source's results under its own heading, with a link to that source's own search.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One thing found, as the search page draws it."""

    title: str
    url: str
    kind: str  # what it is: "Kế hoạch", "Quyết định"…
    date: datetime.date | None
    summary: str = ""


@dataclass(frozen=True)
class Source:
    """Something the search page searches: find(terms, limit) returns up to limit Hits."""

    name: str
    heading: str
    find: Callable
    more_url: Callable  # (query) -> the address of the source's own search for it


_sources = {}


def register(source):
    """Add a source to the search page (AppConfig.ready); registering again replaces it."""
    _sources[source.name] = source


def sources():
    return tuple(_sources.values())
