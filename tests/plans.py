"""EXPLAIN QUERY PLAN for the tests of the lists' plans (tests/news, tests/documents).

Without statistics SQLite's planner guesses each index's selectivity; a misleading index
(the status alone, which it takes for rare) is enough for it to sort every published row.
The portal gathers statistics itself (core.statistics), but a new or restored database
has none until then, so the plans must hold without them.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Tables that grow with the archive: a plan may not sort what it reads of them.
ARCHIVE_TABLES = {"news_article", "documents_document"}
SORT = re.compile(r"USE TEMP B-TREE FOR (ORDER BY|GROUP BY|DISTINCT)")
ACCESS = re.compile(r"^(SCAN|SEARCH) (\w+)(?: USING (.*))?")
ALIAS = re.compile(r'"(\w+)" ([A-Z]\d+)\b')


def plan(sql, params=()):
    """Return EXPLAIN QUERY PLAN's rows for sql: (id, parent, detail)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [(row[0], row[1], row[3]) for row in cursor.fetchall()]


def index_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
        return dict(cursor.fetchall())


def faults(sql, indexes, params=()):
    """Return what is wrong with the plan of sql: sorts and scans of the archive's rows."""
    aliases = {alias: table for table, alias in ALIAS.findall(sql)}
    rows = plan(sql, params)
    children = {}
    for node, parent, detail in rows:
        children.setdefault(parent, []).append((node, detail))
    found = []
    for _node, parent, detail in rows:
        match = ACCESS.match(detail)
        if match is None:
            continue
        verb, name, using = match.groups()
        using = using or ""
        index = re.search(r"INDEX (\w+)", using)
        table = indexes[index[1]] if index else aliases.get(name, name)
        if table not in ARCHIVE_TABLES:
            continue
        if verb == "SCAN" and not index and "VIRTUAL TABLE" not in using:
            found.append(f"reads every row of {table}: {detail}")
        siblings = [sibling for _, sibling in children[parent]]
        if not any(SORT.match(sibling) for sibling in siblings):
            continue
        if "(rowid=?)" not in using:
            found.append(f"sorts the {table} rows it reads: {detail}")
        elif any(
            _reads_search_index(children, node_id, label) for node_id, label in children[parent]
        ):
            found.append(f"sorts every match of the search: {detail}")
    return found


def _reads_search_index(children, node, label):
    if not label.startswith("LIST SUBQUERY"):
        return False
    return any("VIRTUAL TABLE" in detail for _, detail in children.get(node, []))


def captured(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def no_statistics():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
        tables = [name for (name,) in cursor.fetchall()]
        return not any(
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in tables
        )


def assert_plans_hold(client, pages):
    assert no_statistics(), "the test database holds the planner's statistics"
    indexes = index_tables()
    problems = []
    for url, params in pages:
        for sql in captured(client, url, **params):
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                problems += [f"{url} {params}: {fault}" for fault in faults(sql, indexes)]
    assert not problems, "\n".join(problems)
