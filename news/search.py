"""Vietnamese search over the published articles, the same on SQLite and PostgreSQL.

Article.derive(), which save() calls, stores the folded words of the title, the lead
and the plain-text body (`index_fields()`), so both databases index exactly the same
words and give the same results: "ĐOÀN CƠ SỞ", "đoàn cơ sở" and "doan co so" are one
query.
SQLite indexes them with FTS5 tables kept in step by triggers (the whole article, and
the title and the lead each on their own), PostgreSQL with GIN indexes over
`to_tsvector('simple', …)` of the same three; migrations 0010 and 0018 create them.

A query matches the articles holding all its words (whole words) anywhere in the
title, lead or body. Those holding all of them in the title come first, then in
the lead, then the rest; newest first within each. A page reads each tier newest
first and stops as soon as it has what it shows, so a word found in most articles
costs no more than a rare one: the count is exact up to COUNT_LIMIT ("more than
100" beyond) and readers may page through the first RESULT_LIMIT results.
"""

import datetime
import html as html_lib
import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import fold

# A query keeps its first MAX_TERMS words; longer words are not words anyone searches.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Results a reader may page through, and how many are counted exactly.
RESULT_LIMIT = 1000
COUNT_LIMIT = 100

_WORD = re.compile(r"[^\W_]+")


def words(text):
    """Return the folded words of text: "Đoàn cơ sở, Ba Bể!" gives doan, co, so, ba, be."""
    return _WORD.findall(fold(text))


def searchable(text):
    """Return the folded words of text joined by spaces, as stored and indexed."""
    return " ".join(words(text))


