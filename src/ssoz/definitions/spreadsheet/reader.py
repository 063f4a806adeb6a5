"""Reading a workbook back into a definition dict, forgiving what Excel and people do, and
collecting every problem with its sheet, row and column."""

from __future__ import annotations

import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..keys import TEXT_KEYS
from .assemble import ReadRow, assemble
from .cells import RawCell, as_string, is_blank, read_value, unescape
from .limits import CellBudget, check_archive, check_dimensions, numbered_rows
from .problems import CellError, Problem, XlsxDefinitionError
from .sheets import FORM_SPEC, RECORDS_SPEC, REQUIRED_SHEETS, SHEETS, TABLE_SHEETS
from .spec import INSTRUCTION_SHEET, NOTE_PREFIX, Col, Kind, SheetSpec


@dataclass
class _Reader:
    dates_as_text: bool = False
    problems: list[Problem] = field(default_factory=list)
    cells: CellBudget = field(default_factory=CellBudget)

    def add(
        self, sheet: str | None, row: int | None, column: str | None, message: str, en: str
    ) -> None:
        self.problems.append(Problem(message, en, sheet=sheet, row=row, column=column))


def read_xlsx(content: bytes, *, dates_as_text: bool = False) -> dict[str, Any]:
    """The definition dict of an XLSX workbook written by :func:`write_xlsx` (and then perhaps
    edited in Excel or LibreOffice). Raises :class:`XlsxDefinitionError` listing every problem.

    Date cells become ``datetime.date`` (as ``yaml.safe_load`` gives them), or with
    ``dates_as_text`` the text ``RRRR-MM-DD`` that the loader and the JSON Schema expect.
    Dates in text cells stay text either way.
    """
    workbook = _open(content)
    try:
        return _read(workbook, dates_as_text)
    except XlsxDefinitionError:
        raise
    except Exception as exc:  # read-only sheets are parsed as they are read, and fail alike
        raise _cannot_open(exc) from exc
    finally:
        workbook.close()


def _read(workbook: openpyxl.Workbook, dates_as_text: bool) -> dict[str, Any]:
    reader = _Reader(dates_as_text=dates_as_text)
    sheets: dict[str, ReadOnlyWorksheet] = {}
    known = {spec.name for spec in SHEETS}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        if name in known:
            check_dimensions(sheet)
            sheets[name] = sheet
        elif name != INSTRUCTION_SHEET and not name.startswith(NOTE_PREFIX):
            reader.add(
                sheet.title,
                None,
                None,
                "nieznany arkusz; dozwolone: "
                + ", ".join(spec.name for spec in SHEETS)
                + " (i arkusze z nazwą zaczynającą się od #)",
                "unknown sheet; allowed: "
                + ", ".join(spec.name for spec in SHEETS)
                + " (and sheets whose name starts with #)",
            )
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            reader.add(name, None, None, "brak arkusza", "the sheet is missing")
    if reader.problems:
        raise XlsxDefinitionError(reader.problems)

    form = _read_form(reader, sheets["form"])
    records, _rows = _read_settings(
        reader, _filled(reader, sheets.get(RECORDS_SPEC.name)), RECORDS_SPEC
    )
    tables = {spec.name: _read_rows(reader, sheets.get(spec.name), spec) for spec in TABLE_SHEETS}
    data = assemble(reader, form, records, tables)
    if reader.problems:
        raise XlsxDefinitionError(sorted(reader.problems, key=_reading_order))
    return data


