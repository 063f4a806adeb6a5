"""Static check of a syntax tree against a schema.

Resolves every ref, expands ranges into cell refs, infers the type of every
node and rejects what cannot make sense (adding text to a number, a rule that
is not a condition, an unknown field) before anything is evaluated. The result
is an :class:`Analysis` the compiler works from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .check_functions import FunctionChecks
from .errors import RuleEngineError
from .functions import FUNCTIONS
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
)
from .schema import Schema
from .value_types import Type, en, pl_acc, pl_gen, pl_ins, unify


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
    uses_period: bool  # calls period_start(), period_end() or deadline()
    reads_other: tuple[str, ...] = ()  # aliases of the other forms read with other()
    context_types: dict[str, Type] = field(default_factory=dict)  # period/other keys read


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
        uses_period=checker.uses_period,
        reads_other=tuple(checker.reads_other),
        context_types=checker.context_types,
    )


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

_ORDERED = (Type.NUMBER, Type.DATE, Type.BLANK)
_EQUATABLE = (Type.NUMBER, Type.DATE, Type.BOOLEAN, Type.STRING, Type.CHOICE)


class _Checker(FunctionChecks):
    """The checks of each node kind: literals, refs, operators, conditions and calls."""

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
