"""What is wrong with a workbook, or with a definition dict to be written as one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook (sheet/row/column) or with a definition dict (path)."""

    message: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def where(self, language: str = "pl") -> str:
        words = (
            ("Arkusz", "wiersz", "kolumna", "klucz")
            if language == "pl"
            else ("Sheet", "row", "column", "key")
        )
        values = (self.sheet, self.row, self.column, self.path)
        return ", ".join(
            f"{word} {value}" for word, value in zip(words, values, strict=True) if value
        )

    def text(self, language: str = "pl") -> str:
        where = self.where(language)
        message = self.message if language == "pl" else self.message_en
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return f"{self.text('pl')} ({self.text('en')})"


class XlsxDefinitionError(ValueError):
    """The workbook (or the dict to be written) cannot be converted; ``problems`` says why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.text("pl") + "\n" + self.text("en"))

    def text(self, language: str = "pl") -> str:
        head = (
            "Nie można przekształcić definicji formularza:"
            if language == "pl"
            else "The form definition cannot be converted:"
        )
        return "\n".join([head, *(f"- {problem.text(language)}" for problem in self.problems)])


class CellError(Exception):
    """A value that a cell cannot have; turned into a Problem by the caller, who knows where."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
