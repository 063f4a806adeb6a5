# Publications and obligations now belong to the publications app (its 0001): the report's
# foreign key points there, and the reports app forgets the two models. No table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='report',
                    name='obligation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='publications.obligation'),
                ),
                migrations.DeleteModel(name='Obligation'),
                migrations.DeleteModel(name='Publication'),
            ],
            database_operations=[],
        ),
    ]
