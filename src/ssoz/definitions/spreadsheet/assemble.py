"""Assembling the rows read from the sheets into a definition dict: sections with their
fields, choices, table columns and rows, and rules, each in the order of its sheet, and every
reference between sheets checked; the same for the records' sheets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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
    TOP_KEYS,
)
from .sheets import FORM_ITEMS, RECORD_ITEMS, ItemSheets
from .spec import TABLE_COLUMNS


class Problems(Protocol):
    """Where a problem goes: the reader's list, with the sheet, row and column it is in."""

    def add(
        self, sheet: str | None, row: int | None, column: str | None, message: str, en: str
    ) -> None: ...


@dataclass
class ReadRow:
    """A sheet row as {column key: value}, with its number in the sheet."""

    number: int
    values: dict[str, Any]


def assemble(
    reader: Problems,
    form: Mapping[str, Any],
    records: Mapping[str, Any],
    tables: Mapping[str, list[ReadRow]],
) -> dict[str, Any]:
    """The definition dict of the form and records sheets' values and the other sheets' rows,
    its keys in the documented order; what does not fit together is reported to ``reader``."""
    data: dict[str, Any] = {}
    for key in TOP_KEYS:
        if key in form:
            data[key] = form[key]
    deadline = {key: form[f"deadline_{key}"] for key in DEADLINE_KEYS if f"deadline_{key}" in form}
    if deadline and "deadline" not in data:
        data["deadline"] = deadline
    _assemble_part(reader, data, FORM_ITEMS, tables)
    _assemble_reads(reader, data, tables.get("reads", []))
    # The form has records when any of their sheets holds something.
    record = {key: records[key] for key in RECORDS_KEYS if key in records}
    if record or any(tables.get(spec.name) for spec in RECORD_ITEMS.all):
        _assemble_part(reader, record, RECORD_ITEMS, tables)
        data["records"] = _ordered(record, RECORDS_KEYS)
    return _ordered(data, TOP_KEYS)


def _assemble_part(
    reader: Problems,
    container: dict[str, Any],
    sheets: ItemSheets,
    tables: Mapping[str, list[ReadRow]],
) -> None:
    """Add to ``container`` (the definition, or its records) the sections with their fields,
    choices, table columns and rows, and the rules of ``sheets``. A "[]" mark of its rules is
    already in ``container``."""
    # (section code, key) of lists that a "[]" mark declares empty; "" is the whole container.
    marked: set[tuple[str, str]] = {("", "rules")} if "rules" in container else set()
    sections: dict[str, dict[str, Any]] = {}
    section_rows: dict[str, int] = {}
    for row in tables.get(sheets.sections.name, []):
        code = row.values.get("code")
        if code is None:
            continue
        if code in sections:
            reader.add(
                sheets.sections.name,
                row.number,
                "code",
                f"powtórzony kod działu «{code}» (także w wierszu {section_rows[code]})",
                f"duplicate section code «{code}» (also in row {section_rows[code]})",
            )
            continue
        section = {key: row.values[key] for key in SECTION_KEYS if key in row.values}
        marked.update((code, key) for key in ("fields", "rules") if key in section)
        table = {
            key: row.values[column] for key, column in TABLE_COLUMNS.items() if column in row.values
        }
        if table:
            section["table"] = table
        sections[code] = section
        section_rows[code] = row.number

    def owner(sheet: str, row: ReadRow) -> dict[str, Any] | None:
        code = row.values.get("section")
        if code is None:
            return None
        if code not in sections:
            reader.add(
                sheet,
                row.number,
                "section",
                f"nieznany dział «{code}» (nie ma go w arkuszu {sheets.sections.name})",
                f"unknown section «{code}» (not in the {sheets.sections.name} sheet)",
            )
            return None
        return sections[code]

    fields: dict[object, dict[str, Any]] = {}
    field_rows: dict[object, int] = {}
    field_sheet = sheets.fields.name
    field_table = tables.get(field_sheet, [])
    # Every code in the fields sheet: when its row had an error, that was reported already and
    # its choices are not blamed for it again.
    faulty_fields = {row.values["code"] for row in field_table if "code" in row.values}
    for row in field_table:
        section = owner(field_sheet, row)
        code = row.values.get("code")
        if section is None or code is None:
            continue
        if code in fields:
            reader.add(
                field_sheet,
                row.number,
                "code",
                f"powtórzony kod pola «{code}» (także w wierszu {field_rows[code]}); kody pól "
                f"są unikalne w całym {sheets.part.locative}",
                f"duplicate field code «{code}» (also in row {field_rows[code]}); field codes "
                f"are unique in the whole {sheets.part.en}",
            )
            continue
        item = {key: row.values[key] for key in FIELD_KEYS if key in row.values}
        marks = (row.values["section"], "fields") in marked
        _append(reader, section, "fields", item, (field_sheet, row.number), marks)
        fields[code] = item
        field_rows[code] = row.number

    for row in tables.get(sheets.choices.name, []):
        code = row.values.get("field")
        if code is None or "code" not in row.values:
            continue
        if code not in fields:
            if code not in faulty_fields:
                reader.add(
                    sheets.choices.name,
                    row.number,
                    "field",
                    f"nieznane pole «{code}» (nie ma go w arkuszu {field_sheet})",
                    f"unknown field «{code}» (not in the {field_sheet} sheet)",
                )
            continue
        choice = {key: row.values[key] for key in CHOICE_KEYS if key in row.values}
        fields[code].setdefault("choices", []).append(choice)

    for spec, name, keys in (
        (sheets.columns, "columns", COLUMN_KEYS),
        (sheets.rows, "rows", ROW_KEYS),
    ):
        for row in tables.get(spec.name, []):
            section = owner(spec.name, row)
            if section is None or "code" not in row.values:
                continue
            item = {key: row.values[key] for key in keys if key in row.values}
            section.setdefault("table", {}).setdefault(name, []).append(item)

    for row in tables.get(sheets.rules.name, []):
        if "id" not in row.values:
            continue
        rule = {key: row.values[key] for key in RULE_KEYS if key in row.values}
        where = (sheets.rules.name, row.number)
        if "section" in row.values:
            section = owner(sheets.rules.name, row)
            if section is not None:
                marks = (row.values["section"], "rules") in marked
                _append(reader, section, "rules", rule, where, marks)
        else:
            _append(reader, container, "rules", rule, where, ("", "rules") in marked)

    if sections:
        container["sections"] = []
        for section in sections.values():
            if "table" in section:
                section["table"] = _ordered(section["table"], TABLE_KEYS)
            for item in section.get("fields", ()):
                # choices were added after the other keys; put them back in their place
                ordered = _ordered(item, FIELD_KEYS)
                item.clear()
                item.update(ordered)
            container["sections"].append(_ordered(section, SECTION_KEYS))


