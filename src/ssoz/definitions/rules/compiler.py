"""Checked syntax tree to nested Python closures.

Each node becomes a closure ``fn(v, p)`` over two dicts: ``v`` the filled values
of the current report and ``p`` those of the previous period, with the period's own
dates under the reserved keys of ``PERIOD_KEYS`` and other forms' values under
``other_key(alias, ref)``. Both dicts hold
only filled values (the value adapter drops blanks), so "is it filled?" is a
key test and a read of a ref the engine already knows to be filled is a plain
``v[key]``.

The compiler knows statically which results may be blank (``nullable``) and
only emits blank checks where a blank can occur; it also specialises the
common shapes (cell compared with cell, sum over a range, …) so that they cost
a single Python call. No source text is ever generated or evaluated.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from operator import itemgetter
from typing import Any

from .checker import Analysis
from .functions import (
    FUNCTIONS,
    PERIOD_KEYS,
    RECORD_COUNT_KEY,
    other_key,
    pesel_birth_date,
    pesel_sex,
)
from .nodes import (
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
from .value_types import Type

Values = dict[str, Any]
Fn = Callable[[Values, Values], Any]

ZERO = Decimal(0)
ONE = Decimal(1)
_SMALL = tuple(Decimal(i) for i in range(1025))
_EMPTY: frozenset[str] = frozenset()

# How a fragment gets its value; used to pick specialised closures.
CONST, ITEM, ZERO_READ, GET, EXPR = "const", "item", "zero", "get", "expr"


def _dec(n: int) -> Decimal:
    return _SMALL[n] if n < 1025 else Decimal(n)


def _div(x: Decimal, y: Decimal) -> Decimal | None:
    # Division by zero gives blank, never an exception (documented).
    return x / y if y else None


def _round(x: Decimal, digits: int) -> Decimal:
    exponent = x.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -digits:
        return x  # already no more precise than asked
    needed = x.adjusted() + digits + 3
    # quantize fails when the result has more digits than the context allows.
    context = Context(prec=needed) if needed > 28 else None
    return x.quantize(Decimal((0, (1,), -digits)), rounding=ROUND_HALF_UP, context=context)


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _div,
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Mode:
    """How to read refs: which current refs are known to be filled (the engine
    makes sure before evaluating) and whether blank numbers read as zero.
    Previous-period values are always read as they are."""

    blank_as_zero: bool = False
    filled: frozenset[str] = frozenset()


class Frag:
    """A compiled node: its closure and what the compiler knows about it."""

    __slots__ = ("fn", "nullable", "kind", "key", "prev", "value")

    def __init__(
        self,
        fn: Fn,
        nullable: bool,
        kind: str = EXPR,
        key: str = "",
        prev: bool = False,
        value: Any = None,
    ) -> None:
        self.fn = fn
        self.nullable = nullable
        self.kind = kind
        self.key = key
        self.prev = prev
        self.value = value


def _const(value: Any) -> Frag:
    return Frag(lambda v, p: value, value is None, CONST, value=value)


def _read(key: str, kind: str, prev: bool) -> Frag:
    if prev:
        return Frag(lambda v, p: p.get(key), True, GET, key, True)
    if kind == ITEM:
        return Frag(lambda v, p: v[key], False, ITEM, key)
    if kind == ZERO_READ:
        return Frag(lambda v, p: v.get(key, ZERO), False, ZERO_READ, key)
    return Frag(lambda v, p: v.get(key), True, GET, key)


def _shape(frag: Frag) -> str:
    if frag.kind == CONST:
        return "c"
    if frag.prev:
        return "f"
    if frag.kind == ITEM:
        return "i"
    if frag.kind == ZERO_READ:
        return "z"
    return "f"


def _combine(op: Callable[[Any, Any], Any], a: Frag, b: Frag) -> Fn:
    """op(a, b) for two operands that are never blank, specialised by shape."""
    sa, sb = _shape(a), _shape(b)
    x, y = a.key, b.key
    f, g = a.fn, b.fn
    c, d = a.value, b.value
    match sa + sb:
        case "ii":
            return lambda v, p: op(v[x], v[y])
        case "iz":
            return lambda v, p: op(v[x], v.get(y, ZERO))
        case "zi":
            return lambda v, p: op(v.get(x, ZERO), v[y])
        case "zz":
            return lambda v, p: op(v.get(x, ZERO), v.get(y, ZERO))
        case "ic":
            return lambda v, p: op(v[x], d)
        case "ci":
            return lambda v, p: op(c, v[y])
        case "zc":
            return lambda v, p: op(v.get(x, ZERO), d)
        case "cz":
            return lambda v, p: op(c, v.get(y, ZERO))
        case "if":
            return lambda v, p: op(v[x], g(v, p))
        case "fi":
            return lambda v, p: op(f(v, p), v[y])
        case "zf":
            return lambda v, p: op(v.get(x, ZERO), g(v, p))
        case "fz":
            return lambda v, p: op(f(v, p), v.get(y, ZERO))
        case "fc":
            return lambda v, p: op(f(v, p), d)
        case "cf":
            return lambda v, p: op(c, g(v, p))
        case _:
            return lambda v, p: op(f(v, p), g(v, p))


def _combine_nullable(op: Callable[[Any, Any], Any], a: Frag, b: Frag) -> Fn:
    """op(a, b) where an operand may be blank: blank in, blank out."""
    f, g = a.fn, b.fn
    if a.kind == GET and b.kind == GET and not a.prev and not b.prev:
        x, y = a.key, b.key

        def both_get(v: Values, p: Values) -> Any:
            left = v.get(x)
            if left is None:
                return None
            right = v.get(y)
            if right is None:
                return None
            return op(left, right)

        return both_get
    if a.nullable and b.nullable:

        def both(v: Values, p: Values) -> Any:
            left = f(v, p)
            if left is None:
                return None
            right = g(v, p)
            if right is None:
                return None
            return op(left, right)

        return both
    if a.nullable:

        def left_only(v: Values, p: Values) -> Any:
            left = f(v, p)
            if left is None:
                return None
            return op(left, g(v, p))

        return left_only

    def right_only(v: Values, p: Values) -> Any:
        left = f(v, p)
        right = g(v, p)
        if right is None:
            return None
        return op(left, right)

    return right_only


class _Compiler:
    def __init__(self, analysis: Analysis, mode: Mode) -> None:
        self.analysis = analysis
        self.mode = mode

    def kind(self, key: str, guarded: bool, in_prev: bool) -> str:
        if in_prev:
            return GET
        if key in self.mode.filled:
            return ITEM
        if (
            self.mode.blank_as_zero
            and not guarded
            and self.analysis.ref_types.get(key) == Type.NUMBER
        ):
            return ZERO_READ
        return GET

    def ref(self, key: str, guarded: bool, in_prev: bool) -> Frag:
        return _read(key, self.kind(key, guarded, in_prev), in_prev)

    def compile(self, node: Node, guarded: bool = False, in_prev: bool = False) -> Frag:
        """``guarded``: inside a blank-aware function; ``in_prev``: inside prev()."""
        match node:
            case Number(value=value):
                return _const(value)
            case String(value=value):
                return _const(value)
            case Boolean(value=value):
                return _const(value)
            case Blank():
                return _const(None)
            case Ref(name=name):
                return self.ref(name, guarded, in_prev)
            case Unary(op=op, operand=operand):
                return self.unary(op, self.compile(operand, guarded, in_prev))
            case Binary(op="and" | "or", left=left, right=right):
                a = self.compile(left, guarded, in_prev)
                b = self.compile(right, guarded, in_prev)
                return _fold(_and(a, b) if node.op == "and" else _or(a, b), a, b)
            case Binary(op=op, left=left, right=right):
                a = self.compile(left, guarded, in_prev)
                b = self.compile(right, guarded, in_prev)
                return self.binary(op, a, b)
            case Implies(condition=condition, consequence=consequence):
                a = self.compile(condition, guarded, in_prev)
                b = self.compile(consequence, guarded, in_prev)
                return _fold(_implies(a, b), a, b)
            case Conditional(condition=condition, then=then, otherwise=otherwise):
                c = self.compile(condition, guarded, in_prev)
                t = self.compile(then, guarded, in_prev)
                e = self.compile(otherwise, guarded, in_prev)
                return _conditional(c, t, e)
            case Call():
                return self.call(node, guarded, in_prev)
            case Range():  # pragma: no cover - the checker rejects ranges here
                raise AssertionError("range outside an aggregate")
        raise TypeError(f"not a node: {node!r}")  # pragma: no cover

    def unary(self, op: str, a: Frag) -> Frag:
        f = a.fn
        if op == "not":
            if a.nullable:

                def negate(v: Values, p: Values) -> bool | None:
                    x = f(v, p)
                    return None if x is None else not x

                return _fold(Frag(negate, True), a)
            return _fold(Frag(lambda v, p: not f(v, p), False), a)
        if a.nullable:

            def minus(v: Values, p: Values) -> Decimal | None:
                x = f(v, p)
                return None if x is None else -x

            return _fold(Frag(minus, True), a)
        if _shape(a) == "i":
            key = a.key
            return Frag(lambda v, p: -v[key], False)
        return _fold(Frag(lambda v, p: -f(v, p), False), a)

    def binary(self, op: str, a: Frag, b: Frag) -> Frag:
        function = _OPS[op]
        nullable = a.nullable or b.nullable
        if op == "/":
            if b.kind == CONST and b.value is not None:
                if b.value == 0:
                    return _const(None)
                function = operator.truediv
            else:
                nullable = True
        if a.nullable or b.nullable:
            fn = _combine_nullable(function, a, b)
        else:
            fn = _combine(function, a, b)
        return _fold(Frag(fn, nullable), a, b)

    # -- functions -------------------------------------------------------------

    def call(self, node: Call, guarded: bool, in_prev: bool) -> Frag:
        name, args = node.name, node.args
        spec = FUNCTIONS[name]
        inner = guarded or spec.guards
        if spec.ranges:
            return self.aggregate(name, args, inner, in_prev)
        match name:
            case "prev":
                return self.compile(args[0], inner, True)
            case "date":
                return _const(self.analysis.constants[id(node)])
            case "period_start" | "period_end" | "deadline":
                # Read as the previous period's values are: as they are, blank when absent.
                return _read(PERIOD_KEYS[name], GET, prev=True)
            case "record_count":
                return _read(RECORD_COUNT_KEY, GET, prev=True)
            case "other":
                # Another form's value is read like the previous period's: as it is (never 0,
                # never a reason to skip), blank when absent.
                alias, ref = args
                assert isinstance(alias, Ref) and isinstance(ref, Ref)
                return _read(other_key(alias.name, ref.name), GET, prev=True)
            case "pesel_birth_date" | "pesel_sex":
                a = self.compile(args[0], inner, in_prev)
                read = pesel_birth_date if name == "pesel_birth_date" else pesel_sex
                f = a.fn
                # Blank for an invalid number, whatever the argument: always nullable.
                return Frag(lambda v, p: read(f(v, p)), True)
            case "abs":
                a = self.compile(args[0], inner, in_prev)
                return _map1(abs, a)
            case "round":
                a = self.compile(args[0], inner, in_prev)
                digits = self.analysis.constants[id(node)]
                assert isinstance(digits, int)
                return _map1(lambda x: _round(x, digits), a)
            case "blank" | "filled":
                return self.filled(args[0], inner, in_prev, negate=name == "blank")
            case "score":
                a = self.compile(args[0], inner, in_prev)
                table = self.analysis.constants[id(node)]
                assert isinstance(table, dict)
                look_up = table.get
                f = a.fn
                # An unanswered question and an option without points both give blank.
                return Frag(lambda v, p: look_up(f(v, p)), True)
            case "coalesce":
                return self.coalesce([self.compile(a, inner, in_prev) for a in args])
            case "selected":
                a = self.compile(args[0], inner, in_prev)
                assert isinstance(args[1], String)
                return self.selected(a, args[1].value, self.analysis.types[id(args[0])])
            case "count_selected":
                a = self.compile(args[0], inner, in_prev)
                return self.count_selected(a, self.analysis.types[id(args[0])])
        raise AssertionError(f"unhandled function {name}")  # pragma: no cover

    def filled(self, arg: Node, guarded: bool, in_prev: bool, negate: bool) -> Frag:
        if isinstance(arg, Ref):
            key = arg.name
            if in_prev:
                fn: Fn = (lambda v, p: key not in p) if negate else (lambda v, p: key in p)
            else:
                fn = (lambda v, p: key not in v) if negate else (lambda v, p: key in v)
            return Frag(fn, False)
        a = self.compile(arg, guarded, in_prev)
        if not a.nullable:
            return _const(not negate)
        f = a.fn
        if negate:
            return _fold(Frag(lambda v, p: f(v, p) is None, False), a)
        return _fold(Frag(lambda v, p: f(v, p) is not None, False), a)

    def coalesce(self, frags: list[Frag]) -> Frag:
        kept: list[Frag] = []
        for frag in frags:
            if frag.kind == CONST and frag.value is None:
                continue
            kept.append(frag)
            if not frag.nullable:
                break  # later arguments can never be reached
        if not kept:
            return _const(None)
        if len(kept) == 1:
            return kept[0]
        first = kept[0]
        if len(kept) == 2 and first.kind == GET and kept[1].kind == CONST:
            key, default = first.key, kept[1].value
            if first.prev:
                return Frag(lambda v, p: p.get(key, default), False)
            return Frag(lambda v, p: v.get(key, default), False)
        fns = tuple(frag.fn for frag in kept)
        nullable = kept[-1].nullable

        def first_filled(v: Values, p: Values) -> Any:
            for f in fns:
                x = f(v, p)
                if x is not None:
                    return x
            return None

        return Frag(first_filled, nullable)

    def selected(self, a: Frag, option: str, t: Type) -> Frag:
        f = a.fn
        if t == Type.CHOICE:
            if a.kind in (GET, ITEM) and not a.prev:
                key = a.key
                return Frag(lambda v, p: v.get(key) == option, False)
            return Frag(lambda v, p: f(v, p) == option, False)
        if a.kind in (GET, ITEM) and not a.prev:
            key = a.key
            return Frag(lambda v, p: option in v.get(key, _EMPTY), False)

        def chosen(v: Values, p: Values) -> bool:
            x = f(v, p)
            return x is not None and option in x

        return Frag(chosen, False)

    def count_selected(self, a: Frag, t: Type) -> Frag:
        f = a.fn
        if t == Type.CHOICE:
            return Frag(lambda v, p: ZERO if f(v, p) is None else ONE, False)

        def size(v: Values, p: Values) -> Decimal:
            x = f(v, p)
            return ZERO if x is None else _dec(len(x))

        return Frag(size, False)

    # -- aggregates ------------------------------------------------------------

    def aggregate(self, name: str, args: tuple[Node, ...], guarded: bool, in_prev: bool) -> Frag:
        frags: list[Frag] = []
        for arg in args:
            if isinstance(arg, Range):
                cells = self.analysis.expansions[id(arg)]
                frags.extend(self.ref(cell, guarded, in_prev) for cell in cells)
            else:
                frags.append(self.compile(arg, guarded, in_prev))
        if name in ("count", "all_filled", "any_filled"):
            return _presence(name, frags)
        return _numeric(name, frags)


def _fold(frag: Frag, *children: Frag) -> Frag:
    """Replace a node whose inputs are all constants by its value."""
    if not children or any(child.kind != CONST for child in children):
        return frag
    try:
        return _const(frag.fn({}, {}))
    except (ArithmeticError, KeyError):
        return frag


def _map1(function: Callable[[Any], Any], a: Frag) -> Frag:
    f = a.fn
    if a.nullable:

        def apply(v: Values, p: Values) -> Any:
            x = f(v, p)
            return None if x is None else function(x)

        return _fold(Frag(apply, True), a)
    return _fold(Frag(lambda v, p: function(f(v, p)), False), a)


def _and(a: Frag, b: Frag) -> Frag:
    f, g = a.fn, b.fn
    if not a.nullable and not b.nullable:
        return Frag(lambda v, p: f(v, p) and g(v, p), False)
    if not a.nullable:
        # true and y = y; false and y = false
        return Frag(lambda v, p: f(v, p) and g(v, p), True)

    def kleene_and(v: Values, p: Values) -> bool | None:
        x = f(v, p)
        if x is False:
            return False
        y = g(v, p)
        if y is False:
            return False
        return None if x is None or y is None else True

    return Frag(kleene_and, True)


def _or(a: Frag, b: Frag) -> Frag:
    f, g = a.fn, b.fn
    if not a.nullable and not b.nullable:
        return Frag(lambda v, p: f(v, p) or g(v, p), False)
    if not a.nullable:
        return Frag(lambda v, p: f(v, p) or g(v, p), True)

    def kleene_or(v: Values, p: Values) -> bool | None:
        x = f(v, p)
        if x is True:
            return True
        y = g(v, p)
        if y is True:
            return True
        return None if x is None or y is None else False

    return Frag(kleene_or, True)


def _implies(a: Frag, b: Frag) -> Frag:
    f, g = a.fn, b.fn
    if not a.nullable:
        # Condition false: the implication holds whatever the consequence is.
        return Frag(lambda v, p: (not f(v, p)) or g(v, p), b.nullable)

    def kleene_implies(v: Values, p: Values) -> bool | None:
        x = f(v, p)
        if x is False:
            return True
        y = g(v, p)
        if y is True:
            return True
        return None if x is None or y is None else False

    return Frag(kleene_implies, True)


def _conditional(c: Frag, t: Frag, e: Frag) -> Frag:
    if c.kind == CONST:
        if c.value is None:
            return _const(None)
        return t if c.value else e
    f, g, h = c.fn, t.fn, e.fn
    nullable = c.nullable or t.nullable or e.nullable
    if not c.nullable:
        return Frag(lambda v, p: g(v, p) if f(v, p) else h(v, p), nullable)

    def choose(v: Values, p: Values) -> Any:
        x = f(v, p)
        if x is None:
            return None
        return g(v, p) if x else h(v, p)

    return Frag(choose, nullable)


def _same_source_refs(frags: list[Frag]) -> tuple[bool, str | None]:
    """(all frags read one dict directly, their common kind) for fast paths."""
    if not frags or any(f.kind not in (ITEM, ZERO_READ, GET) for f in frags):
        return False, None
    if len({f.prev for f in frags}) != 1:
        return False, None
    kinds = {f.kind for f in frags}
    return True, kinds.pop() if len(kinds) == 1 else None


def _presence(name: str, frags: list[Frag]) -> Frag:
    """count / all_filled / any_filled: they look at whether values are there."""
    refs_only, _ = _same_source_refs(frags)
    if refs_only:
        keys = tuple(f.key for f in frags)
        prev = frags[0].prev
        if name == "count":
            if prev:
                return Frag(lambda v, p: _dec(sum(map(p.__contains__, keys))), False)
            return Frag(lambda v, p: _dec(sum(map(v.__contains__, keys))), False)
        test = all if name == "all_filled" else any
        if prev:
            return Frag(lambda v, p: test(map(p.__contains__, keys)), False)
        return Frag(lambda v, p: test(map(v.__contains__, keys)), False)
    fns = tuple(f.fn for f in frags)
    if name == "count":
        return Frag(lambda v, p: _dec(sum(f(v, p) is not None for f in fns)), False)
    test = all if name == "all_filled" else any
    return Frag(lambda v, p: test(f(v, p) is not None for f in fns), False)


def _avg(xs: list[Decimal]) -> Decimal:
    return sum(xs, ZERO) / _dec(len(xs))


def _numeric(name: str, frags: list[Frag]) -> Frag:
    """sum / min / max / avg: blanks are left out; only blanks give blank."""
    if name == "avg":
        return _average(frags)
    refs_only, kind = _same_source_refs(frags)
    if refs_only and kind is not None:
        keys = tuple(f.key for f in frags)
        prev = frags[0].prev
        n = len(keys)
        if kind == ITEM:  # never from the previous period
            if n == 1:
                return frags[0]
            get_all = itemgetter(*keys)
            if name == "sum":
                return Frag(lambda v, p: sum(get_all(v), ZERO), False)
            pick = min if name == "min" else max
            return Frag(lambda v, p: pick(get_all(v)), False)
        if kind == ZERO_READ:  # never from the previous period
            zeros = (ZERO,) * n
            if name == "sum":
                return Frag(lambda v, p: sum(map(v.get, keys, zeros), ZERO), False)
            pick = min if name == "min" else max
            return Frag(lambda v, p: pick(map(v.get, keys, zeros)), False)
        # GET: only the filled ones count.
        if name == "sum":

            def sum_filled(v: Values, p: Values) -> Decimal | None:
                d = p if prev else v
                xs = list(map(d.__getitem__, filter(d.__contains__, keys)))
                return sum(xs, ZERO) if xs else None

            return Frag(sum_filled, True)
        pick = min if name == "min" else max

        def pick_filled(v: Values, p: Values) -> Decimal | None:
            d = p if prev else v
            xs = list(map(d.__getitem__, filter(d.__contains__, keys)))
            return pick(xs) if xs else None

        return Frag(pick_filled, True)
    fns = tuple(f.fn for f in frags)
    nullable = all(f.nullable for f in frags)
    if name == "sum":

        def sum_general(v: Values, p: Values) -> Decimal | None:
            total = None
            for f in fns:
                x = f(v, p)
                if x is not None:
                    total = x if total is None else total + x
            return total

        return _fold(Frag(sum_general, nullable), *frags)
    pick = min if name == "min" else max

    def pick_general(v: Values, p: Values) -> Decimal | None:
        xs = [x for x in (f(v, p) for f in fns) if x is not None]
        return pick(xs) if xs else None

    return _fold(Frag(pick_general, nullable), *frags)


def _average(frags: list[Frag]) -> Frag:
    """avg: the mean of the filled values (all of them under blank_as_zero)."""
    fns = tuple(f.fn for f in frags)
    nullable = all(f.nullable for f in frags)
    if not any(f.nullable for f in frags):
        n = _dec(len(fns))
        return _fold(Frag(lambda v, p: sum([f(v, p) for f in fns], ZERO) / n, False), *frags)

    def mean(v: Values, p: Values) -> Decimal | None:
        xs = [x for x in (f(v, p) for f in fns) if x is not None]
        return _avg(xs) if xs else None

    return _fold(Frag(mean, nullable), *frags)


def compile_analysis(analysis: Analysis, mode: Mode) -> Frag:
    """The closure computing ``analysis.root`` under ``mode``."""
    return _Compiler(analysis, mode).compile(analysis.root)
