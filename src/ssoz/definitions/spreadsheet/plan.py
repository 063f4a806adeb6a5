"""The plan of a workbook: a definition dict checked for everything the workbook can carry
without loss, and laid out as the rows of its sheets."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..keys import (
    CHOICE_KEYS,
    COLUMN_KEYS,
    DEADLINE_KEYS,
    FIELD_KEYS,
    READ_KEYS,
    RECORDS_KEYS,
    ROW_KEYS,
    RULE_KEYS,
    SECTION_KEYS,
    TABLE_KEYS,
    TEXT_KEYS,
    TOP_KEYS,
)
from .cells import DATE_TEXT, EMPTY_LIST, EXCEL_DIGITS, SEPARATORS, shown
from .problems import Problem, XlsxDefinitionError
from .sheets import (
    FORM_ITEMS,
    FORM_SPEC,
    READS_SPEC,
    RECORD_ITEMS,
    RECORDS_SPEC,
    TABLE_SHEETS,
    ItemSheets,
)
from .spec import TABLE_COLUMNS, Col, Kind, SheetSpec


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _is_date(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _is_date_text(value: object) -> bool:
    return isinstance(value, str) and bool(DATE_TEXT.fullmatch(value))


def _is_code(value: object) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and value == value.strip()
        and value != EMPTY_LIST
        and not SEPARATORS.search(value)
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fits_kind(value: object, col: Col) -> bool:
    kind = col.kind
    if kind is Kind.CODE:
        # A whole number beyond Excel's precision would be written as text and read as one.
        return _is_code(value) or (
            col.numeric_ok
            and isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) < 10**EXCEL_DIGITS
        )
    if kind is Kind.EXPR:
        return _is_text(value)
    if kind is Kind.TEXT:
        return (
            isinstance(value, Mapping)
            and set(value) == set(TEXT_KEYS)
            and all(_is_text(value[language]) for language in TEXT_KEYS)
        )
    if kind is Kind.ENUM:
        return isinstance(value, str) and value in col.choices
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.INT:
        return _is_int(value)
    if kind is Kind.NUMBER:
        return is_number(value)
    if kind is Kind.BOUND:
        return is_number(value) or _is_date(value) or _is_date_text(value)
    if kind is Kind.DATE:
        return _is_date(value) or _is_date_text(value)
    if kind is Kind.LIST:
        return isinstance(value, list) and all(
            _is_code(item) and (not col.choices or item in col.choices) for item in value
        )
    if kind is Kind.TOTAL:
        if isinstance(value, str):
            return _is_code(value) and ":" in value
        return isinstance(value, list) and bool(value) and all(_is_code(v) for v in value)
    return value == []  # Kind.MARK


_EXPECTED: dict[Kind, tuple[str, str]] = {
    Kind.CODE: (
        "niepusty kod bez spacji na brzegach, bez przecinków, średników i nowych wierszy",
        "a non-empty code without surrounding spaces, commas, semicolons or line breaks",
    ),
    Kind.EXPR: ("niepuste wyrażenie", "a non-empty expression"),
    Kind.TEXT: (
        "{pl: …, en: …} z niepustymi tekstami (same spacje to tekst pusty)",
        "{pl: …, en: …} with non-empty texts (only spaces count as empty)",
    ),
    Kind.BOOL: ("true albo false", "true or false"),
    Kind.INT: ("liczba całkowita", "a whole number"),
    Kind.NUMBER: ("liczba", "a number"),
    Kind.BOUND: (
        "liczba albo data rrrr-mm-dd (bez godziny)",
        "a number or a date yyyy-mm-dd (without a time of day)",
    ),
    Kind.DATE: (
        "data rrrr-mm-dd (bez godziny)",
        "a date yyyy-mm-dd (without a time of day)",
    ),
    Kind.LIST: ("lista kodów", "a list of codes"),
    Kind.TOTAL: ("zakres «A:B» albo niepusta lista kodów", "a range «A:B» or a list of codes"),
    Kind.MARK: ("lista", "a list"),
}


class _Checker:
    """Collects every way in which a dict cannot be written without loss."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, message_en: str) -> None:
        self.problems.append(Problem(message, message_en, path=path))

    def mapping(self, value: object, path: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(
                path, "oczekiwano mapowania (klucz: wartość)", "expected a mapping (key: value)"
            )
            return None
        for key in value:
            if key not in keys:
                self.add(
                    f"{path}.{key}" if path else str(key),
                    f"nieznany klucz; dozwolone: {', '.join(keys)}",
                    f"unknown key; allowed: {', '.join(keys)}",
                )
        return value

    def items(self, value: object, path: str, may_be_empty: bool = False) -> list[Any]:
        """A list of items (sections, fields, …), each one row of a sheet."""
        if not isinstance(value, list):
            self.add(path, "oczekiwano listy", "expected a list")
            return []
        if not value and not may_be_empty:
            self.add(
                path,
                "pusta lista nie ma zapisu w arkuszu: usuń klucz albo dodaj elementy",
                "an empty list has no spreadsheet form: remove the key or add items",
            )
        return value

    def value(self, value: object, path: str, col: Col) -> bool:
        if _fits_kind(value, col):
            return True
        text = shown(value) if not isinstance(value, Mapping | list) else repr(value)[:40]
        if col.kind is Kind.ENUM or (col.kind is Kind.LIST and col.choices):
            self.add(
                path,
                f"«{text}»: dozwolone są {', '.join(col.choices)}",
                f"«{text}»: allowed are {', '.join(col.choices)}",
            )
        elif col.kind is Kind.CODE and is_number(value):
            self.add(
                path,
                f'{value!r} musi być tekstem: ujmij w cudzysłów ("{value}")',
                f'{value!r} must be text: put it in quotes ("{value}")',
            )
        else:
            expected_pl, expected_en = _EXPECTED[col.kind]
            self.add(
                path,
                f"oczekiwano: {expected_pl}; jest «{text}»",
                f"expected {expected_en}; got «{text}»",
            )
        return False


# A sheet row as {column key: value}, built while checking.
SheetRow = dict[str, Any]


@dataclass
class Plan:
    form: SheetRow = field(default_factory=dict)
    # The records sheet's row; None when the definition has no records (nor the workbook their
    # sheets).
    records: SheetRow | None = None
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)


