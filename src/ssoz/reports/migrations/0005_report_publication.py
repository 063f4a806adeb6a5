# Reports keep their obligation's publication (which never changes): counts per publication
# and the queue's filters by form and year then read one indexed table.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_obligations(apps, schema_editor):
    Report = apps.get_model('reports', 'Report')
    Obligation = apps.get_model('publications', 'Obligation')
    publication = Obligation.objects.filter(pk=OuterRef('obligation_id')).values('publication_id')[:1]
    Report.objects.update(publication_id=Subquery(publication))


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0002_rename_tables'),
        ('reports', '0004_report_voivodeship'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='publication',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='publications.publication'),
        ),
        migrations.RunPython(from_obligations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='report',
            name='publication',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='publications.publication'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['publication', 'status'], name='report_publication_status'),
        ),
    ]
