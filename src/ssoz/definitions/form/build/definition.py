"""Compiling a whole definition: the sections, then the schema, then every expression and
rule, then the order of the work, and the :class:`CompiledForm` made of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...loader import Definition, DefinitionError, ItemPath, validate_definition
from ...rules import TableLayout
from ..converters import converter_for
from ..engine import CompiledForm
from ..structure import Section, Text
from .deadline import deadline
from .fields import check_field_code
from .order import order
from .reads import reads
from .records import compile_records
from .rules import compile_rules
from .sections import build_schema, section_expressions, section_structure
from .state import Build, text_of


def compile_definition(data: Mapping[str, Any], *, filename: str) -> CompiledForm:
    """Compile definition data: a :class:`Definition` from :func:`parse_definition` (whose
    lines the problems then give), or plain data such as a stored version's JSON, which is
    checked against the schema first. Raises :class:`DefinitionError` with every problem."""
    if not isinstance(data, Definition):
        data = validate_definition(data, filename=filename)
    return _compile(Build(data, filename))


def _compile(build: Build) -> CompiledForm:
    data = build.data
    sections_data = list(data.get("sections") or [])
    layouts: dict[str, TableLayout] = {}
    drafts: list[dict[str, Any]] = []
    section_codes: dict[str, ItemPath] = {}
    for i, section in enumerate(sections_data):
        path: ItemPath = ("sections", i)
        code = str(section["code"])
        if code in section_codes:
            build.problem(
                (*path, "code"),
                f"Kod działu „{code}” powtarza się (pierwszy raz w wierszu "
                f"{build.locations.line(section_codes[code])}).",
                f'The section code "{code}" is repeated (first on line '
                f"{build.locations.line(section_codes[code])}).",
            )
            continue
        section_codes[code] = path
        drafts.append(section_structure(build, section, path, layouts))
    for draft in drafts:
        for spec in draft["fields"]:
            check_field_code(build, spec, layouts)
    declared = reads(build, data)
    schema = build_schema(build, layouts, {read.alias: read.types() for read in declared})
    if schema is None:
        raise DefinitionError(build.problems)
    sections = [section_expressions(build, draft, schema) for draft in drafts]
    compile_rules(build, data.get("rules") or [], ("rules",), None, schema)
    plan, computed = order(build, sections)
    records = compile_records(build, _compile)
    if build.problems:
        raise DefinitionError(build.problems)
    built_sections = tuple(
        Section(
            code=draft["code"],
            title=draft["title"],
            help=draft["help"],
            relevance=draft["relevance"],
            fields=tuple(draft["fields"]),
            table=draft["table"],
            rules=tuple(draft["rules"]),
            line=draft["line"],
        )
        for draft in sections
    )
    for spec in build.fields.values():
        if spec.is_input:
            spec.converter = converter_for(spec)
    return CompiledForm(
        code=str(data["code"]),
        version=str(data["version"]),
        title=text_of(data["title"]) or Text("", ""),
        kind=str(data["kind"]),
        period=str(data.get("period") or "year"),
        levels=tuple(data["levels"]),
        entity_types=tuple(data["entity_types"]) if data.get("entity_types") else None,
        accounts=tuple(data.get("accounts") or ("non_financial",)),
        zero_report=bool(data.get("zero_report")),
        reads=declared,
        records=records,
        deadline=deadline(build, data.get("deadline")),
        header=tuple(data.get("header") or ()),
        intro=text_of(data.get("intro")),
        footer=text_of(data.get("footer")),
        sections=built_sections,
        rules=tuple(build.rules),
        rule_sections=tuple(build.rule_sections),
        schema=schema,
        fields=build.fields,
        plan=plan,
        computed_order=computed,
        uses_previous=uses_previous(build, sections),
        uses_previous_to_save=uses_previous(build, sections, rules=False),
        uses_period=uses_period(build, sections),
        uses_period_to_save=uses_period(build, sections, rules=False),
    )


def uses_previous(build: Build, sections: list[dict[str, Any]], *, rules: bool = True) -> bool:
    """Whether anything reads last period's values: relevance, calculations and (with
    `rules`) the rules; a save runs no rules, so it may need last period when a verify does."""
    expressions = [d["relevance"] for d in sections]
    for spec in build.fields.values():
        expressions += [spec.relevance, spec.calculation]
    return (rules and any(rule.prev_references for rule in build.rules)) or any(
        e is not None and e.prev_references for e in expressions
    )


def uses_period(build: Build, sections: list[dict[str, Any]], *, rules: bool = True) -> bool:
    """Whether anything reads the period's dates: relevance, calculations and (with `rules`)
    the rules and their messages."""
    expressions = [d["relevance"] for d in sections]
    for spec in build.fields.values():
        expressions += [spec.relevance, spec.calculation]
    return (rules and any(rule.uses_period for rule in build.rules)) or any(
        e is not None and e.uses_period for e in expressions
    )
