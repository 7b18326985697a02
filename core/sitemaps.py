"""The site's XML sitemaps, gathered from the apps that own them.

An app's `sitemaps` module may define SITEMAPS ({section: Sitemap}) and PAGES (URL
names of pages that are not objects: home, lists); `collect()` joins them all, the pages
as one "pages" section.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PagesSitemap(Sitemap):
    """The list pages that are not objects, by their URL names."""

    changefreq = "daily"
    priority = 1.0

    def __init__(self, names):
        self.names = list(names)

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


def collect():
    """Return {section: sitemap} of every installed app, "pages" first."""
    pages, sections = [], {}
    for app in apps.get_app_configs():
        name = f"{app.name}.sitemaps"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        pages += getattr(module, "PAGES", [])
        sections.update(getattr(module, "SITEMAPS", {}))
    return {"pages": PagesSitemap(pages), **sections}
