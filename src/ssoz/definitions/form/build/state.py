"""The state of one compilation, shared by the builders of its parts, and how they report
problems."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...loader import DefinitionProblem, ItemPath, describe_item, locations_of
from ...rules import CompiledExpression, Rule, RuleEngineError, Schema, Type, compile_expression
from ...rules.nodes import own_refs
from ..structure import Field, Table, Text


def text_of(value: Any) -> Text | None:
    if not isinstance(value, Mapping):
        return None
    return Text(str(value.get("pl", "")), str(value.get("en", "")))


def decimal_of(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    # str() of a float is its shortest form: 0.1 stays 0.1, not 0.1000000000000000055…
    return Decimal(str(value))


class Build:
    """What compiling one definition has gathered so far: the fields and cells, the generated
    totals, the rules, and every problem found, with its line and item."""

    def __init__(self, data: Mapping[str, Any], filename: str) -> None:
        self.data = data
        self.filename = filename
        self.locations = locations_of(data)
        self.problems: list[DefinitionProblem] = []
        self.fields: dict[str, Field] = {}
        self.field_paths: dict[str, ItemPath] = {}
        self.items: dict[str, str] = {}  # node -> item name for problems
        self.blocked: set[str] = set()
        self.tables: dict[str, Table] = {}  # section code -> its table
        # ref -> (origin, parts): how each generated total is summed.
        self.totals: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.total_paths: dict[tuple[str, ...], ItemPath] = {}  # origin -> its "total" key
        self.rules: list[Rule] = []
        self.rule_sections: list[str | None] = []
        self.rule_ids: dict[str, ItemPath] = {}
        # Each id a repeating rule (for_each) made -> (its own id, "wiersza W03", "row W03").
        self.repeated: dict[str, tuple[str, str, str]] = {}

    def problem(
        self,
        path: ItemPath,
        pl: str,
        en: str,
        *,
        key: bool = False,
        item: str | None = None,
        line: int | None = None,
    ) -> None:
        if line is None:
            line = self.locations.key_line(path) if key else self.locations.line(path)
        self.problems.append(
            DefinitionProblem(self.filename, line, item or describe_item(self.data, path), pl, en)
        )

    def expression_problem(
        self, path: ItemPath, error: RuleEngineError, item: str | None = None
    ) -> None:
        self.problem(
            path,
            error.message,
            error.message_en,
            item=item,
            line=self.locations.expression_line(path, error.line),
        )

    def compile(
        self, path: ItemPath, source: str, schema: Schema, expect: Type, item: str | None = None
    ) -> CompiledExpression | None:
        try:
            expression = compile_expression(source, schema, expect=expect)
        except RuleEngineError as error:
            self.expression_problem(path, error, item)
            return None
        self.check_blocked(path, expression, item)
        if expression.reads_other:
            # A condition or a calculation cannot wait for another report: only a rule can
            # say it has not been sent yet (docs/rule-language.md).
            self.problem(
                path,
                "Funkcji other (wartości innego formularza) można używać tylko w regułach, "
                "nie w warunkach (relevant) ani w polach obliczanych (calculation).",
                "The function other (a value of another form) may be used only in rules, not in "
                "conditions (relevant) or computed fields (calculation).",
                item=item,
                line=self.locations.expression_line(path, None),
            )
            return None
        return expression

    def check_blocked(
        self, path: ItemPath, expression: CompiledExpression, item: str | None = None
    ) -> None:
        # Ranges may pass over blocked cells (they are simply blank); naming one is a mistake.
        for node in own_refs(expression.ast):
            if node.name in self.blocked:
                line = self.locations.expression_line(
                    path, node.pos.line if node.pos is not None else None
                )
                self.problem(
                    path,
                    f"Wyrażenie używa komórki „{node.name}”, która jest przekreślona (blocked) "
                    "i nigdy nie ma wartości.",
                    f'The expression uses the cell "{node.name}", which is blocked and never '
                    "has a value.",
                    item=item,
                    line=line,
                )

    def add_field(self, spec: Field, path: ItemPath, item: str) -> bool:
        if spec.ref in self.fields:
            first = self.locations.line(self.field_paths[spec.ref])
            self.problem(
                (*path, "code"),
                f"Kod „{spec.ref}” powtarza się (pierwszy raz w wierszu {first}).",
                f'The code "{spec.ref}" is repeated (first on line {first}).',
                item=item,
            )
            return False
        self.fields[spec.ref] = spec
        self.field_paths[spec.ref] = path
        self.items[spec.ref] = item
        return True

    def register_rule(
        self,
        rule: Rule,
        path: ItemPath,
        section: str | None,
        repeated: tuple[str, str, str] | None = None,
    ) -> bool:
        """Add a compiled rule unless its id is taken. `repeated` says which repeating rule
        made it, for which row or column: (its id, "wiersza W03", "row W03")."""
        rule_id = rule.rule_id
        if rule_id in self.rule_ids:
            first = self.locations.line(self.rule_ids[rule_id])
            earlier = self.repeated.get(rule_id)
            if repeated is not None:
                source, for_pl, for_en = repeated
                pl = (
                    f"Reguła „{source}” powtarzana dla {for_pl} dostaje identyfikator "
                    f"„{rule_id}”, który ma już inna reguła (wiersz {first}). Zmień "
                    "identyfikator jednej z nich."
                )
                en = (
                    f'The rule "{source}" repeated for {for_en} gets the id "{rule_id}", which '
                    f"another rule already has (line {first}). Change the id of one of them."
                )
            elif earlier is not None:
                source, for_pl, for_en = earlier
                pl = (
                    f"Identyfikator reguły „{rule_id}” ma już reguła „{source}” powtarzana dla "
                    f"{for_pl} (wiersz {first}). Zmień identyfikator jednej z nich."
                )
                en = (
                    f'The rule id "{rule_id}" is already taken by the rule "{source}" repeated '
                    f"for {for_en} (line {first}). Change the id of one of them."
                )
            else:
                pl = (
                    f"Identyfikator reguły „{rule_id}” powtarza się (pierwszy raz w wierszu "
                    f"{first})."
                )
                en = f'The rule id "{rule_id}" is repeated (first on line {first}).'
            self.problem(
                (*path, "id") if path[-1] != "of_which" else path,
                pl,
                en,
                item=f"rule {rule_id}",
            )
            return False
        if repeated is not None:
            self.repeated[rule_id] = repeated
        self.rule_ids[rule_id] = path
        self.rules.append(rule)
        self.rule_sections.append(section)
        return True
