"""Static check of a syntax tree against a schema.

Resolves every ref, expands ranges into cell refs, infers the type of every
node and rejects what cannot make sense (adding text to a number, a rule that
is not a condition, an unknown field) before anything is evaluated. The result
is an :class:`Analysis` the compiler works from.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .errors import RuleEngineError, RuleTypeError, RuleUnknownReferenceError, at, at_en
from .functions import FUNCTIONS, FunctionSpec
from .nodes import (
    ARITHMETIC,
    COMPARISON,
    Binary,
    Blank,
    Boolean,
    Call,
    Conditional,
    Implies,
    Node,
    Number,
    Range,
    Ref,
    String,
    Unary,
    to_source,
)
from .schema import Schema
from .value_types import Type, en, pl_acc, pl_gen, pl_ins, unify

ROUND_DIGITS = range(-10, 11)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the checker learned about one expression."""

    root: Node
    type: Type
    types: dict[int, Type]  # id(node) -> type
    expansions: dict[int, tuple[str, ...]]  # id(range node) -> cell refs in table order
    constants: dict[int, object]  # id(node) -> value known statically (date(), round digits)
    references: frozenset[str]  # current and previous-period refs
    prev_references: frozenset[str]  # refs read from the previous period (inside prev())
    current_order: tuple[str, ...]  # current-period refs, in order of first appearance
    triggers: frozenset[str]  # current refs outside blank-aware functions
    ref_types: dict[str, Type]
    short_circuit: bool  # has and/or/if: some refs may be left unread


def check(
    root: Node, schema: Schema, source: str | None = None, expect: Type | None = None
) -> Analysis:
    """Type-check ``root``; raises :class:`RuleTypeError` (or its subclass
    :class:`RuleUnknownReferenceError`) on the first problem found."""
    checker = _Checker(schema, source)
    try:
        result = checker.visit(root, guarded=False, in_prev=False)
        if expect is not None:
            checker.expect(root, result, expect)
    except RuleEngineError as error:
        error.source = source
        raise
    return Analysis(
        root=root,
        type=result,
        types=checker.types,
        expansions=checker.expansions,
        constants=checker.constants,
        references=frozenset(checker.current) | frozenset(checker.previous),
        prev_references=frozenset(checker.previous),
        current_order=tuple(checker.current),
        triggers=frozenset(checker.triggers),
        ref_types=checker.ref_types,
        short_circuit=checker.short_circuit,
    )


def _plural_args(n: int) -> str:
    if n == 1:
        return "argument"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "argumenty"
    return "argumentów"


_Phrase = Callable[[Type, Type], str]
_VERBS: dict[str, tuple[_Phrase, _Phrase]] = {
    # op: (Polish sentence builder, English sentence builder) from (left, right) types
    "+": (
        lambda a, b: f"Nie można dodać {pl_gen(b)} do {pl_gen(a)}",
        lambda a, b: f"Cannot add {en(b)} to {en(a)}",
    ),
    "-": (
        lambda a, b: f"Nie można odjąć {pl_gen(b)} od {pl_gen(a)}",
        lambda a, b: f"Cannot subtract {en(b)} from {en(a)}",
    ),
    "*": (
        lambda a, b: f"Nie można pomnożyć {pl_acc(a)} przez {pl_acc(b)}",
        lambda a, b: f"Cannot multiply {en(a)} by {en(b)}",
    ),
    "/": (
        lambda a, b: f"Nie można podzielić {pl_acc(a)} przez {pl_acc(b)}",
        lambda a, b: f"Cannot divide {en(a)} by {en(b)}",
    ),
}

_NUMERIC_AGGREGATES = ("sum", "min", "max", "avg")
_ORDERED = (Type.NUMBER, Type.DATE, Type.BLANK)
_EQUATABLE = (Type.NUMBER, Type.DATE, Type.BOOLEAN, Type.STRING, Type.CHOICE)


