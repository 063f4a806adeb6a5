"""Sent and approved reports keep their values the one way of each type, as „Wyślij” now
stores them (`CompiledForm.stored`): a number typed "1 234" becomes "1234". The versions, the
record of what was sent with its checksum, are left as they were."""

from django.db import migrations

from ssoz.definitions.models import compiled_form


def store_as_the_form_reads(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    FormVersion = apps.get_model("definitions", "FormVersion")
    forms = {}
    changed = []
    reports = (
        Report.objects.filter(status__in=["sent", "approved"])
        .select_related("publication")
        .only("id", "values", "publication__form_version_id")
        .order_by("pk")
    )
    for report in reports.iterator(chunk_size=2000):
        version_id = report.publication.form_version_id
        form = forms.get(version_id)
        if form is None:
            version = FormVersion.objects.select_related("definition").get(pk=version_id)
            name = version.filename or f"{version.definition.code} {version.version}"
            form = forms[version_id] = compiled_form(
                version.pk, version.checksum, loader=lambda v=version, n=name: (v.data, n)
            )
        stored = form.stored(report.values)
        if stored != report.values:
            report.values = stored
            changed.append(report)
        if len(changed) == 1000:
            Report.objects.bulk_update(changed, ["values"])
            changed.clear()
    Report.objects.bulk_update(changed, ["values"])


class Migration(migrations.Migration):
    dependencies = [
        ("definitions", "0003_monthly_periods"),
        ("reports", "0013_queue_keys"),
    ]

    operations = [migrations.RunPython(store_as_the_form_reads, migrations.RunPython.noop)]