def _row_of(checker: _Checker, item: Mapping[str, Any], path: str, spec: SheetSpec) -> SheetRow:
    """The cells of ``item``'s row: every key that has a column of the same name."""
    row: SheetRow = {}
    for col in spec.columns:
        if col.key in item and col.kind is not Kind.MARK:
            checker.value(item[col.key], f"{path}.{col.key}" if path else col.key, col)
            row[col.key] = item[col.key]
    return row


def plan_workbook(data: object) -> Plan:
    """The rows of every sheet for the definition dict ``data``; raises
    :class:`XlsxDefinitionError` naming every key the workbook could not give back unchanged."""
    checker = _Checker()
    plan = Plan(rows={spec.name: [] for spec in TABLE_SHEETS})
    top = checker.mapping(data, "", TOP_KEYS)
    if top is None:
        raise XlsxDefinitionError(checker.problems)

    plan.form = _row_of(checker, {k: v for k, v in top.items() if k != "deadline"}, "", FORM_SPEC)
    if "deadline" in top:
        deadline = top["deadline"]
        if isinstance(deadline, Mapping):
            if not deadline:
                checker.add("deadline", "pusty termin", "an empty deadline")
            for key in checker.mapping(deadline, "deadline", DEADLINE_KEYS) or {}:
                if key in DEADLINE_KEYS:
                    col = FORM_SPEC.column(f"deadline_{key}")
                    checker.value(deadline[key], f"deadline.{key}", col)
                    plan.form[col.key] = deadline[key]
        else:
            checker.value(deadline, "deadline", FORM_SPEC.column("deadline"))
            plan.form["deadline"] = deadline
    _plan_part(checker, plan, top, FORM_ITEMS, plan.form)
    if "reads" in top:
        _plan_reads(checker, plan, top["reads"])
    if "records" in top:
        records = checker.mapping(top["records"], "records", RECORDS_KEYS)
        if records is not None:
            if not records:
                checker.add(
                    "records",
                    "puste rekordy nie mają zapisu w arkuszu: usuń klucz albo opisz rekord",
                    "empty records have no spreadsheet form: remove the key or describe the record",
                )
            plan.records = _row_of(checker, records, "records", RECORDS_SPEC)
            _plan_part(checker, plan, records, RECORD_ITEMS, plan.records)
    if checker.problems:
        raise XlsxDefinitionError(checker.problems)
    return plan


