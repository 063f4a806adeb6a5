"""Source text to syntax tree, with lark in LALR mode.

The lark grammar lives in ``grammar.lark``. The tree is built during parsing by
an inline transformer (no intermediate lark tree, no recursion), so hostile
input cannot exhaust the stack here; the depth check afterwards protects the
recursive passes that follow. Every lark exception is translated into a
:class:`RuleSyntaxError` with a Polish message and the position.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from .errors import RuleEngineError, RuleSyntaxError, at, at_en
from .nodes import (
    Binary,
    Blank,
    Boolean,
    Call,
    Conditional,
    Implies,
    Node,
    Number,
    Pos,
    Range,
    Ref,
    String,
    Unary,
    depth,
)

MAX_SOURCE_LENGTH = 10_000
MAX_DEPTH = 100

_OPERATORS = {
    "==": "=",
    "=": "=",
    "!=": "!=",
    "<>": "!=",
    "≠": "!=",
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
    "+": "+",
    "-": "-",
    "−": "-",
    "*": "*",
    "×": "*",
    "/": "/",
    "÷": "/",
}

_ESCAPES = {"n": "\n", "t": "\t"}


def _span(first: Token | Node, last: Token | Node) -> Pos:
    a = first if isinstance(first, Token) else first.pos
    b = last if isinstance(last, Token) else last.pos
    assert a is not None and b is not None
    if isinstance(a, Token):
        line, column, start = a.line, a.column, a.start_pos
    else:
        line, column, start = a.line, a.column, a.start
    if isinstance(b, Token):
        end_line, end_column, end = b.end_line, b.end_column, b.end_pos
    else:
        end_line, end_column, end = b.end_line, b.end_column, b.end
    return Pos(line or 1, column or 1, end_line or 1, end_column or 1, start or 0, end or 0)


def _unescape(body: str) -> str:
    out: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)


class _Builder(Transformer[Token, Node]):
    """Lark callbacks building our nodes; each receives the rule's children."""

    def start(self, c: list[Node]) -> Node:
        return c[0]

    def conditional(self, c: list[Any]) -> Node:
        return Conditional(c[1], c[3], c[5], pos=_span(c[0], c[5]))

    def implies(self, c: list[Any]) -> Node:
        return Implies(c[1], c[3], pos=_span(c[0], c[3]))

    def logical(self, c: list[Any]) -> Node:
        return Binary(str(c[1]), c[0], c[2], pos=_span(c[0], c[2]))

    def negation(self, c: list[Any]) -> Node:
        return Unary("not", c[1], pos=_span(c[0], c[1]))

    def compare(self, c: list[Any]) -> Node:
        return Binary(_OPERATORS[str(c[1])], c[0], c[2], pos=_span(c[0], c[2]))

    arithmetic = compare

    def minus(self, c: list[Any]) -> Node:
        return Unary("-", c[1], pos=_span(c[0], c[1]))

    def number(self, c: list[Token]) -> Node:
        return Number(Decimal(str(c[0])), pos=_span(c[0], c[0]))

    def string(self, c: list[Token]) -> Node:
        return String(_unescape(str(c[0])[1:-1]), pos=_span(c[0], c[0]))

    def true(self, c: list[Token]) -> Node:
        return Boolean(True, pos=_span(c[0], c[0]))

    def false(self, c: list[Token]) -> Node:
        return Boolean(False, pos=_span(c[0], c[0]))

    def blank(self, c: list[Token]) -> Node:
        return Blank(pos=_span(c[0], c[0]))

    def ref(self, c: list[Token]) -> Node:
        return Ref(str(c[0]), pos=_span(c[0], c[0]))

    def range(self, c: list[Token]) -> Node:
        token = c[0]
        pos = _span(token, token)
        left, right = str(token).split(":", 1)
        segments = left.split(".")
        if "." in right:
            # D1.W02:W09.K1 — rows W02..W09 of column K1.
            end, fixed = right.split(".", 1)
            if len(segments) >= 2:
                return Range(".".join(segments[:-1]), "rows", segments[-1], end, fixed, pos=pos)
        elif len(segments) >= 3:
            # D1.W01.K1:K5 — columns K1..K5 of row W01.
            return Range(
                ".".join(segments[:-2]), "columns", segments[-1], right, segments[-2], pos=pos
            )
        raise RuleSyntaxError(
            f"Niepoprawny zakres „{token}”{at(pos.line, pos.column)}: zakres wierszy zapisuje się "
            "jak D1.W02:W09.K1, a zakres kolumn jak D1.W01.K1:K5.",
            f'Malformed range "{token}"{at_en(pos.line, pos.column)}: a range of rows reads '
            "D1.W02:W09.K1 and a range of columns D1.W01.K1:K5.",
            line=pos.line,
            column=pos.column,
            end_column=pos.end_column,
        )

    def call(self, c: list[Any]) -> Node:
        name, rpar = c[0], c[-1]
        args = tuple(x for x in c[2:-1] if x is not None and not isinstance(x, Token))
        return Call(str(name), args, pos=_span(name, rpar))

    def group(self, c: list[Any]) -> Node:
        return cast(Node, c[1])


