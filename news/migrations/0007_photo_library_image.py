import django.db.models.deletion
import photos.models
from django.db import migrations, models


class Migration(migrations.Migration):
    # Photos become placements of photo library images: first the new link (here),
    # then the data (0008), then the old file columns go (0009), each committed apart.

    dependencies = [
        ("news", "0006_published_has_time"),
        ("photos", "0001_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="library_image",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="photos.image",
                verbose_name="library image",
            ),
        ),
        migrations.AlterField(
            model_name="photo",
            name="caption",
            field=models.CharField(
                blank=True,
                help_text="Left empty, the library's caption is used.",
                max_length=500,
                verbose_name="caption",
            ),
        ),
        migrations.AlterField(
            model_name="photo",
            name="credit",
            field=photos.models.CreditField(blank=True, max_length=150, verbose_name="credit"),
        ),
    ]
