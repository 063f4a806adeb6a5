# Applications get a random reference (printed on the registration form instead of the row's
# number), and registrations with a taken e-mail address are kept apart from accounts.

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import ssoz.accounts.models
from django.db import migrations, models


def give_references(apps, schema_editor):
    RegistrationApplication = apps.get_model('accounts', 'RegistrationApplication')
    taken = set()
    for application in RegistrationApplication.objects.filter(reference__isnull=True):
        reference = ssoz.accounts.models.new_reference()
        while reference in taken:
            reference = ssoz.accounts.models.new_reference()
        taken.add(reference)
        application.reference = reference
        application.save(update_fields=['reference'])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('registry', '0002_voivodeship_offices'),
    ]

    operations = [
        migrations.AddField(
            model_name='registrationapplication',
            name='reference',
            field=models.CharField(editable=False, max_length=9, null=True, verbose_name='numer wniosku'),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='registrationapplication',
            name='reference',
            field=models.CharField(default=ssoz.accounts.models.new_reference, editable=False, max_length=9, unique=True, verbose_name='numer wniosku'),
        ),
        migrations.AlterField(
            model_name='accountevent',
            name='kind',
            field=models.CharField(choices=[('registered', 'rejestracja'), ('form_received', 'otrzymano podpisany formularz'), ('activated', 'aktywacja konta'), ('rejected', 'odrzucenie wniosku'), ('logged_in', 'logowanie'), ('logged_in_temporary', 'logowanie hasłem roboczym'), ('login_failed', 'nieudane logowanie'), ('logged_out', 'wylogowanie'), ('temporary_password_sent', 'wysłano hasło robocze'), ('password_changed', 'zmiana hasła'), ('duplicate_registration', 'próba rejestracji z adresem e-mail tego konta')], max_length=32),
        ),
        migrations.CreateModel(
            name='DuplicateRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(default=ssoz.accounts.models.new_reference, max_length=9, unique=True)),
                ('username', models.CharField(max_length=150)),
                ('password', models.CharField(max_length=256)),
                ('first_name', models.CharField(max_length=150)),
                ('last_name', models.CharField(max_length=150)),
                ('email', models.EmailField(max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('financial_reports', models.BooleanField(default=False)),
                ('psychiatric_card_only', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('entity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.entity')),
            ],
            options={
                'verbose_name': 'rejestracja na zajęty adres e-mail',
                'verbose_name_plural': 'rejestracje na zajęte adresy e-mail',
                'indexes': [models.Index(django.db.models.functions.text.Lower('username'), name='duplicate_username_ci')],
            },
        ),
    ]
