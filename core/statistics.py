"""The query planner's statistics, kept by the portal itself: no hand-run ANALYZE, no cron.

Both databases choose each query's plan from statistics about the tables. Missing ones, or
ones that describe a table a fraction of its size, give plans meant for another table
(PostgreSQL right after a bulk load, SQLite until someone runs ANALYZE). So:

- SQLite: `PRAGMA optimize`, as SQLite advises, before each connection closes and, on a
  connection kept open, every OPTIMIZE_EVERY seconds (`core.backends.sqlite3`, the
  portal's SQLite backend). It analyses the tables whose statistics the connection's
  queries would have used, when they have none yet or the table grew 25 times since.
- Bulk writes, on both databases: a connection that has written LOADED_ROWS rows to a
  table since it last analysed it, and at least as many as it had written then, analyses
  the table once its transaction commits. Whatever wrote them: generate_articles, an
  import, `manage.py rederive`, an admin action over many rows. Each connection's writes
  are watched (`watch`, connected at start-up by core.apps), so no path has to remember.
- Rows loaded around Django's connection (a restore through psql or SQLite's backup API)
  are not seen: the code that loads them calls `analyse()` itself.

The indexes are chosen so that plans are right without statistics too; a test runs
EXPLAIN QUERY PLAN on a database that was never analysed (tests/news/test_query_plans.py).
"""

import logging
import re
import sqlite3
import time
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

# Rows a connection writes to one table before it analyses it.
LOADED_ROWS = 1000
# How often a SQLite connection kept open runs PRAGMA optimize (seconds).
OPTIMIZE_EVERY = 3600
# While a connection closes, how long PRAGMA optimize may wait for another writer (ms):
# statistics can wait for the next connection, a reader's worker should not.
OPTIMIZE_BUSY_TIMEOUT = 200

_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


@dataclass
class _Writes:
    """What one connection has written, per table, and when it last analysed each."""

    written: dict = field(default_factory=dict)
    analysed: dict = field(default_factory=dict)
    optimized_at: float = field(default_factory=time.monotonic)


def _writes(connection):
    state = getattr(connection, "planner_writes", None)
    if state is None:
        state = connection.planner_writes = _Writes()
    return state


def _count_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    written = _WRITE.match(sql)
    if written is not None:
        connection = context["connection"]
        if connection.vendor == "sqlite" and written[0].lstrip()[:6].upper() == "INSERT":
            rows = _inserted_rows(sql, params, many)
        else:
            rows = getattr(context["cursor"], "rowcount", -1)
        if rows > 0:
            _loaded(connection, written[1], rows)
    return result


def _inserted_rows(sql, params, many):
    # SQLite counts an INSERT's rows only once its RETURNING rows have been read, after
    # this wrapper returns: count the VALUES' rows instead, as Django writes them.
    if many:
        return len(params)
    values = sql.partition(" VALUES ")[2].partition(" RETURNING ")[0]
    return values.count("), (") + 1 if values else 1


def _loaded(connection, table, rows):
    state = _writes(connection)
    written = state.written[table] = state.written.get(table, 0) + rows
    before = state.analysed.get(table, 0)
    # At LOADED_ROWS, then each time the rows written double: a million rows loaded in
    # batches are analysed some ten times, and the last statistics describe at least half.
    if written - before < max(LOADED_ROWS, before):
        return
    state.analysed[table] = written
    if connection.in_atomic_block:
        transaction.on_commit(lambda: analyse(connection.alias, [table]), using=connection.alias)
    else:
        analyse(connection.alias, [table])


def watch(connection, **kwargs):
    """Count the rows this connection writes to each table (connection_created)."""
    if _count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_writes)


def analyse(using=DEFAULT_DB_ALIAS, tables=None):
    """Gather the planner's statistics for these tables (all of them if None), now.

    PostgreSQL samples each table (ANALYZE); SQLite reads its indexes (ANALYZE), which
    takes about 0.4 s per 100,000 articles.
    """
    connection = connections[using]
    names = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(map(names, tables)) if tables else "ANALYZE")
        elif connection.vendor == "sqlite":
            for table in tables or [None]:
                cursor.execute("ANALYZE " + names(table) if table else "ANALYZE")
    state = _writes(connection)
    for table in tables or state.written:
        state.analysed[table] = state.written.get(table, 0)
    logger.info("Statistics gathered for %s", ", ".join(tables) if tables else "every table")


# --- SQLite: PRAGMA optimize, as SQLite advises ------------------------------------------


def optimize(connection, busy_timeout=None):
    """Run SQLite's PRAGMA optimize on an open Django connection; never raise.

    Nearly free when nothing needs doing. A busy database (another writer holding the
    lock past busy_timeout ms) is left for the next time.
    """
    raw = connection.connection
    _writes(connection).optimized_at = time.monotonic()
    try:
        (waited,) = raw.execute("PRAGMA busy_timeout").fetchone()
        if busy_timeout is not None:
            raw.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
        try:
            raw.execute("PRAGMA optimize")
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(waited)}")
    except sqlite3.Error as error:
        logger.warning("PRAGMA optimize did not run: %s", error)


def before_close(connection):
    """Run PRAGMA optimize on a SQLite connection about to close, outside any transaction."""
    if connection.connection is None or not connection.get_autocommit():
        return
    state = _writes(connection)
    pending = [
        table
        for table, rows in state.written.items()
        if rows - state.analysed.get(table, 0) >= LOADED_ROWS
    ]
    if pending:
        # The rest of a bulk load, since the last doubling.
        try:
            analyse(connection.alias, pending)
        except Exception as error:  # noqa: BLE001 (the connection closes whatever happens)
            logger.warning("ANALYZE did not run: %s", error)
    optimize(connection, busy_timeout=OPTIMIZE_BUSY_TIMEOUT)


def while_open(connection):
    """Run PRAGMA optimize on a SQLite connection kept open, every OPTIMIZE_EVERY seconds."""
    if connection.connection is None or not connection.get_autocommit():
        return
    if time.monotonic() - _writes(connection).optimized_at >= OPTIMIZE_EVERY:
        optimize(connection, busy_timeout=OPTIMIZE_BUSY_TIMEOUT)
