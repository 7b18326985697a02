# The rich-text field's class changed (core.richtext): the column is the same text column,
# so only Django's state changes (SQLite would otherwise remake the table).

import core.richtext
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('about', '0001_identity_pages_directory'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='intropage',
                    name='body',
                    field=core.richtext.RichTextField(blank=True, help_text='Scripts, inline styles, frames and forms are removed when the page is saved.', verbose_name='body'),
                ),
                migrations.AlterField(
                    model_name='intropage',
                    name='body_en',
                    field=core.richtext.RichTextField(blank=True, help_text='Left empty, the English page shows the Vietnamese text with a note.', verbose_name='body in English'),
                ),
            ],
        ),
    ]
