# Reports record their first sending and whether it came after the deadline. Reports sent
# before this are given the time of their first kept version (or their last sending).

from django.db import migrations, models
from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def from_versions(apps, schema_editor):
    Report = apps.get_model('reports', 'Report')
    ReportVersion = apps.get_model('reports', 'ReportVersion')
    first = (
        ReportVersion.objects.filter(report_id=OuterRef('pk'))
        .order_by()
        .values('report_id')
        .annotate(first=Min('sent_at'))
        .values('first')
    )
    sent = Report.objects.exclude(status='draft')
    sent.update(first_sent_at=Coalesce(Subquery(first), F('sent_at')))
    late = sent.filter(first_sent_at__date__gt=F('publication__deadline')).values('pk')
    Report.objects.filter(pk__in=late).update(sent_late=True)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_report_publication'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='first_sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='pierwsze wysłanie'),
        ),
        migrations.AddField(
            model_name='report',
            name='sent_late',
            field=models.BooleanField(default=False, verbose_name='wysłane po terminie'),
        ),
        migrations.RunPython(from_versions, migrations.RunPython.noop),
    ]
