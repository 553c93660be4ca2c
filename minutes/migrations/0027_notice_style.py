"""A sent notice keeps the house style it was sent with, so showing it later prints the same words."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0026_office_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingnotice",
            name="style_document",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="style document"),
        ),
        migrations.AddField(
            model_name="meetingnotice",
            name="style_version",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name="style version"),
        ),
    ]
