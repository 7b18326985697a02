"""Indexes that choose the right plan with or without the planner's statistics.

The status, the publication time, the category and the author lose their single-column
indexes: without statistics SQLite took "status = 'published'" (or "category_id = ?") for
a rare value and sorted every row it matched. The lists get indexes in their own order
instead. Dropped by name (the names Django gave them in 0001), so that SQLite does not
remake the table.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.deletion import PROTECT, SET_NULL

OLD_INDEXES = {
    "news_article_status_29cfe315": '"status"',
    "news_article_published_at_5410882c": '"published_at"',
    "news_article_category_id_7ede7614": '"category_id"',
    "news_article_created_by_id_6c2b5fbb": '"created_by_id"',
}
# PostgreSQL's second index on a text column, for LIKE.
OLD_PATTERN_INDEX = "news_article_status_29cfe315_like"


def drop_old_indexes(apps, schema_editor):
    for name in [*OLD_INDEXES, OLD_PATTERN_INDEX]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_old_indexes(apps, schema_editor):
    for name, column in OLD_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX "{name}" ON "news_article" ({column})')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{OLD_PATTERN_INDEX}" ON "news_article" ("status" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0014_photo_alt_text_and_credit_in_library"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="published_at",
                    field=models.DateTimeField(
                        blank=True,
                        help_text=(
                            "Day and time shown to readers, typed day first (25/03/2023 "
                            "07:00). Left empty, it is set when the article is published."
                        ),
                        null=True,
                        verbose_name="publication time",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=PROTECT,
                        related_name="articles",
                        to="news.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=SET_NULL,
                        related_name="articles",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("review", "Waiting for review"),
                            ("published", "Published"),
                            ("archived", "Taken down"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_old_indexes, create_old_indexes)],
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=[
                    "-published_at",
                    "-id",
                    "deleted_at",
                    "status",
                    "returned_at",
                    "approved_at",
                    "expires_at",
                    "created_by",
                    "category",
                    "featured",
                    "author_name",
                ],
                name="article_newsroom_order",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["category", "-published_at", "-id"], name="article_category_order"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["created_by", "-published_at", "-id"], name="article_owner_order"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["-deleted_at", "-id"],
                name="article_trash",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["created_by", "-deleted_at", "-id"],
                name="article_owner_trash",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["author_name"], name="article_byline"),
        ),
    ]
