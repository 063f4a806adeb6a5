"""manage.py import_population FILE: the population of voivodeships and counties from a CSV
export of GUS's Bank Danych Lokalnych (`registry.population`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssoz.registry.population import MAX_BYTES, PopulationFileError, import_population


class Command(BaseCommand):
    help = (
        "Import the population of voivodeships and counties from a BDL CSV export (vertical "
        "layout). A unit and year already imported is replaced; a file with a bad line "
        "imports nothing and lists every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            with file.open("rb") as stream:
                # Read one byte past the limit: a larger file is refused before it is parsed.
                data = stream.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Nie można odczytać pliku {file}: {error.strerror}.") from None
        try:
            summary = import_population(data)
        except PopulationFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{file}: nic nie wczytano.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Population: {summary.created} added, {summary.updated} replaced, "
                f"{summary.skipped} lines of other levels or dimensions skipped."
            )
        )
