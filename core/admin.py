"""Admin pieces every app may use: the Vietnamese slug field, yes/no icons, tidy deletions."""

from django.apps import apps
from django.contrib import admin
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class VietnameseSlugAdmin(admin.ModelAdmin):
    """An admin whose live slug field folds Vietnamese the way core.text.slugify_vi does.

    Django's own slug script turns "đ" into "dj" and drops other Vietnamese
    letters; ours folds the text first and must come after it.
    """

    class Media:
        js = ["admin/js/urlify.js", "admin/js/vietnamese_urlify.js"]


def yes_no(value):
    """Return Django's yes/no icon with a Vietnamese text for screen readers.

    Django's own boolean columns give the icon the alt text "True" or "False".
    """
    name, text = ("yes", _("Yes")) if value else ("no", _("No"))
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def _link_table_names():
    """Return the names Django gives its many-to-many link tables, in English only."""
    links = [
        model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created
    ]
    singular = {f"{capfirst(model._meta.verbose_name)}: " for model in links}
    return singular, {str(model._meta.verbose_name_plural) for model in links}


def _without_links(items, prefixes):
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without_links(item, prefixes))
        elif not str(item).startswith(tuple(prefixes)):
            kept.append(item)
    return kept


class WithoutLinkRowsMixin:
    """Leave many-to-many link rows out of the deletion summary.

    Deleting a user or a group removes their links to groups and permissions;
    Django lists each link by its English table name, which tells nobody anything.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        singular, plural = _link_table_names()
        counts = {name: count for name, count in counts.items() if str(name) not in plural}
        return _without_links(to_delete, singular), counts, perms_needed, protected