class _TextExtractor(HTMLParser):
    BREAKS = {"p", "br", "li", "td", "th", "h2", "h3", "h4", "h5", "h6", "figcaption", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """Return the text of an HTML fragment, its blocks separated by spaces."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def index_fields(title, lead, body):
    """Return the stored search columns of an article with this title, lead and HTML body."""
    return {
        "search_title": searchable(title),
        "search_lead": searchable(lead),
        "search_body": searchable(plain_text(body)),
    }


def query_terms(query):
    """Return the distinct words of what a reader typed, in order, at most MAX_TERMS."""
    terms = []
    for word in words(query or ""):
        if len(word) <= MAX_TERM_LENGTH and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


# --- matching, in each database's own index --------------------------------------------

# PostgreSQL: GIN indexes over these expressions (migration 0010 writes them the same way).
PG_DOCUMENT = "to_tsvector('simple', search_title || ' ' || search_lead || ' ' || search_body)"
PG_FIELDS = {
    "title": "to_tsvector('simple', search_title)",
    "lead": "to_tsvector('simple', search_lead)",
    "document": PG_DOCUMENT,
}
PG_TEXT = {
    "title": "search_title",
    "lead": "search_lead",
    "document": "search_title || ' ' || search_lead || ' ' || search_body",
}
# SQLite: FTS5 tables whose rowid is the article's key, publication second then id, so
# FTS5 reads the matches newest first and stops early (see SQLITE_INDEX). Each tier has
# its own table: a title tier read from the whole article's index with a column filter
# would walk every article holding each word anywhere (for common words that rarely meet
# in a title, the whole archive); the title's own index holds only titles.
FTS_TABLE = "news_article_search"
FTS_TABLES = {
    "document": (FTS_TABLE, ("search_title", "search_lead", "search_body"), "column"),
    "title": ("news_article_title", ("search_title",), "none"),
    "lead": ("news_article_lead", ("search_lead",), "none"),
}
KEY_ID_BITS = 28  # article ids below 268 million
KEY_ID_MASK = (1 << KEY_ID_BITS) - 1


def _fts_query(terms):
    # Quoted terms are plain words to FTS5, never operators.
    return "(" + " AND ".join(f'"{term}"' for term in terms) + ")"


def matches(terms, field="document"):
    """Return a condition: the article holds every term in field (title, lead or document).

    On SQLite the ids of every match are read from the index once and each row the query
    walks is looked up among them: written `id + 0`, so that SQLite walks the query's own
    index in its order rather than fetching every match and sorting them.
    """
    if connection.vendor == "postgresql":
        # The GIN index finds rare words; for common ones PostgreSQL reads by date and
        # tests each row, where strpos() on the stored words (single spaces) is a hundred
        # times cheaper than to_tsvector and runs first. (LIKE would be as cheap, but its
        # estimate would steer the planner away from reading by date.)
        text = PG_TEXT[field]
        words = "".join(f" AND strpos(' ' || {text} || ' ', %s) > 0" for _ in terms)
        return RawSQL(
            f"({PG_FIELDS[field]} @@ plainto_tsquery('simple', %s){words})",
            [" ".join(terms), *(f" {term} " for term in terms)],
            output_field=BooleanField(),
        )
    table = FTS_TABLES[field][0]
    found = RawSQL(
        f"SELECT rowid & {KEY_ID_MASK} FROM {table} WHERE {table} MATCH %s",
        [_fts_query(terms)],
    )
    return In(F("pk") + 0, found)


def find(articles, terms, limit, published_between=None):
    """Return the ids of up to limit articles holding all terms, best first.

    articles is the queryset searched: Article.objects.published(), perhaps filtered.
    Title matches come first, then lead matches, then the rest, each newest first.
    published_between (start, end), when articles is filtered so, lets SQLite read
    only that stretch of its index.
    """
    if connection.vendor != "postgresql":
        return _find(articles, terms, limit, published_between)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Each tier stops after a few rows: starting parallel workers costs more than it
        # saves, and the planner cannot know how soon a tier stops.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return _find(articles, terms, limit, published_between)


def _find(articles, terms, limit, published_between):
    found, seen = [], set()
    for field in ("title", "lead", "document"):
        if len(found) >= limit:
            break
        # Read ahead by what higher tiers already found, which this one finds again.
        wanted = limit - len(found) + len(seen)
        if connection.vendor == "postgresql":
            tier = articles.filter(matches(terms, field)).order_by("-published_at", "-pk")
            ids = tier.values_list("pk", flat=True)[:wanted]
        else:
            found_here = _sqlite_newest(
                articles, field, _fts_query(terms), wanted, published_between
            )
            ids = [pk for pk, _ in found_here]
        for pk in ids:
            if pk not in seen:
                seen.add(pk)
                found.append(pk)
    return found[:limit]


def _sqlite_key(moment):
    return int(moment.timestamp()) << KEY_ID_BITS


def _newest_first(row):
    # Django's order (-published_at, -pk), as SQLite gives it: articles without a time last.
    pk, published_at = row
    return (published_at is not None, published_at or datetime.datetime.min, pk)


def _sqlite_newest(articles, field, fts_query, wanted, published_between=None, to_come=False):
    """Return (id, published_at) of up to wanted articles whose field (title, lead or
    document) matches fts_query, newest first.

    FTS5 hands out candidates by key, newest second first; articles (published(), with
    any filters) decides which of them count, a batch at a time. The candidates of the
    last second read are completed, so articles published in the same second keep
    Django's order (-published_at, -pk). to_come: articles may be published later than
    now (the newsroom's search).
    """
    visible, batch, lowest = [], wanted + 16, ""
    # Start at this second: nothing published later is for readers yet (scheduled
    # articles would only fill the first batches). A bound only: `articles` decides.
    below = _sqlite_key(timezone.now() + datetime.timedelta(seconds=1))
    if to_come:
        below = (1 << 63) - 1
    if published_between:
        start, end = published_between
        below = min(below, _sqlite_key(end))
        lowest = f" AND rowid >= {_sqlite_key(start):d}"
    table = FTS_TABLES[field][0]
    with connection.cursor() as cursor:

        def keys(condition, params, size=None):
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s{lowest}{condition}"
            sql += " ORDER BY rowid DESC" + (f" LIMIT {int(size)}" if size else "")
            cursor.execute(sql, [fts_query, *params])
            return [row[0] for row in cursor.fetchall()]

        def keep(candidates):
            ids = [key & KEY_ID_MASK for key in candidates]
            if ids:
                visible.extend(articles.filter(pk__in=ids).values_list("pk", "published_at"))

        while len(visible) < wanted:
            candidates = keys(" AND rowid < %s", [below], batch)
            keep(candidates)
            if len(candidates) < batch:
                break
            below, batch = candidates[-1], batch * 2
        else:
            second_start = (below >> KEY_ID_BITS) << KEY_ID_BITS
            keep(keys(" AND rowid >= %s AND rowid < %s", [second_start, below]))
    visible.sort(key=_newest_first, reverse=True)
    return visible[:wanted]


# --- the newsroom's search ---------------------------------------------------------------


@dataclass(frozen=True)
class NewsroomSearch:
    """What the newsroom's article list searches for: articles holding every term in their
    title, lead or body, folded as readers' search does, or whose byline holds what was
    typed ("Ngọc Tú" as typed, any case).

    `bylines` are the bylines in use that hold it: they are few, and looked through in
    Python (news.admin.bylines()), so the database is asked for exact bylines only.
    """

    terms: tuple
    bylines: tuple = ()

    def condition(self):
        """Return the condition the list is filtered by (counts, other orders, actions)."""
        found = Q(matches(self.terms))
        if self.bylines:
            found |= self.by_byline()
        return found

    def by_byline(self):
        if connection.vendor == "postgresql":
            return Q(author_name__in=self.bylines)
        # As matches() does: SQLite tests each row of the list's index (which holds the
        # byline) rather than fetching a byline's articles from its own index and sorting.
        return Q(In(Coalesce("author_name", Value("")), self.bylines))

    def newest_ids(self, articles, start, stop):
        """Return the ids of the matches among articles from start to stop, newest first.

        The list's own order (-published_at, -pk): one page is read, never every match.
        SQLite reads its search index newest first (as readers' search does) and stops when
        the page is full; PostgreSQL walks the list's index or, for rare words, sorts what
        its GIN index finds, as its statistics tell it.
        """
        if stop <= start:
            return []
        if connection.vendor == "postgresql":
            found = articles.filter(self.condition()).order_by("-published_at", "-pk")
            with transaction.atomic(savepoint=False), connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                return list(found.values_list("pk", flat=True)[start:stop])
        rows = _sqlite_newest(articles, "document", _fts_query(self.terms), stop, to_come=True)
        if self.bylines:
            by_byline = articles.filter(self.by_byline()).order_by("-published_at", "-pk")
            rows = sorted(
                {*rows, *by_byline.values_list("pk", "published_at")[:stop]},
                key=_newest_first,
                reverse=True,
            )
        return [pk for pk, _ in rows[start:stop]]


# --- keeping SQLite's index in step -----------------------------------------------------

# The FTS5 tables keep only the index (contentless); triggers keep them in step on every
# write, bulk and raw SQL included. Migrations 0007 and 0018 made them first.
SQLITE_KEY = (
    "((COALESCE(CAST(strftime('%s', {row}.published_at) AS INTEGER), 0) << "
    + str(KEY_ID_BITS)
    + ") | {row}.id)"
)


def _sqlite_values(row, columns):
    return ", ".join([SQLITE_KEY.format(row=row), *(f"{row}.{column}" for column in columns)])


def _sqlite_statements(table, columns, detail):
    names = ", ".join(columns)
    old, new = _sqlite_values("old", columns), _sqlite_values("new", columns)
    return [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(
            {names}, content='', detail='{detail}',
            tokenize='unicode61 remove_diacritics 0')""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_insert AFTER INSERT ON news_article BEGIN
            INSERT INTO {table}(rowid, {names}) VALUES ({new});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_delete AFTER DELETE ON news_article BEGIN
            INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', {old});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_update
        AFTER UPDATE OF {names}, published_at ON news_article BEGIN
            INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', {old});
            INSERT INTO {table}(rowid, {names}) VALUES ({new});
        END""",
    ]


SQLITE_INDEX = [
    statement
    for table, columns, detail in FTS_TABLES.values()
    for statement in _sqlite_statements(table, columns, detail)
]
SQLITE_TRIGGERS = {
    f"{table}_{event}"
    for table, _, _ in FTS_TABLES.values()
    for event in ("insert", "delete", "update")
}
SQLITE_OBJECTS = {*(table for table, _, _ in FTS_TABLES.values()), *SQLITE_TRIGGERS}


def sqlite_index_is_complete(using="default"):
    """Return True unless this is SQLite and an FTS5 table or one of its triggers is missing.

    Django remakes a SQLite table to alter it, which drops its triggers.
    """
    db = connections[using]
    if db.vendor != "sqlite":
        return True
    with db.cursor() as cursor:
        names = sorted(SQLITE_OBJECTS)
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})",
            names,
        )
        return {row[0] for row in cursor.fetchall()} == SQLITE_OBJECTS


