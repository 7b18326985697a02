"""When the author was told the document went live: documents are announced as articles are.

Documents published before this migration count as announced, so that publish_scheduled
does not mail their authors now.
"""

from django.db import migrations, models


def mark_published_as_announced(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document._default_manager.filter(status="published").update(
        announced_at=models.F("published_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="announced_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the author was told the document went live (publish_scheduled).",
                null=True,
                verbose_name="announced at",
            ),
        ),
        migrations.RunPython(mark_published_as_announced, migrations.RunPython.noop),
    ]
