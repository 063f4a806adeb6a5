"""Value types of the rule language, the Python values that carry them, and how to name them
in messages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum


class Type(StrEnum):
    """Type of a field, a cell or an expression.

    ``BLANK`` is the type of the literal ``blank`` only (a value that is never
    there); it fits wherever any other type is expected and may not be used
    for a field in a :class:`Schema`.
    """

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"
    MULTI = "multi"
    BLANK = "blank"


# The Python class of a value of each type, as the form layer hands values to the evaluator
# (see :mod:`.values` for what else a value must be: finite, not a datetime, …).
PYTHON_TYPES: dict[Type, type] = {
    Type.NUMBER: Decimal,
    Type.STRING: str,
    Type.CHOICE: str,
    Type.MULTI: frozenset,
    Type.BOOLEAN: bool,
    Type.DATE: datetime.date,
}


# Polish grammar needs the case the sentence asks for.
_PL: dict[Type, tuple[str, str, str, str]] = {
    #              nominative, genitive, accusative, instrumental
    Type.NUMBER: ("liczba", "liczby", "liczbę", "liczbą"),
    Type.STRING: ("tekst", "tekstu", "tekst", "tekstem"),
    Type.BOOLEAN: (
        "wartość logiczna (prawda/fałsz)",
        "wartości logicznej (prawda/fałsz)",
        "wartość logiczną (prawda/fałsz)",
        "wartością logiczną (prawda/fałsz)",
    ),
    Type.DATE: ("data", "daty", "datę", "datą"),
    Type.CHOICE: (
        "odpowiedź jednokrotnego wyboru",
        "odpowiedzi jednokrotnego wyboru",
        "odpowiedź jednokrotnego wyboru",
        "odpowiedzią jednokrotnego wyboru",
    ),
    Type.MULTI: (
        "odpowiedź wielokrotnego wyboru",
        "odpowiedzi wielokrotnego wyboru",
        "odpowiedź wielokrotnego wyboru",
        "odpowiedzią wielokrotnego wyboru",
    ),
    Type.BLANK: ("brak wartości", "braku wartości", "brak wartości", "brakiem wartości"),
}

_EN: dict[Type, str] = {
    Type.NUMBER: "a number",
    Type.STRING: "a text",
    Type.BOOLEAN: "a boolean (true/false)",
    Type.DATE: "a date",
    Type.CHOICE: "a single-choice answer",
    Type.MULTI: "a multiple-choice answer",
    Type.BLANK: "a blank",
}


def pl_nom(t: Type) -> str:
    return _PL[t][0]


def pl_gen(t: Type) -> str:
    return _PL[t][1]


def pl_acc(t: Type) -> str:
    return _PL[t][2]


def pl_ins(t: Type) -> str:
    return _PL[t][3]


def en(t: Type) -> str:
    return _EN[t]


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches (``if``/``else``, ``coalesce``), or None."""
    if a == b:
        return a
    if a == Type.BLANK:
        return b
    if b == Type.BLANK:
        return a
    if {a, b} == {Type.CHOICE, Type.STRING}:
        # A choice value is its option code, i.e. a string.
        return Type.STRING
    return None


def textual(t: Type) -> bool:
    return t in (Type.STRING, Type.CHOICE)
