"""Building the rules: the generated totals' sums and "of which" rules of a table, the rules a
definition states, and the rules a repeating rule (for_each) makes for each row or column of a
range, each placed at its line when it is wrong."""

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
    repeat,
)
from ...rules.errors import at, at_en
from ...rules.nodes import own_refs
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
        if "for_each" in raw:
            out.extend(repeated_rules(build, raw, path, section, schema))
            continue
        if stray_star(build, raw, path):
            continue
        rule = definition_rule(build, raw, path, schema, f"rule {raw['id']}")
        if rule is None:
            continue
        build.check_blocked((*path, "expression"), rule.expression, f"rule {rule.rule_id}")
        for name in tuple(raw.get("fields") or ()):
            if name in build.blocked:
                build.problem(
                    (*path, "fields"),
                    f"Reguła wskazuje przekreśloną komórkę „{name}”.",
                    f'The rule points at the blocked cell "{name}".',
                    item=f"rule {rule.rule_id}",
                )
        if build.register_rule(rule, path, section):
            out.append(rule)
    return out


def definition_rule(
    build: Build, raw: Mapping[str, Any], path: ItemPath, schema: Schema, item: str
) -> Rule | None:
    """The rule `raw` states, or None after reporting what is wrong with it."""
    try:
        return _compile(raw, schema)
    except RuleEngineError as error:
        _report(build, error, (*path, *failing_part(raw, schema)), item)
        return None


def _report(build: Build, error: RuleEngineError, path: ItemPath, item: str) -> None:
    if path[-1] == "fields":
        build.problem(path, error.message, error.message_en, item=item)
    else:
        build.expression_problem(path, error, item)


def _compile(raw: Mapping[str, Any], schema: Schema) -> Rule:
    message = raw["message"]
    return compile_rule(
        str(raw["id"]),
        raw["expression"],
        schema,
        severity=Severity(raw.get("severity", "error")),
        message_pl=message["pl"],
        message_en=message["en"],
        fields=tuple(raw.get("fields") or ()),
        missing=MissingValues(raw.get("missing", MissingValues.SKIP_IF_ANY_BLANK)),
    )


def failing_part(raw: Mapping[str, Any], schema: Schema) -> ItemPath:
    """Which part of a rule that does not compile is wrong: the expression, a message or the
    list of fields (compile_rule tells what, not where)."""
    try:
        compile_expression(raw["expression"], schema, expect=Type.BOOLEAN)
    except RuleEngineError:
        return ("expression",)
    for language in ("pl", "en"):
        try:
            compile_message(raw["message"][language], schema)
        except RuleEngineError:
            return ("message", language)
    return ("fields",)


# -- rules that repeat over the rows or the columns of a table (for_each) -------------------


def stray_star(build: Build, raw: Mapping[str, Any], path: ItemPath) -> bool:
    """Report a ``*`` in place of a row's or column's code in a rule without for_each: there
    it stands for nothing. True when there is one."""
    places: list[tuple[ItemPath, str, list[int]]] = [
        (("expression",), raw["expression"], repeat.stars(raw["expression"]))
    ]
    for language in ("pl", "en"):
        template = raw["message"][language]
        places.append((("message", language), template, repeat.message_stars(template)))
    for k, name in enumerate(raw.get("fields") or ()):
        places.append((("fields", k), str(name), repeat.stars(str(name))))
    for part, text, found in places:
        if not found:
            continue
        line, column = repeat.line_column(text, found[0])
        if part[0] == "fields":
            line = column = None
        build.problem(
            (*path, *part),
            f"„*”{at(line, column)} oznacza kod bieżącego wiersza lub kolumny tylko w regule "
            "powtarzanej, a ta reguła nie ma klucza „for_each”. Dodaj go z zakresem wierszy lub "
            'kolumn (np. for_each: "D2.W02:W16") albo wpisz kod wprost.',
            f"\"*\"{at_en(line, column)} stands for the current row's or column's code only in "
            'a repeating rule, and this rule has no "for_each" key. Add one with a range of rows '
            'or columns (e.g. for_each: "D2.W02:W16") or write the code itself.',
            item=f"rule {raw['id']}",
            line=build.locations.expression_line((*path, *part), line),
        )
        return True
    return False


def repeated_rules(
    build: Build,
    raw: Mapping[str, Any],
    path: ItemPath,
    section: str | None,
    schema: Schema,
) -> list[Rule]:
    """One rule per row (column) of the for_each range, in table order, with the id
    `<id>.<code>`; a row whose rule would read a blocked cell is left out."""
    span = repetition(build, raw, path)
    if span is None:
        return []
    axis, items = span
    rule_id = str(raw["id"])
    example = _example(build, raw["for_each"], axis)
    if not repeat.stars(raw["expression"]):
        build.problem(
            (*path, "expression"),
            f"Reguła powtarzana dla {axis.plural_genitive} (for_each) musi mieć w wyrażeniu "
            f"„*” w miejscu kodu {axis.genitive}, np. {example}; bez niego każda jej kopia "
            "sprawdzałaby to samo.",
            f'A rule repeated for {axis.key} (for_each) needs "*" in its expression in place of '
            f"the {axis.name}'s code, e.g. {example}; without it every copy would check the "
            "same.",
            item=f"rule {rule_id}",
        )
        return []
    made: list[Rule] = []
    for item in items:
        written, texts = _for_item(raw, item)
        for_pl, for_en = f"{axis.genitive} {item.code}", f"{axis.name} {item.code}"
        try:
            rule = _compile(written, schema)
        except RuleEngineError as error:
            part = failing_part(written, schema)
            _from_item(error, texts.get(part), for_pl, for_en)
            _report(build, error, (*path, *part), f"rule {rule_id}")
            return made  # the same mistake is most likely in every row: say it once
        if _reads_blocked(build, rule):
            continue
        if build.register_rule(rule, path, section, (rule_id, for_pl, for_en)):
            made.append(rule)
    return made


