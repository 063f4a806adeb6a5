"""manage.py convert_definition SOURCE TARGET: a form definition from YAML to XLSX and back.

The direction follows the file extensions (.yaml/.yml, .xlsx); converting YAML to YAML or XLSX
to XLSX rewrites the file in the canonical layout. The definition is converted, not checked:
``load_definitions --check`` checks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssoz.definitions.dumper import dump_yaml
from ssoz.definitions.spreadsheet import XlsxDefinitionError, read_xlsx, write_xlsx

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
XLSX_SUFFIXES = frozenset({".xlsx"})


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    raise CommandError(
        f"Nieznane rozszerzenie pliku «{path}»: oczekiwano .yaml, .yml albo .xlsx. / "
        f"Unknown file extension of «{path}»: expected .yaml, .yml or .xlsx."
    )


def _read(path: Path, file_format: str) -> dict[str, Any]:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(
            f"Nie można odczytać pliku «{path}»: {error.strerror}. / "
            f"Cannot read «{path}»: {error.strerror}."
        ) from error
    if file_format == "xlsx":
        try:
            return read_xlsx(content)
        except XlsxDefinitionError as error:
            raise CommandError(f"{path}:\n{error}") from error
    try:
        data = yaml.safe_load(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CommandError(
            f"Plik «{path}» nie jest zapisany w UTF-8. / «{path}» is not UTF-8 text."
        ) from error
    except yaml.YAMLError as error:
        raise CommandError(
            f"Błąd składni YAML w «{path}» / YAML syntax error in «{path}»:\n{error}"
        ) from error
    if not isinstance(data, dict):
        raise CommandError(
            f"Plik «{path}» nie zawiera definicji formularza (oczekiwano mapowania klucz: "
            f"wartość). / «{path}» holds no form definition (expected a key: value mapping)."
        )
    return data


def _render(data: dict[str, Any], file_format: str, source: Path) -> bytes:
    if file_format == "yaml":
        return dump_yaml(data).encode("utf-8")
    try:
        return write_xlsx(data)
    except XlsxDefinitionError as error:
        raise CommandError(f"{source}:\n{error}") from error


class Command(BaseCommand):
    # Operator help for the command line; argparse cannot format lazy translations.
    help = (
        "Przekształca definicję formularza: YAML → XLSX albo XLSX → YAML, według rozszerzeń "
        "plików. / Converts a form definition: YAML → XLSX or XLSX → YAML, by file extension."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="plik źródłowy / source file (.yaml, .yml, .xlsx)")
        parser.add_argument(
            "target",
            help="plik wynikowy, nadpisywany / target file, overwritten (.yaml, .yml, .xlsx)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        source = Path(options["source"])
        target = Path(options["target"])
        source_format, target_format = _format_of(source), _format_of(target)
        if source.resolve() == target.resolve():
            raise CommandError(
                "Plik źródłowy i wynikowy to ten sam plik. / Source and target are the same file."
            )
        data = _read(source, source_format)
        content = _render(data, target_format, source)
        try:
            target.write_bytes(content)
        except OSError as error:
            raise CommandError(
                f"Nie można zapisać pliku «{target}»: {error.strerror}. / "
                f"Cannot write «{target}»: {error.strerror}."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Zapisano {target} ({source_format.upper()} → {target_format.upper()}). / "
                f"Written {target}."
            )
        )
