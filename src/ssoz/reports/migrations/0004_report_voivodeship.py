# Reports keep the voivodeship whose office reviews them, as their header keeps the registry's
# data: the review queue and its counts then read one indexed table.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

VOIVODESHIPS = [('02', 'dolnośląskie'), ('04', 'kujawsko-pomorskie'), ('06', 'lubelskie'), ('08', 'lubuskie'), ('10', 'łódzkie'), ('12', 'małopolskie'), ('14', 'mazowieckie'), ('16', 'opolskie'), ('18', 'podkarpackie'), ('20', 'podlaskie'), ('22', 'pomorskie'), ('24', 'śląskie'), ('26', 'świętokrzyskie'), ('28', 'warmińsko-mazurskie'), ('30', 'wielkopolskie'), ('32', 'zachodniopomorskie')]


def from_entities(apps, schema_editor):
    Report = apps.get_model('reports', 'Report')
    Obligation = apps.get_model('publications', 'Obligation')
    voivodeship = Obligation.objects.filter(pk=OuterRef('obligation_id')).values(
        'entity__voivodeship'
    )[:1]
    Report.objects.update(voivodeship=Subquery(voivodeship))


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0002_rename_tables'),
        ('registry', '0002_voivodeship_offices'),
        ('reports', '0003_value_changes'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='voivodeship',
            field=models.CharField(choices=VOIVODESHIPS, max_length=2, null=True, verbose_name='województwo'),
        ),
        migrations.RunPython(from_entities, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='report',
            name='voivodeship',
            field=models.CharField(choices=VOIVODESHIPS, max_length=2, verbose_name='województwo'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['voivodeship', 'status', 'sent_at'], name='report_queue'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['status', 'sent_at'], name='report_queue_country'),
        ),
    ]
