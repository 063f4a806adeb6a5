"""Building a section: its questions and table first, then, once the schema of the whole form
is known, its conditions, calculations and rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...loader import ItemPath
from ...rules import RuleEngineError, Schema, TableLayout, Type
from ..structure import CHOICE_TYPES, FieldType, Table
from .fields import question
from .rules import compile_rules, table_expressions
from .state import Build, text_of
from .tables import table_structure


def section_structure(
    build: Build, section: Mapping[str, Any], path: ItemPath, layouts: dict[str, TableLayout]
) -> dict[str, Any]:
    """A section's questions and table, its expressions still to compile (see
    :func:`section_expressions`)."""
    code = str(section["code"])
    draft: dict[str, Any] = {
        "code": code,
        "path": path,
        "title": text_of(section["title"]),
        "help": text_of(section.get("help")),
        "relevant": section.get("relevant"),
        "relevance": None,
        "fields": [],
        "table": None,
        "rules": [],
        "rules_data": section.get("rules") or [],
        "line": build.locations.line(path),
    }
    if not section.get("fields") and not section.get("table"):
        build.problem(
            path,
            f"Dział „{code}” nie ma ani pól (fields), ani tabeli (table).",
            f'The section "{code}" has neither fields nor a table.',
        )
    for j, raw in enumerate(section.get("fields") or []):
        field_path: ItemPath = (*path, "fields", j)
        spec = question(build, raw, field_path, code)
        if build.add_field(spec, field_path, f"field {spec.ref}"):
            draft["fields"].append(spec)
            draft.setdefault("field_data", {})[spec.ref] = (raw, field_path)
    if section.get("table"):
        draft["table"] = table_structure(build, code, section["table"], (*path, "table"))
        table: Table = draft["table"]
        build.tables[code] = table
        layouts[code] = TableLayout(
            [row.code for row in table.rows], [column.code for column in table.columns]
        )
    return draft


def build_schema(
    build: Build, layouts: dict[str, TableLayout], others: dict[str, dict[str, Type]] | None = None
) -> Schema | None:
    refs = {ref: f.value_type for ref, f in build.fields.items() if not f.is_cell}
    choices = {
        ref: [choice.code for choice in f.choices]
        for ref, f in build.fields.items()
        if f.type in CHOICE_TYPES
    }
    scores = {
        ref: {c.code: c.score for c in f.choices if c.score is not None}
        for ref, f in build.fields.items()
        if f.type == FieldType.SINGLE_CHOICE and any(c.score is not None for c in f.choices)
    }
    try:
        return Schema(refs, layouts, choices=choices, scores=scores, others=others)
    except RuleEngineError as error:
        build.problem((), error.message, error.message_en)
        return None


def section_expressions(build: Build, draft: dict[str, Any], schema: Schema) -> dict[str, Any]:
    code, path = draft["code"], draft["path"]
    if draft["relevant"] is not None:
        draft["relevance"] = build.compile(
            (*path, "relevant"), draft["relevant"], schema, Type.BOOLEAN, f"section {code}"
        )
    for spec in draft["fields"]:
        raw, field_path = draft["field_data"][spec.ref]
        item = f"field {spec.ref}"
        if "relevant" in raw:
            spec.relevance = build.compile(
                (*field_path, "relevant"), raw["relevant"], schema, Type.BOOLEAN, item
            )
        if "calculation" in raw:
            spec.calculation = build.compile(
                (*field_path, "calculation"), raw["calculation"], schema, spec.value_type, item
            )
    table: Table | None = draft["table"]
    if table is not None:
        table_expressions(build, table, draft, schema)
    draft["rules"] = compile_rules(
        build, draft["rules_data"], (*path, "rules"), code, schema, into=draft["rules"]
    )
    return draft