def _plan_part(
    checker: _Checker,
    plan: Plan,
    container: Mapping[str, Any],
    sheets: ItemSheets,
    settings: SheetRow,
) -> None:
    """The rows of the sections and rules of ``container`` (the definition, or its records) in
    ``sheets``; an explicitly empty list of its rules is marked in its ``settings`` row."""
    base = sheets.part.path

    def at(key: str) -> str:
        return f"{base}.{key}" if base else key

    field_codes: set[object] = set()
    section_codes: set[object] = set()
    sections = (
        checker.items(container["sections"], at("sections")) if "sections" in container else []
    )
    for s, section in enumerate(sections):
        path = at(f"sections[{s}]")
        if checker.mapping(section, path, SECTION_KEYS) is None:
            continue
        code = section.get("code")
        if not checker.value(code, f"{path}.code", sheets.sections.column("code")):
            continue
        if code in section_codes:
            checker.add(
                f"{path}.code",
                f"powtórzony kod działu «{code}»",
                f"duplicate section code «{code}»",
            )
        section_codes.add(code)
        row = _row_of(checker, section, path, sheets.sections)
        plan.rows[sheets.sections.name].append(row)
        for key in ("fields", "rules"):
            if section.get(key) == []:
                row[key] = []  # the "[]" mark: present, but empty
        if "table" in section:
            table = checker.mapping(section["table"], f"{path}.table", TABLE_KEYS)
            if table is not None:
                for key in ("columns", "rows"):
                    if key not in table:
                        checker.add(f"{path}.table.{key}", "brak klucza", "the key is missing")
                for key, column_key in TABLE_COLUMNS.items():
                    if key in table:
                        col = sheets.sections.column(column_key)
                        checker.value(table[key], f"{path}.table.{key}", col)
                        row[column_key] = table[key]
                for key, spec, keys in (
                    ("columns", sheets.columns, COLUMN_KEYS),
                    ("rows", sheets.rows, ROW_KEYS),
                ):
                    if key in table:
                        _plan_items(
                            checker, plan, table[key], f"{path}.table.{key}", spec, keys, code
                        )
        for f, item in enumerate(checker.items(section.get("fields", []), f"{path}.fields", True)):
            item_path = f"{path}.fields[{f}]"
            if checker.mapping(item, item_path, FIELD_KEYS) is None:
                continue
            field_code = item.get("code")
            if not checker.value(field_code, f"{item_path}.code", sheets.fields.column("code")):
                continue
            if field_code in field_codes:
                checker.add(
                    f"{item_path}.code",
                    f"powtórzony kod pola «{field_code}»: kody pól są unikalne w "
                    f"{sheets.part.locative}",
                    f"duplicate field code «{field_code}»: field codes are unique in the "
                    f"{sheets.part.en}",
                )
            field_codes.add(field_code)
            field_row = _row_of(checker, item, item_path, sheets.fields)
            field_row["section"] = code
            plan.rows[sheets.fields.name].append(field_row)
            if "choices" in item:
                _plan_items(
                    checker,
                    plan,
                    item["choices"],
                    f"{item_path}.choices",
                    sheets.choices,
                    CHOICE_KEYS,
                    field_code,
                    link="field",
                )
        if section.get("rules"):
            rules = section["rules"]
            _plan_items(
                checker, plan, rules, f"{path}.rules", sheets.rules, RULE_KEYS, code, identity="id"
            )
    if "rules" in container:
        if container["rules"] == []:
            settings["rules"] = []
        else:
            rules = container["rules"]
            _plan_items(
                checker, plan, rules, at("rules"), sheets.rules, RULE_KEYS, None, identity="id"
            )


def _plan_reads(checker: _Checker, plan: Plan, reads: object) -> None:
    """One row per cell read; the form and before_sending on the first row of each read."""
    for i, read in enumerate(checker.items(reads, "reads")):
        path = f"reads[{i}]"
        if checker.mapping(read, path, READ_KEYS) is None:
            continue
        for key in ("form", "as", "cells"):
            if key not in read:
                checker.add(f"{path}.{key}", "brak klucza", "the key is missing")
        cells = read.get("cells")
        if not isinstance(cells, Mapping) or not cells:
            checker.add(
                f"{path}.cells",
                "oczekiwano niepustego mapowania (komórka: typ)",
                "expected a non-empty mapping (cell: type)",
            )
            continue
        first: SheetRow = _row_of(
            checker, {k: v for k, v in read.items() if k != "cells"}, path, READS_SPEC
        )
        for j, (cell, kind) in enumerate(cells.items()):
            row = dict(first) if j == 0 else {"as": read.get("as")}
            checker.value(cell, f"{path}.cells", READS_SPEC.column("cell"))
            checker.value(kind, f"{path}.cells.{cell}", READS_SPEC.column("type"))
            row["cell"], row["type"] = cell, kind
            plan.rows["reads"].append(row)


def _plan_items(
    checker: _Checker,
    plan: Plan,
    items: object,
    path: str,
    spec: SheetSpec,
    keys: Sequence[str],
    owner: object,
    link: str = "section",
    identity: str = "code",
) -> None:
    for i, item in enumerate(checker.items(items, path)):
        item_path = f"{path}[{i}]"
        if checker.mapping(item, item_path, keys) is None:
            continue
        if identity not in item:
            checker.add(f"{item_path}.{identity}", "brak klucza", "the key is missing")
        row = _row_of(checker, item, item_path, spec)
        if owner is not None:
            row[link] = owner
        plan.rows[spec.name].append(row)
