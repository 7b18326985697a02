"""Search over the documents: number, summary, lists and the files' text, accents folded.

The words are folded as the news' are (news.search: "ke hoach thang thanh nien" finds
"Kế hoạch … Tháng Thanh niên") and stored in two columns, `search_text` (number,
summary, signer, type, issuing body) and `search_files` (what was read from the files,
OCR included). SQLite indexes them with an FTS5 table kept in step by triggers,
PostgreSQL with a GIN index over `to_tsvector('simple', …)`; migration 0001 creates
both. A document holding every word of the query matches; those holding them all in
their own words come before those found only in their files, newest first in each.
"""

from django.db import connection, connections
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from news.search import highlight, query_terms, searchable  # noqa: F401

FTS_TABLE = "documents_document_search"
COLUMNS = "search_text, search_files"
NEW = "new.id, new.search_text, new.search_files"
OLD = "old.id, old.search_text, old.search_files"
PG_FIELDS = {
    "text": "to_tsvector('simple', search_text)",
    "all": "to_tsvector('simple', search_text || ' ' || search_files)",
}
FTS_FIELDS = {"text": "{search_text} : ", "all": ""}


def _fts_query(terms, field):
    # Quoted terms are plain words to FTS5, never operators.
    return FTS_FIELDS[field] + "(" + " AND ".join(f'"{term}"' for term in terms) + ")"


def matches(terms, field="all"):
    """Return a condition: the document holds every term in its own words ("text") or anywhere.

    On SQLite the ids of every match are read from the index once and each row the query
    walks is looked up among them: written `id + 0`, so that SQLite walks the list's index
    in its order rather than fetching every match and sorting them (as news.search does).
    """
    if connection.vendor == "postgresql":
        return RawSQL(
            f"({PG_FIELDS[field]} @@ plainto_tsquery('simple', %s))",
            [" ".join(terms)],
            output_field=BooleanField(),
        )
    found = RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts_query(terms, field)]
    )
    return In(F("pk") + 0, found)


def find(documents, terms, limit):
    """Return the ids of up to limit documents holding all terms, best first.

    documents is the queryset searched (Document.objects.published(), perhaps filtered).
    """
    found = []
    for field in ("text", "all"):
        if len(found) >= limit:
            break
        ids = (
            documents.filter(matches(terms, field))
            .exclude(pk__in=found)
            .order_by("-issued_on", "-pk")
            .values_list("pk", flat=True)[: limit - len(found)]
        )
        found.extend(ids)
    return found


# --- keeping SQLite's index in step -----------------------------------------------------

SQLITE_INDEX = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        {COLUMNS}, content='', detail='column', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON documents_document BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES ({NEW});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON documents_document BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', {OLD});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF search_text, search_files ON documents_document BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', {OLD});
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES ({NEW});
    END""",
]
SQLITE_TRIGGERS = {f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"}


def rebuild_sqlite_index(using="default"):
    """Create what is missing of SQLite's FTS5 index and fill it again from the documents."""
    db = connections[using]
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        for statement in SQLITE_INDEX:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) "
            "SELECT id, search_text, search_files FROM documents_document"
        )


def repair_after_migrate(using="default", **kwargs):
    """After migrations (post_migrate): put back SQLite triggers a table remake dropped."""
    db = connections[using]
    if db.vendor != "sqlite" or "documents_document" not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR name IN (%s, %s, %s)",
            [FTS_TABLE, *sorted(SQLITE_TRIGGERS)],
        )
        present = {row[0] for row in cursor.fetchall()}
    if present != {FTS_TABLE, *SQLITE_TRIGGERS}:
        rebuild_sqlite_index(using)
