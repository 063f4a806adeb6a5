"""The syntax tree of the rule language: small frozen dataclasses.

The tree is our own, independent of lark: the parser builds it, the checker
types it, the compiler turns it into closures and :func:`to_source` prints it
back as canonical source text (used in messages, docs and round-trip tests).
Positions are kept out of equality so that a reparsed tree compares equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a node sits in the source: 1-based line/column, 0-based offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


def _pos() -> Pos | None:
    return field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class String:
    value: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Boolean:
    value: bool
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Blank:
    """The literal ``blank``: no value."""

    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Ref:
    """A field code or a cell address, e.g. ``Q1_2`` or ``D1.W01.K1``."""

    name: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Range:
    """``D1.W02:W09.K1`` (axis "rows", fixed column K1) or
    ``D1.W01.K1:K5`` (axis "columns", fixed row W01)."""

    section: str
    axis: Literal["rows", "columns"]
    start: str
    end: str
    fixed: str
    pos: Pos | None = _pos()

    @property
    def text(self) -> str:
        if self.axis == "rows":
            return f"{self.section}.{self.start}:{self.end}.{self.fixed}"
        return f"{self.section}.{self.fixed}.{self.start}:{self.end}"


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["-", "not"]
    operand: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic (+ - * /), comparison (= != < <= > >=) or logic (and, or)."""

    op: str
    left: Node
    right: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Implies:
    """``if condition then consequence``: true unless the condition holds and the
    consequence does not."""

    condition: Node
    consequence: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Conditional:
    """``if condition then then else otherwise``: a value chosen by a condition."""

    condition: Node
    then: Node
    otherwise: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: Pos | None = _pos()


Node = (
    Number | String | Boolean | Blank | Ref | Range | Unary | Binary | Implies | Conditional | Call
)

ARITHMETIC = frozenset({"+", "-", "*", "/"})
COMPARISON = frozenset({"=", "!=", "<", "<=", ">", ">="})
LOGICAL = frozenset({"and", "or"})


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case Implies(condition=c, consequence=q):
            return (c, q)
        case Conditional(condition=c, then=t, otherwise=o):
            return (c, t, o)
        case Call(args=args):
            return args
        case _:
            return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def own_refs(node: Node) -> Iterator[Ref]:
    """The refs of the form's own fields: every Ref but the arguments of other(), which name
    another form and its cells."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Ref):
            yield current
        elif not (isinstance(current, Call) and current.name == "other"):
            stack.extend(reversed(children(current)))


def depth(node: Node) -> int:
    """Height of the tree, computed without recursion (trees may be hostile)."""
    best = 0
    stack = [(node, 1)]
    while stack:
        current, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in children(current))
    return best


# Binding strength for printing; higher binds tighter. Mirrors grammar.lark.
_IF, _OR, _AND, _NOT, _CMP, _ADD, _MUL, _NEG, _ATOM = range(1, 10)
_BINARY_PREC = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL}
_BINARY_PREC.update(dict.fromkeys(COMPARISON, _CMP))


def _prec(node: Node) -> int:
    match node:
        case Implies() | Conditional():
            return _IF
        case Binary(op=op):
            return _BINARY_PREC[op]
        case Unary(op="not"):
            return _NOT
        case Unary():
            return _NEG
        case Number(value=value) if value < 0:
            return _NEG
        case _:
            return _ATOM


def _unmatched(node: Node) -> bool:
    """True for an ``if … then …`` lacking ``else`` at its right end: such a
    node cannot stand between ``then`` and ``else`` without parentheses."""
    match node:
        case Implies():
            return True
        case Conditional(otherwise=otherwise):
            return _unmatched(otherwise)
        case _:
            return False


def quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
    )
    return f"'{escaped}'"


def format_number(value: Decimal) -> str:
    text = format(value, "f")
    return text


def to_source(node: Node) -> str:
    """Canonical source text of a tree; parsing it gives an equal tree."""

    def wrap(child: Node, minimum: int) -> str:
        text = to_source(child)
        return f"({text})" if _prec(child) < minimum else text

    match node:
        case Number(value=value):
            return format_number(value)
        case String(value=value):
            return quote(value)
        case Boolean(value=value):
            return "true" if value else "false"
        case Blank():
            return "blank"
        case Ref(name=name):
            return name
        case Range():
            return node.text
        case Unary(op="not", operand=operand):
            return f"not {wrap(operand, _NOT)}"
        case Unary(op=op, operand=operand):
            text = wrap(operand, _NEG)
            return f"{op} {text}" if text.startswith("-") else f"{op}{text}"
        case Binary(op=op, left=left, right=right) if op in COMPARISON:
            return f"{wrap(left, _ADD)} {op} {wrap(right, _ADD)}"
        case Binary(op=op, left=left, right=right):
            level = _BINARY_PREC[op]
            return f"{wrap(left, level)} {op} {wrap(right, level + 1)}"
        case Implies(condition=c, consequence=q):
            return f"if {to_source(c)} then {to_source(q)}"
        case Conditional(condition=c, then=t, otherwise=o):
            then = f"({to_source(t)})" if _unmatched(t) else to_source(t)
            return f"if {to_source(c)} then {then} else {to_source(o)}"
        case Call(name=name, args=args):
            return f"{name}({', '.join(to_source(a) for a in args)})"
    raise TypeError(f"not a node: {node!r}")  # pragma: no cover