def rebuild_sqlite_index(using="default"):
    """Create what is missing of SQLite's FTS5 indexes and fill them again from the articles."""
    db = connections[using]
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        for statement in SQLITE_INDEX:
            cursor.execute(statement)
        for table, columns, _ in FTS_TABLES.values():
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
            cursor.execute(
                f"INSERT INTO {table}(rowid, {', '.join(columns)}) "
                f"SELECT {_sqlite_values('news_article', columns)} FROM news_article"
            )


def repair_after_migrate(using="default", **kwargs):
    """After migrations (post_migrate): put back SQLite triggers a table remake dropped."""
    db = connections[using]
    if db.vendor != "sqlite" or "news_article" not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        columns = {c.name for c in db.introspection.get_table_description(cursor, "news_article")}
    if "search_title" in columns and not sqlite_index_is_complete(using):
        rebuild_sqlite_index(using)


# --- showing what matched ----------------------------------------------------------------


class _FoldTable(dict):
    """Each character's folded form, worked out once: a table for str.translate.

    Filled as characters are met; the threads of a worker share it, so a new entry is
    added under a lock (reading needs none).
    """

    _lock = threading.Lock()

    def __missing__(self, char):
        folded = fold(chr(char)) or (" " if chr(char).isspace() else "")
        with self._lock:
            return self.setdefault(char, folded)


