"""SealedDocument.sha512: OParl 1.1's File checksum, computed from each stored file.

Sealed documents are write-once (migration 0004's guard): the backfill lifts the guard for
its own UPDATE only, inside this migration's transaction, and writes nothing but the new column.
"""

import hashlib
import logging

from django.db import migrations, models

logger = logging.getLogger(__name__)


def fill_sha512(apps, schema_editor):
    SealedDocument = apps.get_model("minutes", "SealedDocument")
    schema_editor.execute("ALTER TABLE minutes_sealeddocument DISABLE TRIGGER minutes_sealeddocument_guard")
    for document in SealedDocument.objects.only("pk", "file", "sha256").iterator():
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            logger.warning("sealed document %s: file %s not readable, no SHA-512", document.pk, document.file.name)
            continue
        if hashlib.sha256(data).hexdigest() != document.sha256:
            logger.warning("sealed document %s: file %s does not match its SHA-256", document.pk, document.file.name)
            continue
        SealedDocument.objects.filter(pk=document.pk).update(sha512=hashlib.sha512(data).hexdigest())
    schema_editor.execute("ALTER TABLE minutes_sealeddocument ENABLE TRIGGER minutes_sealeddocument_guard")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0015_once_attendance_times")]

    operations = [
        migrations.AddField(
            model_name="sealeddocument",
            name="sha512",
            field=models.CharField(default="", max_length=128, verbose_name="SHA-512"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalsealeddocument",
            name="sha512",
            field=models.CharField(default="", max_length=128, verbose_name="SHA-512"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sha512, migrations.RunPython.noop),
    ]
