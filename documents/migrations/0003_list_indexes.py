"""Indexes in each list's order, which hold with or without the planner's statistics.

The status, the publication time, the date of issue and the foreign keys the lists filter
on lose their single-column indexes: without statistics SQLite took "status = 'published'"
(or "doc_type_id = ?") for a rare value and sorted every row it matched. Dropped by name
(the names Django gave them in 0001), so that SQLite does not remake the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_INDEXES = {
    "documents_document_status_9de21ed2": '"status"',
    "documents_document_published_at_6de48ade": '"published_at"',
    "documents_document_issued_on_837b7f03": '"issued_on"',
    "documents_document_created_by_id_7d00c649": '"created_by_id"',
    "documents_document_doc_type_id_10e55fed": '"doc_type_id"',
    "documents_document_issuer_id_4aadb3a6": '"issuer_id"',
    "documents_document_field_id_eaede4b0": '"field_id"',
}
# PostgreSQL's second index on a text column, for LIKE.
OLD_PATTERN_INDEX = "documents_document_status_9de21ed2_like"


def drop_old_indexes(apps, schema_editor):
    for name in [*OLD_INDEXES, OLD_PATTERN_INDEX]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_old_indexes(apps, schema_editor):
    for name, column in OLD_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX "{name}" ON "documents_document" ({column})')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{OLD_PATTERN_INDEX}" ON "documents_document" '
            '("status" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_search_and_lists"),
        ("news", "0015_newsroom_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="document",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
                    name="doc_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="documents.documenttype",
                        verbose_name="type",
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
                    name="field",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="documents.workfield",
                        verbose_name="field of work",
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
                    name="issued_on",
                    field=models.DateField(
                        help_text="Typed day first: 25/03/2025.", verbose_name="date of issue"
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
                    name="issuer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="documents.issuer",
                        verbose_name="issuing body",
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
                    name="published_at",
                    field=models.DateTimeField(
                        blank=True,
                        help_text="Day and time it appears to readers, typed day first (25/03/2023 07:00). Left empty, it is set when it is published.",
                        null=True,
                        verbose_name="publication time",
                    ),
                ),
                migrations.AlterField(
                    model_name="document",
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
            model_name="document",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("status", "published")),
                fields=["-issued_on", "-id", "published_at", "expires_at", "status", "deleted_at"],
                name="document_public_order",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=[
                    "-issued_on",
                    "-id",
                    "published_at",
                    "expires_at",
                    "status",
                    "deleted_at",
                    "returned_at",
                    "approved_at",
                    "created_by",
                    "doc_type",
                    "issuer",
                    "field",
                    "validity",
                ],
                name="document_newsroom_order",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["doc_type", "-issued_on", "-id"], name="document_type_order"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["issuer", "-issued_on", "-id"], name="document_issuer_order"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["field", "-issued_on", "-id"], name="document_field_order"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["created_by", "-issued_on", "-id"], name="document_owner_order"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["-deleted_at", "-id"],
                name="document_trash",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["created_by", "-deleted_at", "-id"],
                name="document_owner_trash",
            ),
        ),
    ]
