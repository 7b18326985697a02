# The rich-text field's class changed (core.richtext): the column is the same text column,
# so only Django's state changes (SQLite would otherwise remake the table).

import core.richtext
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0012_featured_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='article',
                    name='body',
                    field=core.richtext.RichTextField(blank=True, help_text='Scripts, inline styles, frames and forms are removed when the article is saved.', verbose_name='body'),
                ),
            ],
        ),
    ]
