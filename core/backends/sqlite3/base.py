"""Django's SQLite backend, which also keeps the query planner's statistics.

SQLite advises running `PRAGMA optimize` before a connection closes and now and then on
one kept open; Django's backend has no place for it, so this one adds it (the rest is
core.statistics). DATABASE_URL's sqlite:// addresses use it (portal/settings.py).
"""

from django.db.backends.sqlite3 import base

from core import statistics


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None:
            statistics.before_close(self)
        super()._close()

    def close_if_unusable_or_obsolete(self):
        # Called as every request starts and ends.
        super().close_if_unusable_or_obsolete()
        if self.connection is not None:
            statistics.while_open(self)
