"""The structure of a compiled form: its sections, questions, tables and deadline, as the
pages draw them and the engine reads them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from ..rules import CompiledExpression, Rule, Type, period_values

if TYPE_CHECKING:
    from .converters import Converter
    from .engine import CompiledForm


class FieldType(StrEnum):
    """The type of a question or of a table column (typ pola)."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENTAGE = "percentage"
    MONEY = "money"
    TEXT = "text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    # A person's identifier (numer PESEL): checked with its check digit and date of birth,
    # and shown masked to everyone not allowed to see personal data.
    PESEL = "pesel"


NUMERIC_TYPES = frozenset(
    {FieldType.INTEGER, FieldType.DECIMAL, FieldType.PERCENTAGE, FieldType.MONEY}
)
CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE})

VALUE_TYPES: dict[FieldType, Type] = {
    FieldType.INTEGER: Type.NUMBER,
    FieldType.DECIMAL: Type.NUMBER,
    FieldType.PERCENTAGE: Type.NUMBER,
    FieldType.MONEY: Type.NUMBER,
    FieldType.TEXT: Type.STRING,
    FieldType.LONG_TEXT: Type.STRING,
    FieldType.EMAIL: Type.STRING,
    FieldType.PHONE: Type.STRING,
    FieldType.PESEL: Type.STRING,
    FieldType.SINGLE_CHOICE: Type.CHOICE,
    FieldType.MULTIPLE_CHOICE: Type.MULTI,
    FieldType.YES_NO: Type.BOOLEAN,
    FieldType.DATE: Type.DATE,
}

DEFAULT_PRECISION = 2
DEFAULT_MAX_LENGTH = {FieldType.TEXT: 250, FieldType.LONG_TEXT: 10_000}


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Polish and English; ``str()`` gives the one of the active language."""

    pl: str
    en: str

    def get(self, language: str | None) -> str:
        return self.en if (language or "pl").startswith("en") else self.pl

    def __str__(self) -> str:
        return self.get(get_language())


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer of a choice question (odpowiedź do wyboru)."""

    code: str
    label: Text
    score: Decimal | None = None


@dataclass(eq=False, slots=True)
class Field:
    """A question (pytanie) or a table cell (komórka tabeli): one value of a report."""

    ref: str
    type: FieldType
    label: Text
    section: str
    help: Text | None = None
    unit: Text | None = None
    required: bool = False
    min: Decimal | datetime.date | None = None
    max: Decimal | datetime.date | None = None
    precision: int | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    blocked: bool = False
    computed: bool = False
    calculation: CompiledExpression | None = None
    relevance: CompiledExpression | None = None  # the field's own; its section's is on Section
    row: str | None = None
    column: str | None = None
    line: int | None = None
    converter: Converter | None = field(default=None, repr=False)

    @property
    def value_type(self) -> Type:
        return VALUE_TYPES[self.type]

    @property
    def is_cell(self) -> bool:
        return self.row is not None

    @property
    def is_input(self) -> bool:
        """Filled by a person: neither computed nor in a blocked cell."""
        return not (self.computed or self.blocked)

    def choice(self, code: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.code == code), None)


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a table (wiersz); its label is the wyszczególnienie."""

    code: str
    label: Text
    help: Text | None
    total: tuple[str, ...]  # rows summed into this one
    of_which: str | None  # the parent row of an "of which" (w tym) row
    blocked: frozenset[str]  # columns whose cells must not be filled
    indent: int
    line: int | None
    # What the row shows in place of its code, such as the balance sheet's A.I.1 (numer
    # wiersza); references still use the code (W05).
    number: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table (kolumna, rubryka)."""

    code: str
    label: Text
    help: Text | None
    unit: Text | None
    type: FieldType
    total: tuple[str, ...]
    of_which: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class Table:
    """The table of a section: rows × columns of cells addressed D1.W01.K1."""

    section: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    cells: Mapping[tuple[str, str], Field]

    def cell(self, row: str, column: str) -> Field:
        return self.cells[row, column]

    @property
    def grid(self) -> list[tuple[Row, list[Field]]]:
        """Rows with their cells in column order, as a page draws them."""
        return [(row, [self.cells[row.code, c.code] for c in self.columns]) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Section:
    """A section of a form (dział): questions, then at most one table, then its rules."""

    code: str
    title: Text
    help: Text | None
    relevance: CompiledExpression | None
    fields: tuple[Field, ...]
    table: Table | None
    rules: tuple[Rule, ...]
    line: int | None

    @property
    def refs(self) -> tuple[str, ...]:
        cells = tuple(cell.ref for cell in self.table.cells.values()) if self.table else ()
        return tuple(f.ref for f in self.fields) + cells


@dataclass(frozen=True, slots=True)
class Records:
    """The repeating records of a report (rekordy; the cards, karty, of MZ/Szp-11B): a report
    holds any number of them up to ``max``, each a small form of its own (``form``) with its
    own rules. ``name`` is what one record is called („Karta”), ``title`` the list's heading,
    ``summary`` the fields the list shows of each."""

    name: Text
    title: Text
    help: Text | None
    summary: tuple[str, ...]
    max: int
    form: CompiledForm


@dataclass(frozen=True, slots=True)
class Period:
    """The reporting period of a report (okres sprawozdawczy): its first and last day and its
    deadline, as rules read them with period_start(), period_end() and deadline(). A date left
    out is blank, and so is whatever depends on it."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    deadline: datetime.date | None = None

    def values(self) -> dict[str, datetime.date]:
        """The dates as the rule engine takes them, beside the previous period's values."""
        return period_values(self.start, self.end, self.deadline)


@dataclass(frozen=True, slots=True)
class Read:
    """Another form of the same entity and period whose last sent version the rules read
    (``reads:``), under the name ``alias`` that ``other(alias, ref)`` uses."""

    form: str
    alias: str
    cells: tuple[tuple[str, FieldType], ...]  # (ref, type), in the definition's order
    before_sending: bool = False  # this report cannot be sent until that one has been

    def types(self) -> dict[str, Type]:
        return {ref: VALUE_TYPES[kind] for ref, kind in self.cells}


@dataclass(frozen=True, slots=True)
class OtherReports:
    """The reports of other forms of the same entity and period, as the rules that read them
    (``reads:``) see them: by form code, the stored values of each one's last sent version
    (``{}`` for a zero report); a form absent from ``sent`` has not been sent. ``period`` is
    the period's name for the messages („2025”, „2025 Q1”)."""

    period: str
    sent: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Deadline:
    """When reports are due (termin): a fixed date, a day of a later year, or days after the
    end of the period."""

    date: datetime.date | None = None
    month: int | None = None
    day: int | None = None
    years_after_period: int = 1
    days_after_period_end: int | None = None

    def due(self, year: int, quarter: int | None = None, month: int | None = None) -> datetime.date:
        """The deadline for the report of ``year`` (and ``quarter`` or ``month``, for quarterly
        and monthly forms)."""
        if self.date is not None:
            return self.date
        if self.days_after_period_end is not None:
            if quarter or month:
                end_month = quarter * 3 if quarter else month
                first_of_next = (
                    datetime.date(year + 1, 1, 1)
                    if end_month == 12
                    else datetime.date(year, end_month + 1, 1)
                )
            else:
                first_of_next = datetime.date(year + 1, 1, 1)
            return first_of_next + datetime.timedelta(days=self.days_after_period_end - 1)
        assert self.month is not None and self.day is not None
        return datetime.date(year + self.years_after_period, self.month, self.day)
