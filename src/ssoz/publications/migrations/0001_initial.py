# Publications and obligations move here from the reports app. Their tables stay as they are
# in this step (only Django's picture of the models moves); 0002 renames them.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('definitions', '0001_initial'),
        ('registry', '0002_voivodeship_offices'),
        ('reports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Publication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='rok')),
                        ('quarter', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='kwartał')),
                        ('deadline', models.DateField(verbose_name='termin przekazania')),
                        ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opublikowano')),
                        ('audience', models.CharField(blank=True, max_length=500, verbose_name='adresaci')),
                        ('for_non_financial', models.BooleanField(default=True, verbose_name='konta niefinansowe')),
                        ('for_financial', models.BooleanField(default=False, verbose_name='konta finansowe')),
                        ('for_psychiatric_card', models.BooleanField(default=False, verbose_name='konta karty MZ/Szp-11B')),
                        ('form_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publications', to='definitions.formversion')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'publikacja formularza',
                        'verbose_name_plural': 'publikacje formularzy',
                        'ordering': ['-year', 'deadline'],
                        'db_table': 'reports_publication',
                        'constraints': [
                            models.UniqueConstraint(condition=models.Q(('quarter__isnull', False)), fields=('form_version', 'year', 'quarter'), name='publication_unique_quarter', violation_error_message='Ten formularz jest już opublikowany za ten okres.'),
                            models.UniqueConstraint(condition=models.Q(('quarter__isnull', True)), fields=('form_version', 'year'), name='publication_unique_year', violation_error_message='Ten formularz jest już opublikowany za ten okres.'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='Obligation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('activated_at', models.DateTimeField(blank=True, null=True, verbose_name='aktywowano')),
                        ('activated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('entity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='registry.entity')),
                        ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='publications.publication')),
                    ],
                    options={
                        'verbose_name': 'obowiązek sprawozdawczy',
                        'verbose_name_plural': 'obowiązki sprawozdawcze',
                        'db_table': 'reports_obligation',
                        'constraints': [
                            models.UniqueConstraint(fields=('publication', 'entity'), name='obligation_unique'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