@functools.cache
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", transformer=_Builder(), maybe_placeholders=False)


def parse(source: str) -> Node:
    """Parse an expression; raises only :class:`RuleSyntaxError`."""
    if not isinstance(source, str):
        raise RuleSyntaxError(
            "Wyrażenie musi być tekstem.", "The expression must be a string.", source=None
        )
    if not source.strip():
        raise RuleSyntaxError("Wyrażenie jest puste.", "The expression is empty.", source=source)
    if len(source) > MAX_SOURCE_LENGTH:
        raise RuleSyntaxError(
            f"Wyrażenie jest za długie ({len(source)} znaków; najwięcej {MAX_SOURCE_LENGTH}).",
            f"The expression is too long ({len(source)} characters; at most {MAX_SOURCE_LENGTH}).",
            source=source,
        )
    try:
        tree = cast(Node, _lark().parse(source))
    except RuleEngineError as error:
        error.source = source
        raise
    except LarkError as error:
        raise _translate(error, source) from None
    if depth(tree) > MAX_DEPTH:
        raise RuleSyntaxError(
            f"Wyrażenie jest zbyt głęboko zagnieżdżone (ponad {MAX_DEPTH} poziomów). "
            "Długie sumy zapisz funkcją sum(…), a złożone warunki podziel na kilka reguł.",
            f"The expression is nested too deeply (over {MAX_DEPTH} levels). Write long "
            "totals with sum(…) and split complex conditions into several rules.",
            line=1,
            column=1,
            source=source,
        )
    return tree


# How to name what the parser expected, in Polish (genitive) and in English.
# (terminals that must all be expected, terminals the phrase also covers, pl, en)
_VALUE_STARTS = frozenset({"RANGE", "MINUS", "NOT", "IF", "TRUE", "FALSE", "BLANK"})
_EXPECTED: list[tuple[frozenset[str], frozenset[str], str, str]] = [
    (
        frozenset({"NUMBER", "REF", "STRING", "LPAR"}),
        _VALUE_STARTS,
        "wartości (liczby, tekstu, nazwy pola, funkcji lub nawiasu)",
        "a value (a number, a text, a field, a function or a parenthesis)",
    ),
    (frozenset({"NUMBER"}), frozenset(), "liczby", "a number"),
    (frozenset({"STRING"}), frozenset(), "tekstu w cudzysłowie", "a quoted text"),
    (frozenset({"REF"}), frozenset(), "nazwy pola", "a field name"),
    (frozenset({"RANGE"}), frozenset(), "zakresu", "a range"),
    (
        frozenset({"PLUS", "STAR", "SLASH"}),
        frozenset({"MINUS"}),
        "działania (+, -, *, /)",
        "an operator (+, -, *, /)",
    ),
    (frozenset({"COMPARE"}), frozenset(), "porównania (=, <, >, …)", "a comparison (=, <, >, …)"),
    (frozenset({"AND"}), frozenset(), "„and”", '"and"'),
    (frozenset({"OR"}), frozenset(), "„or”", '"or"'),
    (frozenset({"THEN"}), frozenset(), "słowa „then”", 'the word "then"'),
    (frozenset({"ELSE"}), frozenset(), "słowa „else”", 'the word "else"'),
    (frozenset({"LPAR"}), frozenset(), "„(”", '"("'),
    (frozenset({"COMMA"}), frozenset(), "„,”", '","'),
    (frozenset({"RPAR"}), frozenset(), "„)”", '")"'),
    (frozenset({"$END"}), frozenset(), "końca wyrażenia", "the end of the expression"),
]


