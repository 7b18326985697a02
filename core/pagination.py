"""A paginator whose cost does not grow with the archive."""

from django.core.paginator import Paginator
from django.db.models import Q, Subquery
from django.utils.functional import cached_property

from core import cache

# Cards on a page of a list, site-wide.
PAGE_SIZE = 12


class ArchivePaginationMixin:
    """A ListView that pages through the archive at a cost that does not grow with it.

    For lists whose ordering fields are never empty (published articles, by time): deep
    pages start from anchors (ArchivePaginator). The count is remembered per address.
    """

    paginate_by = PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        return ArchivePaginator(
            queryset, per_page, count_key=self.count_key(), anchored=True, **kwargs
        )

    def count_key(self):
        return self.request.path


class ArchivePaginator(Paginator):
    """Count once per content version, and fetch a deep page by its keys first.

    Django's Paginator counts the whole list on every request and fetches page N with
    an OFFSET over complete rows (joins included). Here the count is remembered until
    the content changes (`count_key` names the list), and the page's primary keys are
    chosen first by a query an index answers alone; only those rows are then read.

    With `anchored=True` a deep page does not walk the index from the top either: the
    list's place every ANCHOR_EVERY rows (its ordering's values there) is remembered
    until the content changes, and a page starts from the nearest one above it. Only
    for lists whose ordering fields are never empty (published articles, by time).
    """

    ANCHOR_EVERY = 600

    def __init__(self, object_list, per_page, *args, count_key=None, anchored=False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key
        self.anchored = anchored and count_key is not None

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cache.remember(f"count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list
        skip = bottom
        if self.anchored and bottom >= self.ANCHOR_EVERY:
            start = bottom - bottom % self.ANCHOR_EVERY
            # The anchor's condition first: SQLite seeks the index by the first bound it
            # reads on a column, and the list's own "published before now" is another.
            from_anchor = self.object_list.model._base_manager.filter(self.from_anchor(start))
            keys = from_anchor & self.object_list
            skip = bottom - start
        keys = keys.values("pk")[skip : skip + top - bottom]
        rows = self.object_list.filter(pk__in=Subquery(keys))
        return self._get_page(rows, number, self)

    def from_anchor(self, start):
        """Return the condition for the rows from position `start` of the list on."""
        ordering = self.object_list.query.order_by or self.object_list.model._meta.ordering
        names = [field.removeprefix("-") for field in ordering]
        # Further down the list means smaller for a descending field, larger for the rest.
        further = ["lt" if field.startswith("-") else "gt" for field in ordering]
        anchor = cache.remember(
            f"anchor:{self.count_key}:{start}",
            lambda: self.object_list.values_list(*names)[start],
        )
        # The anchor's row itself, or a row after it: the same values up to one field,
        # further on that one.
        condition = Q(**dict(zip(names, anchor, strict=True)))
        for index, name in enumerate(names):
            same = dict(zip(names[:index], anchor[:index], strict=True))
            condition |= Q(**same, **{f"{name}__{further[index]}": anchor[index]})
        # Also a range on the first field, which the list's index seeks to.
        return Q(**{f"{names[0]}__{further[0]}e": anchor[0]}) & condition
