"""SQLite: the title and the lead get FTS5 indexes of their own.

Readers' search lists title matches first, then lead matches, then the rest. Read from
the whole article's index with a column filter, a tier walked every article holding each
word anywhere: for common words that rarely meet in a title, the whole archive (half a
second at 100,000 articles). The title's and the lead's own indexes hold only those
words; `detail='none'` (no positions, no columns) keeps them small and quick to walk.
PostgreSQL already has a GIN index for each (migration 0010). The statements are a copy
of news.search at the time of writing: migrations do not import live code. ("%%s": the
schema editor passes parameters, so a literal % is doubled.)
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS news_article_title USING fts5(
            search_title, content='', detail='none',
            tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS news_article_title_insert AFTER INSERT ON news_article BEGIN
            INSERT INTO news_article_title(rowid, search_title) VALUES (((COALESCE(CAST(strftime('%%s', new.published_at) AS INTEGER), 0) << 28) | new.id), new.search_title);
        END""",
    """CREATE TRIGGER IF NOT EXISTS news_article_title_delete AFTER DELETE ON news_article BEGIN
            INSERT INTO news_article_title(news_article_title, rowid, search_title) VALUES ('delete', ((COALESCE(CAST(strftime('%%s', old.published_at) AS INTEGER), 0) << 28) | old.id), old.search_title);
        END""",
    """CREATE TRIGGER IF NOT EXISTS news_article_title_update
        AFTER UPDATE OF search_title, published_at ON news_article BEGIN
            INSERT INTO news_article_title(news_article_title, rowid, search_title) VALUES ('delete', ((COALESCE(CAST(strftime('%%s', old.published_at) AS INTEGER), 0) << 28) | old.id), old.search_title);
            INSERT INTO news_article_title(rowid, search_title) VALUES (((COALESCE(CAST(strftime('%%s', new.published_at) AS INTEGER), 0) << 28) | new.id), new.search_title);
        END""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS news_article_lead USING fts5(
            search_lead, content='', detail='none',
            tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS news_article_lead_insert AFTER INSERT ON news_article BEGIN
            INSERT INTO news_article_lead(rowid, search_lead) VALUES (((COALESCE(CAST(strftime('%%s', new.published_at) AS INTEGER), 0) << 28) | new.id), new.search_lead);
        END""",
    """CREATE TRIGGER IF NOT EXISTS news_article_lead_delete AFTER DELETE ON news_article BEGIN
            INSERT INTO news_article_lead(news_article_lead, rowid, search_lead) VALUES ('delete', ((COALESCE(CAST(strftime('%%s', old.published_at) AS INTEGER), 0) << 28) | old.id), old.search_lead);
        END""",
    """CREATE TRIGGER IF NOT EXISTS news_article_lead_update
        AFTER UPDATE OF search_lead, published_at ON news_article BEGIN
            INSERT INTO news_article_lead(news_article_lead, rowid, search_lead) VALUES ('delete', ((COALESCE(CAST(strftime('%%s', old.published_at) AS INTEGER), 0) << 28) | old.id), old.search_lead);
            INSERT INTO news_article_lead(rowid, search_lead) VALUES (((COALESCE(CAST(strftime('%%s', new.published_at) AS INTEGER), 0) << 28) | new.id), new.search_lead);
        END""",
    """INSERT INTO news_article_title(rowid, search_title) SELECT ((COALESCE(CAST(strftime('%%s', news_article.published_at) AS INTEGER), 0) << 28) | news_article.id), news_article.search_title FROM news_article""",
    """INSERT INTO news_article_lead(rowid, search_lead) SELECT ((COALESCE(CAST(strftime('%%s', news_article.published_at) AS INTEGER), 0) << 28) | news_article.id), news_article.search_lead FROM news_article""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS news_article_title_insert",
    "DROP TRIGGER IF EXISTS news_article_title_delete",
    "DROP TRIGGER IF EXISTS news_article_title_update",
    "DROP TABLE IF EXISTS news_article_title",
    "DROP TRIGGER IF EXISTS news_article_lead_insert",
    "DROP TRIGGER IF EXISTS news_article_lead_delete",
    "DROP TRIGGER IF EXISTS news_article_lead_update",
    "DROP TABLE IF EXISTS news_article_lead",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0017_pending_drafts"),
    ]

    operations = [
        migrations.RunPython(run(SQLITE_CREATE), run(SQLITE_DROP), elidable=True),
    ]
