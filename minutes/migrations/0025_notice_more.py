"""The notice's rule moves to the committee (a meeting may override it), AgendaDocument.sha512 (OParl's
File checksum, computed from each stored file), room for "andre vice ordförande" in a recipient's
role, and the officials invited to present an item.

A meeting that had the old default of 7 days now follows its committee's rule, which is 7 days until
the secretariat changes it: no notice falls due on another day than before.
"""

import hashlib
import logging

import django.db.models.deletion
import django.utils.timezone
import minutes.models.notice
from django.db import migrations, models


logger = logging.getLogger(__name__)


def follow_the_committee(apps, schema_editor):
    apps.get_model("minutes", "Meeting").objects.filter(notice_days=7).update(notice_days=None)


def fill_sha512(apps, schema_editor):
    AgendaDocument = apps.get_model("minutes", "AgendaDocument")
    for document in AgendaDocument.objects.filter(sha512="").only("pk", "file", "sha256").iterator():
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            logger.warning("agenda document %s: file %s not readable, no SHA-512", document.pk, document.file.name)
            continue
        if hashlib.sha256(data).hexdigest() != document.sha256:
            logger.warning("agenda document %s: file %s does not match its SHA-256", document.pk, document.file.name)
            continue
        AgendaDocument.objects.filter(pk=document.pk).update(sha512=hashlib.sha512(data).hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ('committee', '0006_notice_rule'),
        ('minutes', '0024_procedure_structure'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendadocument',
            name='sha512',
            field=models.CharField(blank=True, max_length=128, verbose_name='SHA-512'),
        ),
        migrations.AddField(
            model_name='historicalagendadocument',
            name='sha512',
            field=models.CharField(blank=True, max_length=128, verbose_name='SHA-512'),
        ),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='notice_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text="How many days before the meeting the notice goes out; empty follows the committee's rule.", null=True, verbose_name='notice days'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='notice_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text="How many days before the meeting the notice goes out; empty follows the committee's rule.", null=True, verbose_name='notice days'),
        ),
        migrations.AlterField(
            model_name='noticerecipient',
            name='role',
            field=models.CharField(max_length=40, verbose_name='role'),
        ),
        migrations.CreateModel(
            name='AgendaInvitee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                ('token', models.CharField(default=minutes.models.notice.new_token, editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminded')),
                ('opened_at', models.DateTimeField(blank=True, null=True, verbose_name='opened')),
                ('agenda_item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitees', to='minutes.agendaitem')),
            ],
            options={
                'verbose_name': 'invited official',
                'verbose_name_plural': 'invited officials',
                'ordering': ['agenda_item', 'id'],
                'constraints': [models.UniqueConstraint(fields=('agenda_item', 'email'), name='invitee_once_per_item')],
            },
        ),
        migrations.RunPython(follow_the_committee, migrations.RunPython.noop),
        migrations.RunPython(fill_sha512, migrations.RunPython.noop),
    ]
