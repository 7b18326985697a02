"""Search: the folded words of each article, and each database's index over them.

SQLite: a contentless FTS5 table over the three columns, kept in step by triggers.
PostgreSQL: GIN indexes over to_tsvector('simple', …) of the same columns.
The folding below is a copy of news.search at the time of writing: migrations do
not import live code.
"""

import re
import unicodedata
from html.parser import HTMLParser

from django.db import migrations, models

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_WORD = re.compile(r"[^\W_]+")


def _fold(value):
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D_STROKE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


def _searchable(text):
    return " ".join(_WORD.findall(_fold(text)))


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


def _plain_text(html):
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def fill_search_columns(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    rows = Article._default_manager.values_list("pk", "title", "lead", "body").order_by("pk")
    for pk, title, lead, body in rows.iterator(chunk_size=500):
        Article._default_manager.filter(pk=pk).update(
            search_title=_searchable(title),
            search_lead=_searchable(lead),
            search_body=_searchable(_plain_text(body)),
        )


# The FTS5 rowid is the article's key: its publication second, then its id, so matches
# come out newest first. Contentless: the text stays in news_article only. ("%%s": the
# schema editor passes parameters, so a literal % is doubled.)
_KEY = "((COALESCE(CAST(strftime('%%s', {row}.published_at) AS INTEGER), 0) << 28) | {row}.id)"
_COLUMNS = "search_title, search_lead, search_body"


def _values(row):
    return f"{_KEY.format(row=row)}, {row}.search_title, {row}.search_lead, {row}.search_body"


SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS news_article_search USING fts5(
        {_COLUMNS}, content='', detail='column', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS news_article_search_insert AFTER INSERT ON news_article BEGIN
        INSERT INTO news_article_search(rowid, {_COLUMNS}) VALUES ({_values("new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS news_article_search_delete AFTER DELETE ON news_article BEGIN
        INSERT INTO news_article_search(news_article_search, rowid, {_COLUMNS})
        VALUES ('delete', {_values("old")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS news_article_search_update
    AFTER UPDATE OF search_title, search_lead, search_body, published_at ON news_article BEGIN
        INSERT INTO news_article_search(news_article_search, rowid, {_COLUMNS})
        VALUES ('delete', {_values("old")});
        INSERT INTO news_article_search(rowid, {_COLUMNS}) VALUES ({_values("new")});
    END""",
    f"INSERT INTO news_article_search(rowid, {_COLUMNS}) "
    f"SELECT {_values('news_article')} FROM news_article",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS news_article_search_insert",
    "DROP TRIGGER IF EXISTS news_article_search_delete",
    "DROP TRIGGER IF EXISTS news_article_search_update",
    "DROP TABLE IF EXISTS news_article_search",
]
POSTGRESQL_CREATE = [
    """CREATE INDEX news_article_search_document ON news_article USING gin
        ((to_tsvector('simple', search_title || ' ' || search_lead || ' ' || search_body)))""",
    """CREATE INDEX news_article_search_title ON news_article USING gin
        ((to_tsvector('simple', search_title)))""",
    """CREATE INDEX news_article_search_lead ON news_article USING gin
        ((to_tsvector('simple', search_lead)))""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS news_article_search_document",
    "DROP INDEX IF EXISTS news_article_search_title",
    "DROP INDEX IF EXISTS news_article_search_lead",
]


def run_for(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0009_photo_image_from_library'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_body',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='search_lead',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='search_title',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(
            run_for({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run_for({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
