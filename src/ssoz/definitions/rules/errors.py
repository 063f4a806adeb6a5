"""Errors raised by the rule language.

Every error carries a Polish message for the statistician who wrote the
definition (``message``), an English one (``message_en``), the position in the
expression source (``line``/``column``, 1-based) and two slots the caller may
fill: ``rule_id`` and ``field``. Lark's exceptions never escape the package:
the parser translates them into :class:`RuleSyntaxError`.
"""

from __future__ import annotations


class RuleEngineError(Exception):
    """Base class of every error of the rule language."""

    def __init__(
        self,
        message: str,
        message_en: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        end_column: int | None = None,
        source: str | None = None,
        rule_id: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en if message_en is not None else message
        self.line = line
        self.column = column
        self.end_column = end_column
        self.source = source
        self.rule_id = rule_id
        self.field = field

    def pointer(self) -> str:
        """The offending source line with a caret under the error, or ''."""
        if self.source is None or self.line is None or self.column is None:
            return ""
        lines = self.source.splitlines() or [""]
        if not 1 <= self.line <= len(lines):
            return ""
        text = lines[self.line - 1]
        width = 1
        if self.end_column is not None and self.end_column > self.column:
            width = self.end_column - self.column
        return f"    {text}\n    {' ' * (self.column - 1)}{'^' * width}"

    def __str__(self) -> str:
        where = []
        if self.rule_id:
            where.append(f"reguła „{self.rule_id}”")
        if self.field:
            where.append(f"pole „{self.field}”")
        head = f"[{', '.join(where)}] " if where else ""
        pointer = self.pointer()
        return f"{head}{self.message}" + (f"\n{pointer}" if pointer else "")


class RuleSyntaxError(RuleEngineError):
    """The source text is not a valid expression of the language."""


class RuleTypeError(RuleEngineError):
    """The expression is well formed but does not make sense for the schema."""


class RuleUnknownReferenceError(RuleTypeError):
    """The expression names a field, cell, section, row or column the schema lacks."""


class RuleValueError(RuleEngineError):
    """A value handed to the evaluator has the wrong Python type for its field."""


def at(line: int | None, column: int | None) -> str:
    """Polish position suffix used inside messages: ' (wiersz 1, kolumna 5)'."""
    if line is None or column is None:
        return ""
    return f" (wiersz {line}, kolumna {column})"


def at_en(line: int | None, column: int | None) -> str:
    if line is None or column is None:
        return ""
    return f" (line {line}, column {column})"
