"""Building the rules: the generated totals' sums and "of which" rules of a table, and the
rules a definition states, each placed at its line when it is wrong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...loader import ItemPath
from ...rules import (
    MissingValues,
    Rule,
    RuleEngineError,
    Schema,
    Severity,
    Type,
    compile_expression,
    compile_message,
    compile_rule,
)
from ..structure import Column, Row, Table, Text
from .state import Build
from .tables import COLUMNS, ROWS, Axis


def table_expressions(build: Build, table: Table, draft: dict[str, Any], schema: Schema) -> None:
    section = table.section
    path: ItemPath = (*draft["path"], "table")
    for ref, (_origin, parts) in build.totals.items():
        if not ref.startswith(section + ".") or not parts:
            continue
        spec = build.fields[ref]
        try:
            spec.calculation = compile_expression(
                f"sum({', '.join(parts)})", schema, expect=Type.NUMBER
            )
        except RuleEngineError as error:  # pragma: no cover - refs were resolved above
            build.expression_problem(path, error, f"cell {ref}")
    for axis, other_axis in ((ROWS, COLUMNS), (COLUMNS, ROWS)):
        of_which_rules(build, table, axis, other_axis, path, schema, draft)


def of_which_rules(
    build: Build,
    table: Table,
    axis: Axis,
    other_axis: Axis,
    path: ItemPath,
    schema: Schema,
    draft: dict[str, Any],
) -> None:
    """The error rules "an 'of which' row (column) cannot exceed its parent", one per cell
    along the other axis that neither the item nor its parent has blocked."""
    section = table.section
    items: Sequence[Row | Column] = table.rows if axis is ROWS else table.columns
    others: Sequence[Row | Column] = table.columns if axis is ROWS else table.rows

    def cell(item: Row | Column, other: Row | Column) -> tuple[Row, Column]:
        return (item, other) if axis is ROWS else (other, item)  # type: ignore[return-value]

    for k, item in enumerate(items):
        if not item.of_which:
            continue
        parent = next(p for p in items if p.code == item.of_which)
        for other in others:
            row, column = cell(item, other)
            parent_row, parent_column = cell(parent, other)
            if column.code in row.blocked or parent_column.code in parent_row.blocked:
                continue
            child_ref = f"{section}.{row.code}.{column.code}"
            parent_ref = f"{section}.{parent_row.code}.{parent_column.code}"
            noun, other_noun = axis.nominative, other_axis.nominative
            of_which_rule(
                build,
                f"{section}.{item.code}.of_which.{other.code}",
                child_ref,
                parent_ref,
                Text(
                    f"Dział {section}, {other_noun} {other.code}: {noun} {item.code} "
                    f"„{item.label.pl}” ({{{child_ref}}}) nie może być {axis.greater} niż "
                    f"{noun} {parent.code} „{parent.label.pl}” ({{{parent_ref}}}).",
                    f"Section {section}, {other_axis.name} {other.code}: {axis.name} "
                    f'{item.code} "{item.label.en}" ({{{child_ref}}}) cannot exceed '
                    f'{axis.name} {parent.code} "{parent.label.en}" ({{{parent_ref}}}).',
                ),
                (*path, axis.key, k, "of_which"),
                schema,
                draft,
            )


def of_which_rule(
    build: Build,
    rule_id: str,
    child: str,
    parent: str,
    message: Text,
    path: ItemPath,
    schema: Schema,
    draft: dict[str, Any],
) -> None:
    # Labels are the statistician's text: braces in them must not become placeholders.
    def literal(text: str) -> str:
        return (
            text.replace("{", "{{")
            .replace("}", "}}")
            .replace("{{" + child + "}}", "{" + child + "}")
            .replace("{{" + parent + "}}", "{" + parent + "}")
        )

    try:
        rule = compile_rule(
            rule_id,
            f"{child} <= {parent}",
            schema,
            severity=Severity.ERROR,
            message_pl=literal(message.pl),
            message_en=literal(message.en),
            fields=(child, parent),
        )
    except RuleEngineError as error:  # pragma: no cover - both cells exist
        build.expression_problem(path, error, f"rule {rule_id}")
        return
    build.register_rule(rule, path, draft["code"])
    draft["rules"].append(rule)


def compile_rules(
    build: Build,
    rules_data: Sequence[Mapping[str, Any]],
    base: ItemPath,
    section: str | None,
    schema: Schema,
    into: list[Rule] | None = None,
) -> list[Rule]:
    out = into if into is not None else []
    for k, raw in enumerate(rules_data):
        path: ItemPath = (*base, k)
        rule_id = str(raw["id"])
        item = f"rule {rule_id}"
        message = raw["message"]
        fields = tuple(raw.get("fields") or ())
        try:
            rule = compile_rule(
                rule_id,
                raw["expression"],
                schema,
                severity=Severity(raw.get("severity", "error")),
                message_pl=message["pl"],
                message_en=message["en"],
                fields=fields,
                missing=MissingValues(raw.get("missing", MissingValues.SKIP_IF_ANY_BLANK)),
            )
        except RuleEngineError as error:
            locate_rule_error(build, raw, path, schema, error, item)
            continue
        build.check_blocked((*path, "expression"), rule.expression, item)
        for name in fields:
            if name in build.blocked:
                build.problem(
                    (*path, "fields"),
                    f"Reguła wskazuje przekreśloną komórkę „{name}”.",
                    f'The rule points at the blocked cell "{name}".',
                    item=item,
                )
        if build.register_rule(rule, path, section):
            out.append(rule)
    return out


def locate_rule_error(
    build: Build,
    raw: Mapping[str, Any],
    path: ItemPath,
    schema: Schema,
    error: RuleEngineError,
    item: str,
) -> None:
    """Point at the part of the rule that is wrong: the expression, a message or the
    list of fields (compile_rule tells what, not where)."""
    try:
        compile_expression(raw["expression"], schema, expect=Type.BOOLEAN)
    except RuleEngineError:
        build.expression_problem((*path, "expression"), error, item)
        return
    for language in ("pl", "en"):
        try:
            compile_message(raw["message"][language], schema)
        except RuleEngineError:
            build.expression_problem((*path, "message", language), error, item)
            return
    build.problem((*path, "fields"), error.message, error.message_en, item=item)