def _assemble_reads(reader: Problems, data: dict[str, Any], rows: Sequence[ReadRow]) -> None:
    """The reads of the reads sheet: consecutive rows of one name are one read, whose form and
    before_sending its first row gives."""
    reads: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for row in rows:
        alias, cell = row.values.get("as"), row.values.get("cell")
        if alias is None or cell is None:
            continue
        if current is None or current["as"] != alias:
            if any(read["as"] == alias for read in reads):
                reader.add(
                    "reads",
                    row.number,
                    "as",
                    f"wiersze formularza «{alias}» muszą stać jeden pod drugim",
                    f"the rows of the form «{alias}» must stand one below the other",
                )
                continue
            current = {"form": row.values.get("form"), "as": alias, "cells": {}}
            if current["form"] is None:
                del current["form"]
            if "before_sending" in row.values:
                current["before_sending"] = row.values["before_sending"]
            reads.append(current)
        elif "form" in row.values or "before_sending" in row.values:
            reader.add(
                "reads",
                row.number,
                "form" if "form" in row.values else "before_sending",
                f"form i before_sending podaje się tylko w pierwszym wierszu formularza «{alias}»",
                f"form and before_sending go only on the first row of the form «{alias}»",
            )
        current["cells"][cell] = row.values.get("type")
    if reads:
        data["reads"] = [_ordered(read, READ_KEYS) for read in reads]


def _append(
    reader: Problems,
    container: dict[str, Any],
    key: str,
    item: dict[str, Any],
    row: tuple[str, int],
    marked: bool,
) -> None:
    """Add an item of a sheet row to a list, unless a "[]" mark declared the list empty."""
    if marked:
        sheet, number = row
        reader.add(
            sheet,
            number,
            None,
            f"lista {key} jest oznaczona jako pusta ([]), a ten wiersz do niej należy; usuń [] "
            "albo ten wiersz",
            f"the {key} list is marked empty ([]) but this row belongs to it; remove the [] or "
            "this row",
        )
        return
    container.setdefault(key, []).append(item)


def _ordered(item: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {key: item[key] for key in keys if key in item}
