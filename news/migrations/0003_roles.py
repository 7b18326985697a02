from django.db import migrations
from django.db.models import F

# The newsroom's groups are made after every migrate by portal.apps (portal.roles.sync_roles).


def mark_published_as_announced(apps, schema_editor):
    # Articles already public must not be announced again by publish_scheduled.
    Article = apps.get_model("news", "Article")
    Article._default_manager.filter(status="published").update(announced_at=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_workflow"),
    ]

    operations = [
        migrations.RunPython(mark_published_as_announced, migrations.RunPython.noop),
    ]
