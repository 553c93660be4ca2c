"""An agenda document converted from an Office file keeps the original's SHA-256 and its converter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0025_notice_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendadocument",
            name="converted_with",
            field=models.CharField(blank=True, max_length=100, verbose_name="converted with"),
        ),
        migrations.AddField(
            model_name="agendadocument",
            name="original_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="SHA-256 of the original"),
        ),
        migrations.AddField(
            model_name="historicalagendadocument",
            name="converted_with",
            field=models.CharField(blank=True, max_length=100, verbose_name="converted with"),
        ),
        migrations.AddField(
            model_name="historicalagendadocument",
            name="original_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="SHA-256 of the original"),
        ),
    ]
