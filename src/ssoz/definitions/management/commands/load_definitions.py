"""manage.py load_definitions PATH [PATH…] [--check]: check and load form definition files.

A folder is searched for ``*.yaml`` files at any depth; files are given as they are (``.yaml``
or ``.xlsx``). One line per file says what happened; every problem follows on its own line as
``file:line (item): message``, so that editors and CI can jump to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssoz.definitions.services import load_definition


class Command(BaseCommand):
    # Operator help for the command line; argparse cannot format lazy translations.
    help = (
        "Sprawdza i wczytuje definicje formularzy (YAML lub XLSX). Katalogi są przeszukiwane "
        "w poszukiwaniu plików *.yaml. Z --check tylko sprawdza, niczego nie zapisując."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="pliki definicji lub katalogi")
        parser.add_argument(
            "--check",
            action="store_true",
            help="tylko sprawdza pliki, niczego nie zapisując",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        missing = 0
        for name in options["paths"]:
            path = Path(name)
            if path.is_dir():
                found = sorted(path.rglob("*.yaml"))
                if not found:
                    self.stderr.write(f"{path}: brak plików *.yaml")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                self.stderr.write(f"{path}: nie ma takiego pliku ani katalogu")
                missing += 1
        failed = missing
        for path in files:
            result = load_definition(
                path.read_bytes(), filename=str(path), check_only=options["check"]
            )
            if result.ok:
                self.stdout.write(str(result))
            else:
                failed += 1
                self.stderr.write(self.style.ERROR(str(result)))
                for problem in result.problems:
                    self.stderr.write(str(problem))
        if failed:
            total = len(files) + missing
            raise CommandError(f"Pliki z błędami: {failed} z {total}; popraw wskazane miejsca.")