def repetition(
    build: Build, raw: Mapping[str, Any], path: ItemPath
) -> tuple[Axis, Sequence[Row | Column]] | None:
    """The axis and the rows (columns) of the for_each range, or None after reporting why it
    is not a range of an existing table (its shape the schema has checked)."""
    text = str(raw["for_each"])
    where: ItemPath = (*path, "for_each")
    item = f"rule {raw['id']}"
    section, _, codes = text.partition(".")
    start, _, end = codes.partition(":")
    table = build.tables.get(section)
    if table is None:
        sections = {str(s.get("code")) for s in build.data.get("sections") or []}
        has = "nie ma tabeli" if section in sections else "nie istnieje"
        has_en = "has no table" if section in sections else "does not exist"
        build.problem(
            where,
            f"Klucz „for_each”: „{text}” nie jest zakresem tabeli, bo dział „{section}” {has}.",
            f'Key "for_each": "{text}" is not a range of a table: the section "{section}" '
            f"{has_en}.",
            item=item,
        )
        return None
    axis = ROWS if start.startswith("W") else COLUMNS
    items: Sequence[Row | Column] = table.rows if axis is ROWS else table.columns
    positions = {entry.code: k for k, entry in enumerate(items)}
    for code in (start, end):
        if code not in positions:
            build.problem(
                where,
                f"Klucz „for_each”: tabela działu „{section}” nie ma {axis.genitive} „{code}”.",
                f'Key "for_each": the table of section "{section}" has no {axis.name} "{code}".',
                item=item,
            )
            return None
    first, last = positions[start], positions[end]
    if first > last:
        build.problem(
            where,
            f"Klucz „for_each”: zakres „{text}” jest odwrócony: „{start}” stoi w tabeli za "
            f"„{end}”. Napisz go od pierwszego do ostatniego {axis.genitive}.",
            f'Key "for_each": the range "{text}" is reversed: "{start}" comes after "{end}" '
            f"in the table. Write it from the first {axis.name} to the last.",
            item=item,
        )
        return None
    return axis, items[first : last + 1]


def _example(build: Build, for_each: Any, axis: Axis) -> str:
    section = str(for_each).partition(".")[0]
    table = build.tables[section]
    if axis is ROWS:
        return f"{section}.*.{table.columns[0].code}"
    return f"{section}.{table.rows[0].code}.*"


def _for_item(
    raw: Mapping[str, Any], item: Row | Column
) -> tuple[dict[str, Any], dict[ItemPath, repeat.Rewritten]]:
    """The rule as written for one row (column), and each rewritten text by its part."""
    expression = repeat.for_item(raw["expression"], item.code)
    texts: dict[ItemPath, repeat.Rewritten] = {("expression",): expression}
    message: dict[str, str] = {}
    for language in ("pl", "en"):
        label = item.label.pl if language == "pl" else item.label.en
        number = getattr(item, "number", None)
        rewritten = repeat.message_for_item(raw["message"][language], item.code, label, number)
        texts["message", language] = rewritten
        message[language] = rewritten.text
    written: dict[str, Any] = {
        **raw,
        "id": f"{raw['id']}.{item.code}",
        "expression": expression.text,
        "message": message,
    }
    if raw.get("fields"):
        written["fields"] = [repeat.for_item(str(name), item.code).text for name in raw["fields"]]
    return written, texts


def _from_item(
    error: RuleEngineError, rewritten: repeat.Rewritten | None, for_pl: str, for_en: str
) -> None:
    """Say for which row (column) the rule failed to compile, with the position in the rule
    as written rather than as rewritten for that row."""
    if rewritten is not None and error.line is not None and error.column is not None:
        line, column = rewritten.position(error.line, error.column)
        error.message = error.message.replace(at(error.line, error.column), at(line, column), 1)
        error.message_en = error.message_en.replace(
            at_en(error.line, error.column), at_en(line, column), 1
        )
        error.line, error.column = line, column
    error.message = f"Reguła dla {for_pl}: {error.message}"
    error.message_en = f"The rule for {for_en}: {error.message_en}"


def _reads_blocked(build: Build, rule: Rule) -> bool:
    """Whether the rule names a blocked cell: in its expression, its messages or its fields."""
    analyses = (rule.expression.analysis, *rule.message_pl.analyses, *rule.message_en.analyses)
    for analysis in analyses:
        for node in own_refs(analysis.root):
            if node.name in build.blocked:
                return True
    return any(name in build.blocked for name in rule.fields)
