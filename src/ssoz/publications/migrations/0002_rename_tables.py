# The moved models get their own app's table names, and their content types follow them, so
# that permissions and admin history keep pointing at the right models.

from django.db import migrations


def move_content_types(apps, schema_editor, old='reports', new='publications'):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in ('publication', 'obligation'):
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old='publications', new='reports')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('publications', '0001_initial'),
        ('reports', '0002_publications_moved'),
    ]

    operations = [
        migrations.AlterModelTable(name='publication', table=None),
        migrations.AlterModelTable(name='obligation', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
