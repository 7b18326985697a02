from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0005, whose data migration must commit before the table changes again.

    dependencies = [
        ("news", "0005_stages_and_trash"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('published_at__isnull', False), _connector='OR'), name='article_published_has_time', violation_error_message='A published article needs a publication time.'),
        ),
    ]
