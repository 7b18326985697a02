import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_photos_into_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="photo", name="image"),
        migrations.RemoveField(model_name="photo", name="width"),
        migrations.RemoveField(model_name="photo", name="height"),
        migrations.RenameField(model_name="photo", old_name="library_image", new_name="image"),
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=models.ForeignKey(
                blank=True,
                help_text="Type to search the photo library, or upload a new image beside it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="photos.image",
                verbose_name="library image",
            ),
        ),
    ]
