"""Message templates: text with ``{expression}`` placeholders.

``"Suma wierszy 2–9 ({sum(D1.W02:W09.K1)}) nie jest równa wierszowi 1 ({D1.W01.K1})."``

Each placeholder is an expression of the rule language, compiled once against
the schema and rendered with Polish (or English) formatting: decimal comma,
grouped thousands, dates as dd.mm.rrrr, booleans as tak/nie, blank as "—".
``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .checker import Analysis, check
from .compiler import Fn, Mode, compile_analysis
from .errors import RuleEngineError, RuleSyntaxError, at, at_en
from .parser import parse
from .schema import Schema
from .values import Adapter

BLANK_TEXT = "—"
_NBSP = "\u00a0"


def format_decimal(x: Decimal, language: str = "pl") -> str:
    """Decimal to text without float artefacts: ``Decimal('12345.50')`` is
    ``12 345,50`` in Polish (non-breaking space) and ``12,345.50`` in English."""
    if not x.is_finite():
        return str(x)
    if x.is_zero():
        x = abs(x)  # no "-0"
    point = "," if language == "pl" else "."
    if x and not -40 <= x.adjusted() <= 40:
        mantissa, exponent = f"{x:E}".split("E")
        return f"{mantissa.replace('.', point)}E{exponent}"
    text = format(x, "f")
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, fraction = digits.partition(".")
    # Polish typography leaves four-digit numbers ungrouped (1234, but 12 345).
    if language == "pl":
        if len(whole) > 4:
            whole = _group(whole, _NBSP)
    elif len(whole) > 3:
        whole = _group(whole, ",")
    return f"{sign}{whole}{point + fraction if fraction else ''}"


def _group(whole: str, separator: str) -> str:
    head = len(whole) % 3 or 3
    parts = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return separator.join(parts)


def format_value(value: Any, language: str = "pl") -> str:
    """How a value of any type reads in a message."""
    if value is None:
        return BLANK_TEXT
    if value is True:
        return "tak" if language == "pl" else "yes"
    if value is False:
        return "nie" if language == "pl" else "no"
    if isinstance(value, Decimal):
        return format_decimal(value, language)
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y") if language == "pl" else value.isoformat()
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(value)) or BLANK_TEXT
    return str(value)


class CompiledMessage:
    """A compiled template; render it with :meth:`render`."""

    __slots__ = (
        "template",
        "parts",
        "analyses",
        "references",
        "prev_references",
        "uses_period",
        "reads_other",
        "_fns",
    )

    def __init__(self, template: str, parts: tuple[str | Analysis, ...]) -> None:
        self.template = template
        self.parts = parts
        self.analyses = tuple(p for p in parts if isinstance(p, Analysis))
        self.references = frozenset().union(*(a.references for a in self.analyses))
        self.prev_references = frozenset().union(*(a.prev_references for a in self.analyses))
        self.uses_period = any(a.uses_period for a in self.analyses)
        self.reads_other = tuple(dict.fromkeys(x for a in self.analyses for x in a.reads_other))
        self._fns: dict[bool, tuple[str | Fn, ...]] = {}

    def ref_types(self, previous: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for analysis in self.analyses:
            for ref, t in analysis.ref_types.items():
                if ref in (analysis.prev_references if previous else analysis.current_order):
                    out[ref] = t
            if previous:
                out.update(analysis.context_types)
        return out

    def program(self, blank_as_zero: bool) -> tuple[str | Fn, ...]:
        """Parts with each expression compiled; blanks are shown, never skipped."""
        fns = self._fns.get(blank_as_zero)
        if fns is None:
            mode = Mode(blank_as_zero=blank_as_zero)
            fns = tuple(
                part if isinstance(part, str) else compile_analysis(part, mode).fn
                for part in self.parts
            )
            self._fns[blank_as_zero] = fns
        return fns

    def render_filled(
        self, v: dict[str, Any], p: dict[str, Any], language: str, blank_as_zero: bool
    ) -> str:
        """Render from already adapted values (the engine's fast path)."""
        return "".join(
            part if isinstance(part, str) else format_value(part(v, p), language)
            for part in self.program(blank_as_zero)
        )

    def render(
        self,
        values: Mapping[str, Any],
        previous: Mapping[str, Any] | None = None,
        *,
        language: str = "pl",
        blank_as_zero: bool = False,
    ) -> str:
        v = Adapter(self.ref_types())(values)
        p = Adapter(self.ref_types(previous=True), previous=True)(previous)
        return self.render_filled(v, p, language, blank_as_zero)

    def __repr__(self) -> str:
        return f"CompiledMessage({self.template!r})"


def _position(template: str, offset: int) -> tuple[int, int]:
    line = template.count("\n", 0, offset) + 1
    column = offset - (template.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _template_error(
    template: str, offset: int, pl: str, en: str, pl_tail: str = "", en_tail: str = ""
) -> RuleSyntaxError:
    line, column = _position(template, offset)
    return RuleSyntaxError(
        f"{pl}{at(line, column)}." + (f" {pl_tail}" if pl_tail else ""),
        f"{en}{at_en(line, column)}." + (f" {en_tail}" if en_tail else ""),
        line=line,
        column=column,
        source=template,
    )


def compile_message(template: str, schema: Schema) -> CompiledMessage:
    """Compile a message template; errors report positions within the template."""
    if not isinstance(template, str):
        raise RuleSyntaxError("Komunikat musi być tekstem.", "The message must be a string.")
    parts: list[str | Analysis] = []
    text: list[str] = []
    i, n = 0, len(template)
    while i < n:
        ch = template[i]
        if ch == "{" and template.startswith("{{", i):
            text.append("{")
            i += 2
        elif ch == "}" and template.startswith("}}", i):
            text.append("}")
            i += 2
        elif ch == "}":
            raise _template_error(
                template,
                i,
                "Pojedynczy nawias „}” w komunikacie",
                'A lone "}" in the message',
                "Aby wstawić nawias klamrowy, napisz „}}”.",
                'Write "}}" to show a brace.',
            )
        elif ch == "{":
            end = closing_brace(template, i + 1)
            if end is None:
                raise _template_error(
                    template,
                    i,
                    "Niezamknięty nawias „{” w komunikacie",
                    'Unclosed "{" in the message',
                    "Aby wstawić sam nawias klamrowy, napisz „{{”.",
                    'Write "{{" to show a brace.',
                )
            if text:
                parts.append("".join(text))
                text = []
            parts.append(_compile_placeholder(template, i + 1, end, schema))
            i = end + 1
        else:
            text.append(ch)
            i += 1
    if text:
        parts.append("".join(text))
    return CompiledMessage(template, tuple(parts))


def closing_brace(template: str, start: int) -> int | None:
    """Index of the "}" closing a placeholder, skipping braces inside quotes."""
    quote: str | None = None
    i = start
    while i < len(template):
        ch = template[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "}":
            return i
        i += 1
    return None


def _compile_placeholder(template: str, start: int, end: int, schema: Schema) -> Analysis:
    if not template[start:end].strip():
        raise _template_error(
            template,
            start - 1,
            "Puste wyrażenie „{}” w komunikacie",
            'Empty placeholder "{}" in the message',
        )
    # Blank out everything but the placeholder (keeping line breaks) so that
    # positions reported by the parser and the checker are template positions.
    padded = "".join("\n" if c == "\n" else " " for c in template[:start]) + template[start:end]
    try:
        return check(parse(padded), schema, padded)
    except RuleEngineError as error:
        error.message = f"W komunikacie: {error.message}"
        error.message_en = f"In the message: {error.message_en}"
        error.args = (error.message,)
        error.source = template
        raise
