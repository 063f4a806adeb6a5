"""Writing a definition dict as a workbook: the checked plan, cell by cell, with headers,
explanations, drop-down lists and the instructions sheet."""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..keys import TEXT_KEYS
from .cells import (
    DATE_FORMAT,
    EMPTY_LIST,
    EXCEL_DIGITS,
    EXCEL_FIRST_DATE,
    FALSE_CELL,
    FLOAT_FORMAT,
    FORMULA_START,
    TEXT_FORMAT,
    TRUE_CELL,
    escape,
)
from .plan import SheetRow, plan_workbook
from .sheets import (
    FORM_ITEMS,
    FORM_SPEC,
    READS_SPEC,
    RECORD_ITEMS,
    RECORDS_SPEC,
    SETTINGS_SHEETS,
    SHEETS,
)
from .spec import INSTRUCTION_SHEET, Col, Kind, SheetSpec

VALIDATED_ROWS = 1000  # drop-down lists reach at least this far down (and 200 rows past the data)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
_NOTE_FONT = Font(italic=True, color="555555")
_TOP = Alignment(vertical="top")
_WRAPPED = Alignment(vertical="top", wrap_text=True)


def write_xlsx(data: Mapping[str, Any]) -> bytes:
    """The workbook of a definition dict, as XLSX bytes.

    Raises :class:`XlsxDefinitionError` (problems with ``path``) for a dict the workbook could
    not give back unchanged.
    """
    plan = plan_workbook(data)
    workbook = openpyxl.Workbook()
    _write_instructions(workbook.active)
    _write_settings(workbook.create_sheet(FORM_SPEC.name), FORM_SPEC, plan.form)
    for spec in (*FORM_ITEMS.all, READS_SPEC):
        _write_table(workbook.create_sheet(spec.name), spec, plan.rows[spec.name])
    # A form without records gets none of their sheets; a workbook may add them.
    if plan.records is not None:
        _write_settings(workbook.create_sheet(RECORDS_SPEC.name), RECORDS_SPEC, plan.records)
        for spec in RECORD_ITEMS.all:
            _write_table(workbook.create_sheet(spec.name), spec, plan.rows[spec.name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell: Cell, value: object, kind: Kind) -> None:
    """Store a Python value so that :func:`read_value` gives it back unchanged."""
    if kind is Kind.BOOL:
        value = TRUE_CELL if value else FALSE_CELL
    elif isinstance(value, list):
        if not value:
            value = EMPTY_LIST
        elif kind is Kind.TOTAL and len(value) == 1 and ":" in value[0]:
            value = value[0] + ","  # a one-range list, not the range string itself
        else:
            value = ", ".join(value)
    if isinstance(value, str):
        _put_text(cell, value)
    elif isinstance(value, int | float):
        if isinstance(value, int):
            exact = abs(value) < 10**EXCEL_DIGITS
        else:  # -0.0 would come back as 0.0
            exact = float(f"{value:.{EXCEL_DIGITS}g}") == value and math.copysign(1, value) > 0
        if not exact:
            _put_text(cell, repr(value))  # read back as a number typed as text
            return
        cell.value = value
        if isinstance(value, float) and value.is_integer():
            cell.number_format = FLOAT_FORMAT
        cell.alignment = _TOP
    elif isinstance(value, datetime.date) and value < EXCEL_FIRST_DATE:
        # Excel has no such date cell: the date's text, marked as a date by the date format.
        _put_text(cell, value.isoformat())
        cell.number_format = DATE_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        cell.alignment = _TOP


def _put_text(cell: Cell, text: str) -> None:
    cell.value = escape(text)
    # openpyxl (and Excel on typing) would make "=…" a formula; this cell holds text.
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    cell.alignment = _WRAPPED if len(text) > 30 or "\n" in text else _TOP


def _style_header(sheet: Worksheet, headers: Sequence[str], notes: Sequence[str]) -> None:
    for index, (header, note) in enumerate(zip(headers, notes, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP
        if note:
            cell.comment = Comment(note, "SSOZ", height=140, width=320)


def _width(sheet: Worksheet, index: int, width: int, text_column: bool) -> None:
    dimension = sheet.column_dimensions[get_column_letter(index)]
    dimension.width = width
    if text_column:
        # Cells typed later in the column stay text: "0" or "01" must not become numbers.
        dimension.number_format = TEXT_FORMAT


def _validate(sheet: Worksheet, cells: str, choices: Sequence[str], title: str) -> None:
    """A drop-down list of the allowed values for ``cells`` (a range such as "C2:C1000")."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # the reader also accepts e.g. "tak" or "true": only a warning
        errorTitle=title,
        error="Wybierz wartość z listy. / Choose a value from the list.",
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _write_table(sheet: Worksheet, spec: SheetSpec, rows: Sequence[SheetRow]) -> None:
    columns = [
        col for col in spec.columns if not col.on_demand or any(col.key in row for row in rows)
    ]
    layout: list[tuple[Col, str | None]] = [
        (col, language)
        for col in columns
        for language in (TEXT_KEYS if col.kind is Kind.TEXT else (None,))
    ]
    _style_header(
        sheet,
        [col.key if language is None else f"{col.key}_{language}" for col, language in layout],
        [f"{col.pl}\n\n{col.en}" for col, _language in layout],
    )
    for index, (col, _language) in enumerate(layout, start=1):
        text_column = col.kind in (Kind.CODE, Kind.EXPR, Kind.TEXT, Kind.ENUM, Kind.LIST)
        _width(sheet, index, col.width, text_column)
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{max(VALIDATED_ROWS, len(rows) + VALIDATED_ROWS // 5)}"
        if col.kind is Kind.ENUM:
            _validate(sheet, cells, col.choices, col.key)
        elif col.kind is Kind.BOOL:
            _validate(sheet, cells, (TRUE_CELL, FALSE_CELL), col.key)
    for row_index, row in enumerate(rows, start=2):
        for index, (col, language) in enumerate(layout, start=1):
            if col.key in row:
                value = row[col.key] if language is None else row[col.key][language]
                _put(sheet.cell(row=row_index, column=index), value, col.kind)
    sheet.freeze_panes = sheet.cell(row=2, column=spec.frozen_columns + 1)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(layout))}{max(len(rows) + 1, 2)}"


def _write_settings(sheet: Worksheet, spec: SheetSpec, values: Mapping[str, Any]) -> None:
    """A sheet of key/value rows (form, records): every key of ``spec``, with its value when
    ``values`` has one."""
    _style_header(
        sheet,
        ("key", "value", "# opis / description"),
        (
            "Nazwa ustawienia; nie zmieniaj. / Name of the setting; do not change.",
            "Wartość; pusta: klucz pominięty. / The value; empty: the key is absent.",
            "Objaśnienia (nagłówek zaczyna się od #, więc kolumna jest pomijana). / "
            "Explanations (the header starts with #, so the column is ignored).",
        ),
    )
    _width(sheet, 1, 30, text_column=True)
    _width(sheet, 2, 50, text_column=False)
    _width(sheet, 3, 70, text_column=False)
    row_index = 2
    for col in spec.columns:
        if col.on_demand and col.key not in values:
            continue
        for language in TEXT_KEYS if col.kind is Kind.TEXT else (None,):
            _put_text(
                sheet.cell(row=row_index, column=1), col.headers()[0 if language != "en" else 1]
            )
            if col.key in values:
                value = values[col.key] if language is None else values[col.key][language]
                _put(sheet.cell(row=row_index, column=2), value, col.kind)
            if col.kind is Kind.ENUM:
                _validate(sheet, f"B{row_index}", col.choices, col.key)
            note = sheet.cell(row=row_index, column=3, value=f"{col.pl} / {col.en}")
            note.font = _NOTE_FONT
            note.alignment = _WRAPPED
            row_index += 1
    sheet.freeze_panes = "B2"


_INSTRUCTION_HEADINGS = (
    "O skoroszycie / About",
    "Zasady / Conventions",
    "Rekordy / Records",
    "Przekształcanie / Converting",
)
_INSTRUCTIONS_PL = (
    "Definicja formularza SSOZ w postaci arkusza",
    "Ten skoroszyt to jedna wersja jednego formularza. Każdy arkusz to jedna lista; każdy "
    "wiersz to jeden element, w kolejności, w jakiej pojawi się w formularzu. Kolumny są "
    "rozpoznawane po nagłówku w pierwszym wierszu, więc ich kolejność nie ma znaczenia; "
    "puste wiersze są pomijane.",
    "Pusta komórka oznacza brak wartości (ustawienie domyślne). TAK/NIE: wartości logiczne. "
    "Listy: kody rozdzielone przecinkami; [] to lista pusta. Teksty mają dwie kolumny: …_pl "
    "(po polsku) i …_en (po angielsku); obie są wymagane, a wiele wierszy w komórce wpisuje się "
    "klawiszami Alt+Enter. Daty: rrrr-mm-dd. Tekst zaczynający się od = jest tekstem, nie "
    "formułą. Arkusze i kolumny, których nazwa zaczyna się od #, są pomijane: można w nich "
    "trzymać notatki.",
    "Formularz z rekordami powtarzanymi w sprawozdaniu (np. kartami MZ/Szp-11B) ma arkusz "
    "records z kluczami rekordu (jak arkusz form) oraz arkusze records_sections, "
    "records_fields, records_choices, records_columns, records_rows i records_rules z jego "
    "działami, polami i regułami, o takich samych kolumnach jak sections, fields, choices, "
    "columns, rows i rules. Kody pól rekordu są jego własne. Formularz bez rekordów nie ma tych "
    "arkuszy; aby dodać rekordy, dodaj je z nagłówkami opisanymi poniżej.",
    "manage.py convert_definition plik.xlsx plik.yaml zamienia skoroszyt na plik YAML, a "
    "manage.py convert_definition plik.yaml plik.xlsx odwrotnie; nic się przy tym nie gubi.",
)
_INSTRUCTIONS_EN = (
    "An SSOZ form definition as a spreadsheet",
    "This workbook is one version of one form. Each sheet is one list; each row is one item, "
    "in the order it appears in the form. Columns are found by their header in the first row, "
    "so their order does not matter; blank rows are skipped.",
    "An empty cell means no value (the default). TAK/NIE: yes/no values. Lists: codes "
    "separated by commas; [] is an empty list. Texts have two columns: …_pl (Polish) and …_en "
    "(English); both are required, and Alt+Enter starts a new line inside a cell. Dates: "
    "yyyy-mm-dd. A text starting with = is text, not a formula. Sheets and columns whose name "
    "starts with # are ignored: keep notes there.",
    "A form with records repeated in a report (e.g. the cards of MZ/Szp-11B) has a records "
    "sheet with the record's keys (as the form sheet) and the sheets records_sections, "
    "records_fields, records_choices, records_columns, records_rows and records_rules with its "
    "sections, fields and rules, with the same columns as sections, fields, choices, columns, "
    "rows and rules. The record's field codes are its own. A form without records has none of "
    "these sheets; to add records, add them with the headers described below.",
    "manage.py convert_definition file.xlsx file.yaml turns the workbook into a YAML file, and "
    "manage.py convert_definition file.yaml file.xlsx the other way; nothing is lost.",
)


def _write_instructions(sheet: Worksheet) -> None:
    sheet.title = INSTRUCTION_SHEET
    widths = (14, 30, 60, 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merge_cells("A1:D1")
    title = sheet.cell(row=1, column=1, value=f"{_INSTRUCTIONS_PL[0]} / {_INSTRUCTIONS_EN[0]}")
    title.font = Font(bold=True, size=14)
    row_index = 2
    # The general notes: a heading across A–B, the Polish text in C, the English one in D.
    for heading, pl, en in zip(
        _INSTRUCTION_HEADINGS, _INSTRUCTIONS_PL[1:], _INSTRUCTIONS_EN[1:], strict=True
    ):
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=2)
        for column, text in ((1, heading), (3, pl), (4, en)):
            cell = sheet.cell(row=row_index, column=column, value=text)
            cell.alignment = _WRAPPED
            if column == 1:
                cell.font = _HEADER_FONT
        # Rows do not grow by themselves when a file is written: give each paragraph room.
        lines = max(math.ceil(len(pl) / (widths[2] - 8)), math.ceil(len(en) / (widths[3] - 8)))
        sheet.row_dimensions[row_index].height = 15 * max(lines, 1)
        row_index += 1
    row_index += 1
    for index, text in enumerate(
        ("arkusz / sheet", "kolumna / column", "opis", "description"), start=1
    ):
        cell = sheet.cell(row=row_index, column=index, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    row_index += 1
    for spec in SHEETS:
        for line in _sheet_lines(spec):
            for index, text in enumerate(line, start=1):
                cell = sheet.cell(row=row_index, column=index, value=text or None)
                cell.alignment = _WRAPPED
                if index == 1:
                    cell.font = _HEADER_FONT
            row_index += 1


# A record's sheet has the columns of the form's sheet of the same layout, described there.
_LAYOUTS = {
    record.name: form.name for record, form in zip(RECORD_ITEMS.all, FORM_ITEMS.all, strict=True)
}


def _sheet_lines(spec: SheetSpec) -> list[tuple[str, str, str, str]]:
    """The instruction sheet's lines of one sheet: sheet, column, Polish and English text."""
    lines: list[tuple[str, str, str, str]] = [(spec.name, "", spec.pl, spec.en)]
    if spec.name in _LAYOUTS:
        like = _LAYOUTS[spec.name]
        return [*lines, ("", "", f"Kolumny jak w arkuszu {like}.", f"The columns of {like}.")]
    settings = spec in SETTINGS_SHEETS
    if settings:
        lines.append(("", "key", "Nazwa ustawienia (poniżej).", "Name of the setting (below)."))
        lines.append(("", "value", "Wartość ustawienia.", "Value of the setting."))
    for col in spec.columns:
        name = ", ".join(col.headers())
        lines.append(("", f"key = {name}" if settings else name, col.pl, col.en))
    return lines
