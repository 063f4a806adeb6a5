"""The value adapter: checks the values handed to the evaluator and keeps
only the filled ones.

Values arrive from the form layer already typed. The adapter is strict: a
value of the wrong Python type is a programming error on the caller's side
and raises :class:`RuleValueError`; it is never silently read as blank.

=========== ========================================================
type        accepted Python values (``None`` is always blank)
=========== ========================================================
number      ``decimal.Decimal``, finite (no NaN, no Infinity); never float
string      ``str``; the empty string counts as blank
choice      ``str`` (the option code); the empty string counts as blank
multi       ``frozenset`` of ``str``; the empty set counts as blank
boolean     ``bool``
date        ``datetime.date`` (not ``datetime.datetime``)
=========== ========================================================

The result is a copy of the values without the blank ones: the compiled
closures rely on "absent" meaning "blank".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import is_, itemgetter, not_
from typing import Any

from .errors import RuleValueError
from .value_types import PYTHON_TYPES, Type

_EXPECTED_PL = {
    Type.NUMBER: "liczby (decimal.Decimal, skończonej)",
    Type.STRING: "tekstu (str)",
    Type.CHOICE: "kodu opcji (str)",
    Type.MULTI: "zbioru kodów opcji (frozenset z elementami str)",
    Type.BOOLEAN: "wartości logicznej (bool)",
    Type.DATE: "daty (datetime.date)",
}
_EXPECTED_EN = {
    Type.NUMBER: "a number (a finite decimal.Decimal)",
    Type.STRING: "a text (str)",
    Type.CHOICE: "an option code (str)",
    Type.MULTI: "a set of option codes (a frozenset of str)",
    Type.BOOLEAN: "a boolean (bool)",
    Type.DATE: "a date (datetime.date)",
}
_NONE = type(None)


def _valid(t: Type, x: Any) -> bool:
    if x is None:
        return True
    if t == Type.NUMBER:
        return isinstance(x, Decimal) and x.is_finite()
    if t in (Type.STRING, Type.CHOICE):
        return isinstance(x, str)
    if t == Type.MULTI:
        return isinstance(x, frozenset) and all(isinstance(e, str) for e in x)
    if t == Type.BOOLEAN:
        return isinstance(x, bool)
    if t == Type.DATE:
        return isinstance(x, datetime.date) and not isinstance(x, datetime.datetime)
    return False


class Adapter:
    """Validates and filters values for a fixed set of refs (built once per
    rule set; called on every evaluation, so it works in bulk at C speed)."""

    __slots__ = ("_groups", "_previous")

    def __init__(self, ref_types: Mapping[str, Type], *, previous: bool = False) -> None:
        groups: dict[Type, list[str]] = {}
        for ref, t in ref_types.items():
            if t != Type.BLANK:
                groups.setdefault(t, []).append(ref)
        self._groups = tuple(
            (t, tuple(keys), itemgetter(*keys) if len(keys) > 1 else None)
            for t, keys in groups.items()
        )
        self._previous = previous

    def __call__(self, values: Mapping[str, Any] | None) -> dict[str, Any]:
        if not values:
            return {}
        # Keys the rules never read may stay: no closure looks at them.
        out = values.copy() if type(values) is dict else dict(values)
        blanks: list[str] = []
        for t, keys, get_all in self._groups:
            vals: Sequence[Any]
            try:
                vals = get_all(values) if get_all is not None else (values[keys[0]],)
            except KeyError:  # the caller may leave blanks out altogether
                vals = tuple(map(values.get, keys))
            kinds = set(map(type, vals))
            has_none = _NONE in kinds
            kinds.discard(_NONE)
            if kinds and (len(kinds) > 1 or kinds.pop() is not PYTHON_TYPES[t]):
                self._recheck(t, keys, vals)  # subclasses are fine; raises otherwise
            if t == Type.NUMBER and not all(map(Decimal.is_finite, filter(None, vals))):
                self._recheck(t, keys, vals)
            if t in (Type.STRING, Type.CHOICE, Type.MULTI):
                if t == Type.MULTI:
                    self._recheck(t, keys, vals)
                if not all(vals):  # None, "" and frozenset() are blank
                    blanks.extend(compress(keys, map(not_, vals)))
            elif has_none:
                blanks.extend(compress(keys, map(is_, vals, repeat(None))))
        for key in blanks:
            out.pop(key, None)
        return out

    def _recheck(self, t: Type, keys: tuple[str, ...], vals: Sequence[Any]) -> None:
        for key, x in zip(keys, vals, strict=True):
            if not _valid(t, x):
                where_pl = "W danych z poprzedniego okresu pole" if self._previous else "Pole"
                where_en = (
                    "In the previous period's data the field" if self._previous else "The field"
                )
                shown = repr(x)
                if len(shown) > 40:
                    shown = shown[:39] + "…"
                raise RuleValueError(
                    f"{where_pl} „{key}” ma wartość niewłaściwego typu: oczekiwano "
                    f"{_EXPECTED_PL[t]}, a otrzymano {type(x).__name__} {shown}.",
                    f'{where_en} "{key}" has a value of the wrong type: expected '
                    f"{_EXPECTED_EN[t]}, got {type(x).__name__} {shown}.",
                    field=key,
                )
