"""manage.py back_up_database FILE: a backup of the whole database (lib/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssoz.lib import backup


class Command(BaseCommand):
    help = "Write a backup of the whole database to FILE (pg_dump, or SQLite's backup API)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            size = backup.back_up(file)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"The backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file} ({size:,} bytes)."))