def _reading_order(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the sheets and rows, as a person goes through the workbook."""
    ranks = {spec.name: rank for rank, spec in enumerate(SHEETS, start=1)}
    return ranks.get((problem.sheet or "").lower(), 0), problem.row or 0


def _open(content: bytes) -> openpyxl.Workbook:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise XlsxDefinitionError(
            [
                Problem(
                    "plik nie jest skoroszytem XLSX (nie jest archiwum ZIP); zapisz go w Excelu "
                    "lub LibreOffice jako „Skoroszyt programu Excel (.xlsx)”",
                    "the file is not an XLSX workbook (not a ZIP archive); save it in Excel or "
                    "LibreOffice as “Excel Workbook (.xlsx)”",
                )
            ]
        )
    # Before openpyxl touches the bytes: a small file may unpack to gigabytes.
    check_archive(content)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops (e.g. unsupported extensions): irrelevant here.
            warnings.simplefilter("ignore")
            # Read-only: sheets are parsed row by row as they are read, never held whole.
            return openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    except Exception as exc:  # a damaged file fails in many ways; each is reported alike
        raise _cannot_open(exc) from exc


def _cannot_open(exc: Exception) -> XlsxDefinitionError:
    return XlsxDefinitionError(
        [
            Problem(
                f"nie można otworzyć skoroszytu XLSX ({type(exc).__name__}: {exc})",
                f"the XLSX workbook cannot be opened ({type(exc).__name__}: {exc})",
            )
        ]
    )


def _raw(cell: ReadOnlyCell | EmptyCell) -> RawCell:
    value = cell.value
    if value is not None and not isinstance(value, str | int | float | datetime.date):
        value = str(value)  # times of day, errors, …
    return RawCell(value, cell.number_format or "General")


def _normal_header(value: object) -> str:
    text = unescape(as_string(value)) if value is not None else ""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _headers(reader: _Reader, sheet: ReadOnlyWorksheet, allowed: Sequence[str]) -> dict[str, int]:
    """Header name → column index (1-based), reporting unknown and repeated headers."""
    found: dict[str, int] = {}
    rows = numbered_rows(sheet, reader.cells)
    try:
        _number, header = next(rows, (1, ()))
    finally:
        rows.close()
    for column, cell in enumerate(header, start=1):
        name = _normal_header(cell.value)
        if not name or name.startswith(NOTE_PREFIX):
            continue
        letter = get_column_letter(column)
        if name not in allowed:
            reader.add(
                sheet.title,
                1,
                letter,
                f"nieznana kolumna «{name}»; dozwolone: {', '.join(allowed)} (i kolumny "
                "z nagłówkiem zaczynającym się od #)",
                f"unknown column «{name}»; allowed: {', '.join(allowed)} (and columns whose "
                "header starts with #)",
            )
        elif name in found:
            reader.add(
                sheet.title,
                1,
                letter,
                f"kolumna «{name}» występuje dwa razy",
                f"column «{name}» appears twice",
            )
        else:
            found[name] = column
    return found


def _filled(reader: _Reader, sheet: ReadOnlyWorksheet | None) -> ReadOnlyWorksheet | None:
    """An optional sheet, or None when it is missing or emptied altogether, headers included."""
    if sheet is None or all(
        is_blank(cell.value) for _number, row in numbered_rows(sheet, reader.cells) for cell in row
    ):
        return None
    return sheet


def _read_rows(reader: _Reader, sheet: ReadOnlyWorksheet | None, spec: SheetSpec) -> list[ReadRow]:
    sheet = _filled(reader, sheet)
    if sheet is None:
        return []
    found = _headers(reader, sheet, [header for col in spec.columns for header in col.headers()])
    for col in spec.columns:
        if col.required and col.key not in found:
            reader.add(sheet.title, 1, col.key, "brak kolumny", "the column is missing")
    rows: list[ReadRow] = []
    for number, cells in numbered_rows(sheet, reader.cells, min_row=2):
        by_header = {
            header: _raw(cells[index - 1]) for header, index in found.items() if index <= len(cells)
        }
        if all(is_blank(raw.value) for raw in by_header.values()):
            continue  # blank lines between groups and Excel's trailing empty rows
        values: dict[str, Any] = {}
        for col in spec.columns:
            value = _read_col(reader, sheet.title, number, col, by_header)
            if value is not None:
                values[col.key] = value
            elif col.required:
                reader.add(sheet.title, number, col.key, "brak wartości", "the value is missing")
        rows.append(ReadRow(number, values))
    return rows


def _read_col(
    reader: _Reader,
    sheet: str,
    number: int | Mapping[str, int],
    col: Col,
    cells: Mapping[str, RawCell],
    column: str | None = None,
) -> Any:
    """The value of ``col`` in a row (None: absent), reporting bad cells.

    ``number`` is the sheet row, or for the form sheet the row of each key; ``column`` names the
    column problems are reported in when it is not the key's own (the form sheet's "value").
    """

    def where(header: str) -> tuple[int | None, str]:
        row = number.get(header) if isinstance(number, Mapping) else number
        return row, column or header

    if col.kind is Kind.TEXT:
        halves = {}
        for language, header in zip(TEXT_KEYS, col.headers(), strict=True):
            raw = cells.get(header)
            if raw is not None and not is_blank(raw.value):
                halves[language] = read_value(raw, col)
        if not halves:
            return None
        if len(halves) == 1:
            missing = next(
                h for h, lang in zip(col.headers(), TEXT_KEYS, strict=True) if lang not in halves
            )
            present = next(h for h in col.headers() if h != missing)
            row, name = where(missing)
            if row is None:  # the form sheet has no row for it: point at the other half
                row, name = where(present)
            reader.add(
                sheet,
                row,
                name,
                f"brak {missing}: tekst musi mieć wersję polską i angielską",
                f"{missing} is missing: a text needs a Polish and an English version",
            )
            return None
        return {language: halves[language] for language in TEXT_KEYS}
    raw = cells.get(col.key)
    if raw is None or is_blank(raw.value):
        return None
    try:
        return read_value(raw, col, reader.dates_as_text)
    except CellError as error:
        row, name = where(col.key)
        prefix = f"{col.key}: " if column else ""
        reader.add(sheet, row, name, prefix + error.message, prefix + error.message_en)
        return None


def _read_form(reader: _Reader, sheet: ReadOnlyWorksheet) -> dict[str, Any]:
    """The form sheet as {column key: value} (deadline_… and rules still flat)."""
    form, rows = _read_settings(reader, sheet, FORM_SPEC)
    if "deadline" in form and any(key.startswith("deadline_") for key in form):
        reader.add(
            sheet.title,
            rows["deadline"],
            "value",
            "termin podano dwa razy: jako datę i jako deadline_…; zostaw jedno",
            "the deadline is given twice: as a date and as deadline_…; keep one",
        )
    return form


def _read_settings(
    reader: _Reader, sheet: ReadOnlyWorksheet | None, spec: SheetSpec
) -> tuple[dict[str, Any], dict[str, int]]:
    """A sheet of key/value rows (form, records) as {column key: value}, and the row of each
    key; empty for a sheet that is missing."""
    if sheet is None:
        return {}, {}
    found = _headers(reader, sheet, ("key", "value"))
    for name in ("key", "value"):
        if name not in found:
            reader.add(sheet.title, 1, name, "brak kolumny", "the column is missing")
    if "key" not in found or "value" not in found:
        return {}, {}
    known = [header for col in spec.columns for header in col.headers()]
    cells: dict[str, RawCell] = {}
    rows: dict[str, int] = {}
    key_index, value_index = found["key"] - 1, found["value"] - 1
    for number, row in numbered_rows(sheet, reader.cells, min_row=2):
        key = _normal_header(row[key_index].value) if key_index < len(row) else ""
        value = _raw(row[value_index]) if value_index < len(row) else RawCell(None)
        if not key:
            if not is_blank(value.value):
                reader.add(
                    sheet.title, number, "key", "wartość bez klucza", "a value without a key"
                )
            continue
        if key.startswith(NOTE_PREFIX):
            continue
        if key not in known:
            reader.add(
                sheet.title,
                number,
                "key",
                f"nieznany klucz «{key}»; dozwolone: {', '.join(known)}",
                f"unknown key «{key}»; allowed: {', '.join(known)}",
            )
        elif key in rows:
            reader.add(
                sheet.title,
                number,
                "key",
                f"klucz «{key}» występuje dwa razy (także w wierszu {rows[key]})",
                f"key «{key}» appears twice (also in row {rows[key]})",
            )
        else:
            cells[key] = value
            rows[key] = number
    values: dict[str, Any] = {}
    for col in spec.columns:
        value = _read_col(reader, sheet.title, rows, col, cells, column="value")
        if value is not None:
            values[col.key] = value
    return values, rows
