import unicodedata

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import translate_url
from django.utils.translation import get_language_info
from django.views.generic import TemplateView

from about.models import Department, IntroPage, Officer


def page_tree(pages):
    """Return the visible pages as a tree: [(page, [(child, [...]), ...]), ...].

    A page under a hidden page is hidden too. Each page gets `ancestors`, top first.
    """
    children = {}
    for page in pages:
        children.setdefault(page.parent_id, []).append(page)

    def branch(parent, ancestors):
        nodes = []
        for page in children.get(parent.pk if parent else None, []):
            page.ancestors = ancestors
            nodes.append((page, branch(page, [*ancestors, page])))
        return nodes

    return branch(None, [])


def walk(tree):
    """Yield (page, subtree) for every page of the tree, parents before their children."""
    for page, subtree in tree:
        yield page, subtree
        yield from walk(subtree)


def directory():
    """Return the units with their officers, leadership first (two queries)."""
    return Department.objects.prefetch_related(
        Prefetch("officers", queryset=Officer.objects.order_by("order", "name"))
    )


class BilingualMixin:
    """Pages offered in Vietnamese and English: links to the same page in the other language."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        path = self.request.get_full_path()
        context["translations"] = [
            {
                "code": code,
                # Django spells some names with combining marks; pages use composed (NFC) text.
                "name": unicodedata.normalize("NFC", get_language_info(code)["name_local"]),
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ]
        return context


class IntroIndexView(BilingualMixin, TemplateView):
    template_name = "about/intro_index.html"

    def get_context_data(self, **kwargs):
        tree = page_tree(IntroPage.objects.visible())
        return super().get_context_data(tree=tree, **kwargs)


class IntroPageView(BilingualMixin, TemplateView):
    template_name = "about/intro_page.html"

    def get_context_data(self, **kwargs):
        tree = page_tree(IntroPage.objects.visible())
        slug = self.kwargs["slug"]
        page, subpages = next(((p, sub) for p, sub in walk(tree) if p.slug == slug), (None, []))
        if page is None:
            raise Http404
        context = super().get_context_data(tree=tree, page=page, subpages=subpages, **kwargs)
        if page.shows_directory:
            context["departments"] = directory()
        return context


class ContactView(BilingualMixin, TemplateView):
    template_name = "about/contact.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(departments=directory(), **kwargs)