class _Checker:
    def __init__(self, schema: Schema, source: str | None) -> None:
        self.schema = schema
        self.source = source
        self.types: dict[int, Type] = {}
        self.expansions: dict[int, tuple[str, ...]] = {}
        self.constants: dict[int, object] = {}
        self.current: dict[str, None] = {}  # ordered set
        self.previous: dict[str, None] = {}
        self.triggers: set[str] = set()
        self.ref_types: dict[str, Type] = {}
        self.short_circuit = False

    # -- reporting -----------------------------------------------------------

    def snippet(self, node: Node) -> str:
        pos = node.pos
        if self.source is not None and pos is not None:
            text = " ".join(self.source[pos.start : pos.end].split())
        else:
            text = to_source(node)
        return text if len(text) <= 60 else text[:57] + "…"

    def fail(
        self,
        node: Node,
        pl: str,
        en_: str,
        pl_tail: str = "",
        en_tail: str = "",
        cls: type[RuleEngineError] = RuleTypeError,
    ) -> RuleEngineError:
        pos = node.pos
        line = pos.line if pos else None
        column = pos.column if pos else None
        end_column = pos.end_column if pos and pos.end_line == pos.line else None
        message = f"{pl}{at(line, column)}." + (f" {pl_tail}" if pl_tail else "")
        message_en = f"{en_}{at_en(line, column)}." + (f" {en_tail}" if en_tail else "")
        return cls(
            message,
            message_en,
            line=line,
            column=column,
            end_column=end_column,
            source=self.source,
        )

    def expect(self, node: Node, actual: Type, wanted: Type) -> None:
        if unify(actual, wanted) == wanted or (wanted == Type.STRING and actual == Type.CHOICE):
            return
        if wanted == Type.BOOLEAN:
            pl = (
                "Wyrażenie musi być warunkiem (dawać wartość logiczną prawda/fałsz), "
                f"a „{self.snippet(node)}” daje {pl_acc(actual)}"
            )
            en_ = (
                "The expression must be a condition (give true/false), "
                f'but "{self.snippet(node)}" gives {en(actual)}'
            )
        else:
            snippet = self.snippet(node)
            pl = f"Wyrażenie powinno dawać {pl_acc(wanted)}, a „{snippet}” daje {pl_acc(actual)}"
            en_ = f'The expression should give {en(wanted)}, but "{snippet}" gives {en(actual)}'
        raise self.fail(node, pl, en_)

    # -- traversal -------------------------------------------------------------

    def visit(self, node: Node, *, guarded: bool, in_prev: bool) -> Type:
        result = self._visit(node, guarded, in_prev)
        self.types[id(node)] = result
        return result

    def _visit(self, node: Node, guarded: bool, in_prev: bool) -> Type:
        match node:
            case Number():
                return Type.NUMBER
            case String():
                return Type.STRING
            case Boolean():
                return Type.BOOLEAN
            case Blank():
                return Type.BLANK
            case Ref(name=name):
                t = self.resolve(node, name)
                self.record(name, t, guarded, in_prev)
                return t
            case Range():
                names = ", ".join(sorted(n for n, s in FUNCTIONS.items() if s.ranges))
                raise self.fail(
                    node,
                    f"Zakres „{node.text}” może wystąpić tylko jako argument funkcji: {names}",
                    f'The range "{node.text}" may only be an argument of: {names}',
                )
            case Unary(op="-", operand=operand):
                t = self.visit(operand, guarded=guarded, in_prev=in_prev)
                if t not in (Type.NUMBER, Type.BLANK):
                    raise self.fail(
                        node,
                        f"Minus przed wartością wymaga liczby, a „{self.snippet(operand)}” jest "
                        f"{pl_ins(t)}",
                        f'A minus sign needs a number, but "{self.snippet(operand)}" is {en(t)}',
                    )
                return Type.NUMBER
            case Unary(operand=operand):
                self.logical_operand(operand, "not", guarded, in_prev)
                return Type.BOOLEAN
            case Binary(op=op, left=left, right=right) if op in ARITHMETIC:
                a = self.visit(left, guarded=guarded, in_prev=in_prev)
                b = self.visit(right, guarded=guarded, in_prev=in_prev)
                if a not in (Type.NUMBER, Type.BLANK) or b not in (Type.NUMBER, Type.BLANK):
                    pl, en_ = _VERBS[op]
                    raise self.fail(
                        node,
                        f"{pl(a, b)}: „{self.snippet(node)}”",
                        f'{en_(a, b)}: "{self.snippet(node)}"',
                    )
                return Type.NUMBER
            case Binary(op=op, left=left, right=right) if op in COMPARISON:
                self.comparison(node, op, left, right, guarded, in_prev)
                return Type.BOOLEAN
            case Binary(op=op, left=left, right=right):
                self.short_circuit = True
                self.logical_operand(left, op, guarded, in_prev)
                self.logical_operand(right, op, guarded, in_prev)
                return Type.BOOLEAN
            case Implies(condition=condition, consequence=consequence):
                self.short_circuit = True
                self.condition(condition, guarded, in_prev)
                t = self.visit(consequence, guarded=guarded, in_prev=in_prev)
                if t not in (Type.BOOLEAN, Type.BLANK):
                    raise self.fail(
                        consequence,
                        f"Po „then” w warunku „if … then …” musi stać warunek (prawda/fałsz), "
                        f"a „{self.snippet(consequence)}” jest {pl_ins(t)}",
                        f'After "then" in "if … then …" there must be a condition (true/false), '
                        f'but "{self.snippet(consequence)}" is {en(t)}',
                        "Jeśli chodziło o wybór wartości, dopisz „else …”.",
                        'To choose a value, add "else …".',
                    )
                return Type.BOOLEAN
            case Conditional(condition=condition, then=then, otherwise=otherwise):
                self.short_circuit = True
                self.condition(condition, guarded, in_prev)
                a = self.visit(then, guarded=guarded, in_prev=in_prev)
                b = self.visit(otherwise, guarded=guarded, in_prev=in_prev)
                common = unify(a, b)
                if common is None:
                    raise self.fail(
                        node,
                        "Obie gałęzie „if … then … else …” muszą dawać wartość tego samego typu, "
                        f"a „{self.snippet(then)}” jest {pl_ins(a)}, "
                        f"zaś „{self.snippet(otherwise)}” jest {pl_ins(b)}",
                        'Both branches of "if … then … else …" must have the same type, but '
                        f'"{self.snippet(then)}" is {en(a)} and "{self.snippet(otherwise)}" '
                        f"is {en(b)}",
                    )
                return common
            case Call():
                return self.call(node, guarded, in_prev)
        raise TypeError(f"not a node: {node!r}")  # pragma: no cover

    # -- pieces ----------------------------------------------------------------

    def record(self, name: str, t: Type, guarded: bool, in_prev: bool) -> None:
        self.ref_types[name] = t
        if in_prev:
            self.previous[name] = None
        else:
            self.current[name] = None
            if not guarded:
                self.triggers.add(name)

    def resolve(self, node: Node, name: str) -> Type:
        t = self.schema.type_of(name)
        if t is not None:
            return t
        parts = name.split(".")
        if len(parts) >= 3:
            section, row, column = ".".join(parts[:-2]), parts[-2], parts[-1]
            layout = self.schema.tables.get(section)
            if layout is not None:
                if layout.row_position(row) is None:
                    detail_pl, detail_en = f"wiersza „{row}”", f'row "{row}"'
                else:
                    detail_pl, detail_en = f"kolumny „{column}”", f'column "{column}"'
                raise self.fail(
                    node,
                    f"Nieznana komórka „{name}” w wyrażeniu",
                    f'Unknown cell "{name}" in the expression',
                    f"Dział „{section}” nie ma {detail_pl}.",
                    f'Section "{section}" has no {detail_en}.',
                    cls=RuleUnknownReferenceError,
                )
        if name in FUNCTIONS:
            tail_pl = f"„{name}” to nazwa funkcji — argumenty podaje się w nawiasie: {name}(…)."
            tail_en = f'"{name}" is a function — give its arguments in parentheses: {name}(…).'
        else:
            close = difflib.get_close_matches(name, list(self.schema.known_refs()), n=1)
            tail_pl = f"Czy chodziło o „{close[0]}”?" if close else ""
            tail_en = f'Did you mean "{close[0]}"?' if close else ""
        raise self.fail(
            node,
            f"Nieznane pole „{name}” w wyrażeniu",
            f'Unknown field "{name}" in the expression',
            tail_pl,
            tail_en,
            cls=RuleUnknownReferenceError,
        )

    def expand(self, node: Range) -> tuple[str, ...]:
        layout = self.schema.tables.get(node.section)
        if layout is None:
            raise self.fail(
                node,
                f"Nieznany dział „{node.section}” w zakresie „{node.text}”",
                f'Unknown section "{node.section}" in the range "{node.text}"',
                cls=RuleUnknownReferenceError,
            )
        position: Callable[[str], int | None]
        fixed_ok: Callable[[str], int | None]
        if node.axis == "rows":
            codes, position, fixed_ok = layout.rows, layout.row_position, layout.column_position
            kind_pl, kind_en, fixed_pl, fixed_en = "wiersza", "row", "kolumny", "column"
        else:
            codes, position, fixed_ok = layout.columns, layout.column_position, layout.row_position
            kind_pl, kind_en, fixed_pl, fixed_en = "kolumny", "column", "wiersza", "row"
        for code, what_pl, what_en, lookup in (
            (node.start, kind_pl, kind_en, position),
            (node.end, kind_pl, kind_en, position),
            (node.fixed, fixed_pl, fixed_en, fixed_ok),
        ):
            if lookup(code) is None:
                raise self.fail(
                    node,
                    f"Dział „{node.section}” nie ma {what_pl} „{code}” użytego w zakresie "
                    f"„{node.text}”",
                    f'Section "{node.section}" has no {what_en} "{code}" used in the range '
                    f'"{node.text}"',
                    cls=RuleUnknownReferenceError,
                )
        first, last = position(node.start), position(node.end)
        assert first is not None and last is not None
        if first > last:
            raise self.fail(
                node,
                f"Zakres „{node.text}” jest odwrócony: „{node.start}” stoi w tabeli "
                f"za „{node.end}”",
                f'The range "{node.text}" is reversed: "{node.start}" comes after '
                f'"{node.end}" in the table',
                f"Napisz go od pierwszego do ostatniego {kind_pl}.",
                f"Write it from the first {kind_en} to the last.",
            )
        if node.axis == "rows":
            cells = tuple(f"{node.section}.{r}.{node.fixed}" for r in codes[first : last + 1])
        else:
            cells = tuple(f"{node.section}.{node.fixed}.{c}" for c in codes[first : last + 1])
        self.expansions[id(node)] = cells
        return cells

    def logical_operand(self, node: Node, op: str, guarded: bool, in_prev: bool) -> None:
        t = self.visit(node, guarded=guarded, in_prev=in_prev)
        if t not in (Type.BOOLEAN, Type.BLANK):
            raise self.fail(
                node,
                f"Operator „{op}” wymaga warunków (wartości prawda/fałsz), "
                f"a „{self.snippet(node)}” jest {pl_ins(t)}",
                f'The operator "{op}" needs conditions (true/false values), '
                f'but "{self.snippet(node)}" is {en(t)}',
            )

    def condition(self, node: Node, guarded: bool, in_prev: bool) -> None:
        t = self.visit(node, guarded=guarded, in_prev=in_prev)
        if t not in (Type.BOOLEAN, Type.BLANK):
            raise self.fail(
                node,
                f"Po „if” musi stać warunek (prawda/fałsz), a „{self.snippet(node)}” jest "
                f"{pl_ins(t)}",
                f'"if" must be followed by a condition (true/false), but '
                f'"{self.snippet(node)}" is {en(t)}',
            )

    def comparison(
        self, node: Node, op: str, left: Node, right: Node, guarded: bool, in_prev: bool
    ) -> None:
        a = self.visit(left, guarded=guarded, in_prev=in_prev)
        b = self.visit(right, guarded=guarded, in_prev=in_prev)
        if Type.BLANK in (a, b):
            side = left if a == Type.BLANK else right
            other = right if side is left else left
            raise self.fail(
                side,
                "Porównanie z „blank” zawsze daje brak wartości — to nie sprawdza, czy pole "
                "jest puste",
                'A comparison with "blank" always gives blank — it does not test whether a '
                "field is empty",
                f"Napisz blank({self.snippet(other)}) albo filled({self.snippet(other)}).",
                f"Write blank({self.snippet(other)}) or filled({self.snippet(other)}).",
            )
        if Type.MULTI in (a, b):
            side = left if a == Type.MULTI else right
            raise self.fail(
                node,
                f"Odpowiedzi wielokrotnego wyboru „{self.snippet(side)}” nie można porównywać "
                f"operatorem „{op}”",
                f'The multiple-choice answer "{self.snippet(side)}" cannot be compared with "{op}"',
                f"Użyj selected({self.snippet(side)}, 'kod') lub "
                f"count_selected({self.snippet(side)}).",
                f"Use selected({self.snippet(side)}, 'code') or "
                f"count_selected({self.snippet(side)}).",
            )
        if op in ("=", "!="):
            ok = unify(a, b) is not None and a in _EQUATABLE and b in _EQUATABLE
        else:
            ok = a == b and a in _ORDERED
        if not ok:
            if op not in ("=", "!=") and a == b:
                raise self.fail(
                    node,
                    f"Porównanie „{op}” wymaga liczb albo dat, a „{self.snippet(left)}” "
                    f"jest {pl_ins(a)}",
                    f'The comparison "{op}" needs numbers or dates, but "{self.snippet(left)}" '
                    f"is {en(a)}",
                )
            raise self.fail(
                node,
                f"Nie można porównać {pl_acc(a)} z {pl_ins(b)}: „{self.snippet(node)}”",
                f'Cannot compare {en(a)} with {en(b)}: "{self.snippet(node)}"',
            )
        for ref_side, literal in ((left, right), (right, left)):
            if isinstance(literal, String):
                self.check_option(ref_side, literal)

    def check_option(self, field: Node, option: String) -> None:
        """A string compared with (or selected from) a choice field must be one
        of its options, when the schema lists them."""
        target = field
        if isinstance(target, Call) and target.name == "prev" and len(target.args) == 1:
            target = target.args[0]
        if not isinstance(target, Ref):
            return
        options = self.schema.options(target.name)
        if options is None or option.value in options:
            return
        listed = ", ".join(sorted(options)) or "—"
        raise self.fail(
            option,
            f"Pole „{target.name}” nie ma opcji „{option.value}”",
            f'The field "{target.name}" has no option "{option.value}"',
            f"Dostępne opcje: {listed}.",
            f"Available options: {listed}.",
        )

    # -- functions -------------------------------------------------------------

    def call(self, node: Call, guarded: bool, in_prev: bool) -> Type:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            names = ", ".join(sorted(FUNCTIONS))
            raise self.fail(
                node,
                f"Nieznana funkcja „{node.name}”",
                f'Unknown function "{node.name}"',
                f"Dostępne funkcje: {names}.",
                f"Available functions: {names}.",
            )
        self.arity(node, spec)
        inner_guarded = guarded or spec.guards
        name, args = node.name, node.args
        if spec.ranges:
            self.aggregate_args(node, spec, inner_guarded, in_prev)
            if name in _NUMERIC_AGGREGATES:
                return Type.NUMBER
            return Type.NUMBER if name == "count" else Type.BOOLEAN
        for arg in args:
            if isinstance(arg, Range):
                hint_pl = hint_en = ""
                if name in ("blank", "filled"):
                    hint_pl = "Dla zakresu użyj all_filled(…), any_filled(…) lub count(…)."
                    hint_en = "For a range use all_filled(…), any_filled(…) or count(…)."
                raise self.fail(
                    arg,
                    f"Funkcja {name} nie przyjmuje zakresu „{arg.text}”",
                    f'The function {name} does not take a range ("{arg.text}")',
                    hint_pl,
                    hint_en,
                )
        match name:
            case "abs":
                self.number_arg(node, args[0], inner_guarded, in_prev)
                return Type.NUMBER
            case "round":
                self.number_arg(node, args[0], inner_guarded, in_prev)
                digits = 0
                if len(args) == 2:
                    digits = self.round_digits(args[1])
                    self.visit(args[1], guarded=inner_guarded, in_prev=in_prev)
                self.constants[id(node)] = digits
                return Type.NUMBER
            case "blank" | "filled":
                self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                return Type.BOOLEAN
            case "score":
                self.score(node, inner_guarded, in_prev)
                return Type.NUMBER
            case "selected" | "count_selected":
                t = self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                if t not in (Type.CHOICE, Type.MULTI):
                    raise self.fail(
                        args[0],
                        f"Funkcja {name} wymaga pola wyboru, a „{self.snippet(args[0])}” "
                        f"jest {pl_ins(t)}",
                        f"The function {name} needs a choice field, but "
                        f'"{self.snippet(args[0])}" is {en(t)}',
                    )
                if name == "count_selected":
                    return Type.NUMBER
                option = args[1]
                if not isinstance(option, String):
                    raise self.fail(
                        option,
                        "Drugim argumentem funkcji selected musi być kod opcji w cudzysłowie",
                        "The second argument of selected must be a quoted option code",
                        f"Na przykład selected({self.snippet(args[0])}, 'tak').",
                        f"For example selected({self.snippet(args[0])}, 'yes').",
                    )
                self.visit(option, guarded=inner_guarded, in_prev=in_prev)
                self.check_option(args[0], option)
                return Type.BOOLEAN
            case "prev":
                if in_prev:
                    raise self.fail(
                        node,
                        "Funkcji prev nie można zagnieżdżać",
                        "prev cannot be nested",
                        "Dane sięgają tylko poprzedniego okresu.",
                        "Only the previous period is available.",
                    )
                return self.visit(args[0], guarded=inner_guarded, in_prev=True)
            case "coalesce":
                common = Type.BLANK
                for arg in args:
                    t = self.visit(arg, guarded=inner_guarded, in_prev=in_prev)
                    joined = unify(common, t)
                    if joined is None:
                        raise self.fail(
                            arg,
                            f"Argumenty funkcji coalesce muszą być tego samego typu, "
                            f"a „{self.snippet(arg)}” jest {pl_ins(t)} zamiast {pl_gen(common)}",
                            f"The arguments of coalesce must have one type, "
                            f'but "{self.snippet(arg)}" is {en(t)} instead of {en(common)}',
                        )
                    common = joined
                return common
            case "date":
                self.constants[id(node)] = self.date_literal(args[0])
                self.visit(args[0], guarded=inner_guarded, in_prev=in_prev)
                return Type.DATE
        raise TypeError(f"unhandled function {name}")  # pragma: no cover

    def arity(self, node: Call, spec: FunctionSpec) -> None:
        n = len(node.args)
        low, high = spec.min_args, spec.max_args
        if low <= n and (high is None or n <= high):
            return
        if high is None:
            wants_pl = "wymaga co najmniej jednego argumentu"
            wants_en = "needs at least one argument"
        elif low == high:
            wants_pl = f"przyjmuje dokładnie {low} {_plural_args(low)}"
            wants_en = f"takes exactly {low} argument{'s' if low != 1 else ''}"
        else:
            wants_pl = f"przyjmuje {low} lub {high} {_plural_args(high)}"
            wants_en = f"takes {low} or {high} arguments"
        raise self.fail(
            node,
            f"Funkcja {spec.name} {wants_pl}, a podano {n}",
            f"The function {spec.name} {wants_en}, but {n} were given",
            f"Zapis: {spec.signature}.",
            f"Usage: {spec.signature}.",
        )

    def aggregate_args(
        self, node: Call, spec: FunctionSpec, guarded: bool, in_prev: bool
    ) -> list[Type]:
        numeric = spec.name in _NUMERIC_AGGREGATES
        types: list[Type] = []
        for arg in node.args:
            if isinstance(arg, Range):
                cells = self.expand(arg)
                for cell in cells:
                    t = self.schema.type_of(cell) or Type.NUMBER
                    if numeric and t != Type.NUMBER:
                        raise self.fail(
                            arg,
                            f"Funkcja {spec.name} działa na liczbach, a komórka „{cell}” "
                            f"z zakresu „{arg.text}” jest {pl_ins(t)}",
                            f'The function {spec.name} works on numbers, but the cell "{cell}" '
                            f'of the range "{arg.text}" is {en(t)}',
                        )
                    self.record(cell, t, guarded, in_prev)
                    types.append(t)
                self.types[id(arg)] = Type.NUMBER if numeric else Type.BLANK
                continue
            t = self.visit(arg, guarded=guarded, in_prev=in_prev)
            if numeric and t not in (Type.NUMBER, Type.BLANK):
                raise self.fail(
                    arg,
                    f"Funkcja {spec.name} działa na liczbach, a „{self.snippet(arg)}” "
                    f"jest {pl_ins(t)}",
                    f'The function {spec.name} works on numbers, but "{self.snippet(arg)}" '
                    f"is {en(t)}",
                )
            types.append(t)
        return types

    def score(self, node: Call, guarded: bool, in_prev: bool) -> None:
        arg = node.args[0]
        t = self.visit(arg, guarded=guarded, in_prev=in_prev)
        target = arg.args[0] if isinstance(arg, Call) and arg.name == "prev" else arg
        if t != Type.CHOICE or not isinstance(target, Ref):
            raise self.fail(
                arg,
                f"Funkcja score wymaga pola jednokrotnego wyboru, a „{self.snippet(arg)}” jest "
                f"{pl_ins(t) if t != Type.CHOICE else 'wyrażeniem'}",
                f'The function score needs a single-choice field, but "{self.snippet(arg)}" '
                f"is {en(t) if t != Type.CHOICE else 'an expression'}",
                "Na przykład score(A1_Q1).",
                "For example score(A1_Q1).",
            )
        table = self.schema.option_scores(target.name)
        if table is None:
            raise self.fail(
                arg,
                f"Opcje pola „{target.name}” nie mają przypisanych punktów",
                f'The options of "{target.name}" have no scores',
            )
        self.constants[id(node)] = table

    def number_arg(self, call: Call, arg: Node, guarded: bool, in_prev: bool) -> None:
        t = self.visit(arg, guarded=guarded, in_prev=in_prev)
        if t not in (Type.NUMBER, Type.BLANK):
            raise self.fail(
                arg,
                f"Funkcja {call.name} działa na liczbach, a „{self.snippet(arg)}” jest {pl_ins(t)}",
                f'The function {call.name} works on numbers, but "{self.snippet(arg)}" is {en(t)}',
            )

    def round_digits(self, arg: Node) -> int:
        value: Decimal | None = None
        if isinstance(arg, Number):
            value = arg.value
        elif isinstance(arg, Unary) and arg.op == "-" and isinstance(arg.operand, Number):
            value = -arg.operand.value
        if value is None or value != value.to_integral_value() or int(value) not in ROUND_DIGITS:
            raise self.fail(
                arg,
                "Drugim argumentem funkcji round musi być wpisana wprost liczba całkowita "
                "od -10 do 10 (liczba miejsc po przecinku)",
                "The second argument of round must be a literal whole number from -10 to 10 "
                "(decimal places)",
                "Na przykład round(D1.W01.K2, 1).",
                "For example round(D1.W01.K2, 1).",
            )
        return int(value)

    def date_literal(self, arg: Node) -> datetime.date:
        if isinstance(arg, String):
            if _ISO_DATE.fullmatch(arg.value):
                try:
                    return datetime.date.fromisoformat(arg.value)
                except ValueError:
                    pass
            text = arg.value
        else:
            text = self.snippet(arg)
        raise self.fail(
            arg,
            f"Niepoprawna data „{text}”",
            f'Invalid date "{text}"',
            "Datę zapisuje się w cudzysłowie jako rok-miesiąc-dzień, np. date('2024-12-31').",
            "Write a date in quotes as year-month-day, e.g. date('2024-12-31').",
        )
