from django.db import migrations

# The form needs at least one topic; leaders edit the list in the admin.
TOPICS = [
    "Công tác Đoàn và phong trào thanh niên",
    "Việc làm, học tập và khởi nghiệp",
    "Góp ý về cổng thông tin",
    "Khác",
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("questions", "Topic")
    if not Topic.objects.exists():
        Topic.objects.bulk_create(
            Topic(name=name, order=order) for order, name in enumerate(TOPICS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_questions_and_topics")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
