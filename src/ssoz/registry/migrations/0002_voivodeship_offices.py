"""Seed the 16 voivodeship offices, so that every install can route registration forms."""

from django.db import migrations


def create_offices(apps, schema_editor):
    from ssoz.registry.offices import ensure_voivodeship_offices

    ensure_voivodeship_offices(apps.get_model("registry", "VoivodeshipOffice"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    # Reversing keeps the rows: they may have been edited in the admin since.
    operations = [migrations.RunPython(create_offices, migrations.RunPython.noop)]