_FOLD_TABLE = _FoldTable()


def _folded_with_positions(text):
    """Return text folded character by character, and where each folded character came from."""
    folded = text.translate(_FOLD_TABLE)
    if all(len(_FOLD_TABLE[ord(char)]) == 1 for char in set(text)):
        return folded, range(len(text))
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in _FOLD_TABLE[ord(char)]:
            folded.append(folded_char)
            origin.append(index)
    return "".join(folded), origin


def _spans(text, terms):
    """Return the (start, end) spans of text where a term stands as a whole word."""
    if not terms:
        return []
    folded, origin = _folded_with_positions(text)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(term) for term in terms) + r")(?![^\W_])"
    )
    spans = []
    for match in pattern.finditer(folded):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if spans and not text[spans[-1][1] : start].strip():
            # Words next to each other make one mark: "<mark>Ba Bể</mark>".
            start = spans.pop()[0]
        spans.append((start, end))
    return spans


def highlight(text, terms):
    """Return text escaped, with each whole-word match of terms in <mark>."""
    parts, last = [], 0
    for start, end in _spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(article, terms, length=40):
    """Return a short excerpt that shows the terms: from the lead, or else from the body.

    Escaped, with the matched words in <mark>; it starts a few words before the first match.
    """
    for text in (article.lead, _quick_text(article.body)):
        spans = _spans(text, terms)
        if spans:
            words_before = text[: spans[0][0]].split()
            start = max(len(words_before) - length // 4, 0)
            excerpt = _shorten(" ".join(text.split()[start:]), length)
            return highlight(("… " if start else "") + excerpt, terms)
    return highlight(_shorten(article.lead, length), terms)


def _quick_text(html):
    # The body is sanitised HTML: dropping its tags is enough for an excerpt, and quicker
    # than parsing it (the excerpt is escaped again when shown).
    return " ".join(html_lib.unescape(_TAG.sub(" ", html or "")).split())


_TAG = re.compile(r"<[^>]*>")


def _shorten(text, length):
    text_words = text.split()
    if len(text_words) <= length:
        return text
    return " ".join(text_words[:length]) + " …"
