"""A backup taken, the data changed, the backup restored: the database is as it was, on
SQLite and on PostgreSQL, with the database's own tools."""

import io

import cast
import pytest
from django.core.management import CommandError, call_command

from ssoz.accounts.models import User
from ssoz.registry.models import Entity


def snapshot() -> dict:
    return {
        "entities": sorted(Entity.objects.values_list("pk", "regon", "name")),
        "users": sorted(User.objects.values_list("pk", "username", "email", "is_active")),
    }


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_brings_back_the_database_as_it_was(tmp_path):
    hospital = cast.make_entity(name="Szpital Kopii")
    cast.make_user("ala", entity=hospital)
    cast.make_user("ola", entity=hospital)
    before = snapshot()
    file = tmp_path / "ssoz.backup"
    out = io.StringIO()
    call_command("back_up_database", str(file), stdout=out)
    assert file.stat().st_size > 0 and "Backup written" in out.getvalue()

    Entity.objects.filter(pk=hospital.pk).update(name="Zmieniona nazwa")
    User.objects.filter(username="ola").delete()
    cast.make_user("nowa", entity=hospital)
    assert snapshot() != before

    with pytest.raises(CommandError, match="--yes-replace-everything"):
        call_command("restore_database", str(file))
    call_command("restore_database", str(file), yes_replace_everything=True, stdout=out)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_no_backup_changes_nothing(tmp_path):
    cast.make_entity(name="Szpital Bez Zmian")
    before = snapshot()
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"this is not a backup")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore_database", str(bogus), yes_replace_everything=True)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore_database", str(tmp_path / "missing"), yes_replace_everything=True)
    assert snapshot() == before
