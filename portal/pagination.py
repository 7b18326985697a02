"""A paginator whose cost does not grow with the archive."""

from django.core.paginator import Paginator
from django.db.models import Subquery
from django.utils.functional import cached_property

from portal import cache


class ArchivePaginator(Paginator):
    """Count once per content version, and fetch a deep page by its keys first.

    Django's Paginator counts the whole list on every request and fetches page N with
    an OFFSET over complete rows (joins included). Here the count is remembered until
    the content changes (`count_key` names the list), and the page's primary keys are
    chosen first by a query an index answers alone; only those rows are then read.
    """

    def __init__(self, object_list, per_page, *args, count_key=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key

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
        keys = self.object_list.values("pk")[bottom:top]
        rows = self.object_list.filter(pk__in=Subquery(keys))
        return self._get_page(rows, number, self)
