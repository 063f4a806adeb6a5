"""manage.py restore_database FILE --yes-replace-everything: the whole database replaced by
a backup (lib/backup.py). Stop the application servers and the worker first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssoz.lib import backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE, in one transaction. Stop the "
        "application servers and the worker first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes-replace-everything",
            action="store_true",
            help="confirm that everything in the database now is to be replaced",
        )

    def handle(self, *args, file: Path, yes_replace_everything: bool, **options) -> None:
        if not yes_replace_everything:
            raise CommandError(
                "This replaces everything in the database with the backup: add "
                "--yes-replace-everything to go on."
            )
        try:
            backup.restore(file)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"The restore failed, nothing was changed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"The database now holds the backup {file}."))
