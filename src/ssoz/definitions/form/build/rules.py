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
from ..structure import Table, Text
from .state import Build


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
    row_index = {row.code: k for k, row in enumerate(table.rows)}
    column_index = {column.code: k for k, column in enumerate(table.columns)}
    for row in table.rows:
        if not row.of_which:
            continue
        parent = next(r for r in table.rows if r.code == row.of_which)
        for column in table.columns:
            if column.code in row.blocked or column.code in parent.blocked:
                continue
            child_ref = f"{section}.{row.code}.{column.code}"
            parent_ref = f"{section}.{parent.code}.{column.code}"
            of_which_rule(
                build,
                f"{section}.{row.code}.of_which.{column.code}",
                child_ref,
                parent_ref,
                Text(
                    f"Dział {section}, kolumna {column.code}: wiersz {row.code} "
                    f"„{row.label.pl}” ({{{child_ref}}}) nie może być większy niż wiersz "
                    f"{parent.code} „{parent.label.pl}” ({{{parent_ref}}}).",
                    f"Section {section}, column {column.code}: row {row.code} "
                    f'"{row.label.en}" ({{{child_ref}}}) cannot exceed row {parent.code} '
                    f'"{parent.label.en}" ({{{parent_ref}}}).',
                ),
                (*path, "rows", row_index[row.code], "of_which"),
                schema,
                draft,
            )
    for column in table.columns:
        if not column.of_which:
            continue
        parent_code = column.of_which
        parent_column = next(c for c in table.columns if c.code == parent_code)
        for row in table.rows:
            if column.code in row.blocked or parent_code in row.blocked:
                continue
            child_ref = f"{section}.{row.code}.{column.code}"
            parent_ref = f"{section}.{row.code}.{parent_code}"
            of_which_rule(
                build,
                f"{section}.{column.code}.of_which.{row.code}",
                child_ref,
                parent_ref,
                Text(
                    f"Dział {section}, wiersz {row.code}: kolumna {column.code} "
                    f"„{column.label.pl}” ({{{child_ref}}}) nie może być większa niż "
                    f"kolumna {parent_code} „{parent_column.label.pl}” ({{{parent_ref}}}).",
                    f"Section {section}, row {row.code}: column {column.code} "
                    f'"{column.label.en}" ({{{child_ref}}}) cannot exceed column '
                    f'{parent_code} "{parent_column.label.en}" ({{{parent_ref}}}).',
                ),
                (*path, "columns", column_index[column.code], "of_which"),
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