def _describe_expected(expected: set[str]) -> tuple[str, str]:
    pl: list[str] = []
    en: list[str] = []
    covered: set[str] = set()
    for names, also, text_pl, text_en in _EXPECTED:
        if names <= expected and not names <= covered:
            pl.append(text_pl)
            en.append(text_en)
            covered |= names | also
    if not pl:
        return "", ""

    def join(items: list[str], word: str) -> str:
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"

    return join(pl, "lub"), join(en, "or")


def _translate(error: LarkError, source: str) -> RuleSyntaxError:
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        char = error.char
        if char in "'\"":
            pl = f"Niezamknięty cudzysłów{at(line, column)}."
            en = f"Unterminated quotation mark{at_en(line, column)}."
        elif char == ":":
            pl = (
                f"Niedozwolony znak „:”{at(line, column)}. Zakres zapisuje się bez spacji, "
                "np. D1.W02:W09.K1."
            )
            en = (
                f'Unexpected character ":"{at_en(line, column)}. Write a range without '
                "spaces, e.g. D1.W02:W09.K1."
            )
        elif char == "." and source.startswith(".*", error.pos_in_stream):
            pl = (
                f"Niedozwolony znak „.”{at(line, column)}. „*” w miejscu kodu wiersza lub "
                "kolumny (np. D2.*.K5) ma znaczenie tylko w regule powtarzanej, z kluczem "
                "for_each."
            )
            en = (
                f'Unexpected character "."{at_en(line, column)}. "*" in place of a row\'s or '
                "column's code (e.g. D2.*.K5) means something only in a repeating rule, one "
                "with the for_each key."
            )
        else:
            pl = f"Niedozwolony znak „{char}”{at(line, column)}."
            en = f'Unexpected character "{char}"{at_en(line, column)}.'
        return RuleSyntaxError(pl, en, line=line, column=column, source=source)
    if isinstance(error, UnexpectedToken | UnexpectedEOF):
        token = getattr(error, "token", None)
        expected = set(getattr(error, "accepts", None) or error.expected or ())
        exp_pl, exp_en = _describe_expected(expected)
        tail_pl = f"; oczekiwano {exp_pl}" if exp_pl else ""
        tail_en = f"; expected {exp_en}" if exp_en else ""
        if token is None or token.type == "$END":
            line, column = _end_position(source)
            pl = f"Wyrażenie urywa się{at(line, column)}{tail_pl}."
            en = f"The expression ends too early{at_en(line, column)}{tail_en}."
        else:
            line, column = token.line, token.column
            pl = f"W tym miejscu nie może wystąpić „{token}”{at(line, column)}{tail_pl}."
            en = f'"{token}" cannot appear here{at_en(line, column)}{tail_en}.'
            if token.type == "COMPARE" and "COMPARE" not in expected:
                pl += (
                    " Porównań nie można łączyć w łańcuch: zamiast „a < b < c” napisz "
                    "„a < b and b < c”."
                )
                en += ' Comparisons do not chain: instead of "a < b < c" write "a < b and b < c".'
        end_column = None if token is None else getattr(token, "end_column", None)
        return RuleSyntaxError(
            pl, en, line=line, column=column, end_column=end_column, source=source
        )
    return RuleSyntaxError(
        f"Błąd składni: {error}", f"Syntax error: {error}", line=None, column=None, source=source
    )


def _end_position(source: str) -> tuple[int, int]:
    """Line and column just after the last non-blank character."""
    stripped = source.rstrip()
    lines = stripped.split("\n")
    return len(lines), len(lines[-1]) + 1
