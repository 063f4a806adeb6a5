"""A form definition compiled for use: its structure for the pages, and one engine for values.

:func:`compile_definition` turns checked definition data (see :mod:`ssoz.definitions.loader`)
into a :class:`CompiledForm`: every field and table cell with its type, every relevance
condition, calculation, generated total and rule compiled by the rule language, and the order
in which computed fields and conditions are worked out. Every problem — unknown references,
type mismatches, syntax errors, repeated codes, totals over missing rows, blocked cells used
in expressions, cycles — is collected with its line and item and raised together.

:meth:`CompiledForm.check` is the one engine behind saving, „Weryfikuj bez wysyłania”,
„Wyślij”, the API and bulk re-validation. Compiling is slow and checking is fast, so compiled
forms are cached per (code, version, checksum): see :func:`cached_form`.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language

from ssoz.lib.polish import plural

from .loader import (
    Definition,
    DefinitionError,
    DefinitionProblem,
    ItemPath,
    describe_item,
    locations_of,
    validate_definition,
)
from .rules import (
    CompiledExpression,
    MissingValues,
    Rule,
    RuleEngineError,
    RuleResult,
    RuleSet,
    Schema,
    Severity,
    Status,
    TableLayout,
    Type,
    compile_expression,
    compile_message,
    compile_rule,
    evaluate_rules,
    format_decimal,
)
from .rules.nodes import Ref, walk

Stage = Literal["save", "verify"]


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
    FieldType.SINGLE_CHOICE: Type.CHOICE,
    FieldType.MULTIPLE_CHOICE: Type.MULTI,
    FieldType.YES_NO: Type.BOOLEAN,
    FieldType.DATE: Type.DATE,
}

DEFAULT_PRECISION = 2
DEFAULT_MAX_LENGTH = {FieldType.TEXT: 250, FieldType.LONG_TEXT: 10_000}
# Decimal arithmetic keeps 28 significant digits: 15 before the point leaves room for sums of
# thousands of cells and for decimals, and is more than any figure in health statistics.
MAX_INTEGER_DIGITS = 15
KEYWORDS = frozenset({"if", "then", "else", "and", "or", "not", "true", "false", "blank"})


# ---------------------------------------------------------------------------------------------
# The structure


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


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one value, for the person who typed it."""

    code: str
    message_pl: str
    message_en: str

    def message(self, language: str | None = None) -> str:
        english = (language or get_language() or "pl").startswith("en")
        return self.message_en if english else self.message_pl

    def __str__(self) -> str:
        return self.message()


Converter = Callable[[Any], tuple[Any, Problem | None]]


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
class Deadline:
    """When reports are due (termin): a fixed date, a day of a later year, or days after the
    end of the period."""

    date: datetime.date | None = None
    month: int | None = None
    day: int | None = None
    years_after_period: int = 1
    days_after_period_end: int | None = None

    def due(self, year: int, quarter: int | None = None) -> datetime.date:
        """The deadline for the report of ``year`` (and ``quarter``, for quarterly forms)."""
        if self.date is not None:
            return self.date
        if self.days_after_period_end is not None:
            if quarter:
                end_month = quarter * 3
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


# ---------------------------------------------------------------------------------------------
# The engine's result


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to show the reporter: a problem with a value or a failed rule."""

    severity: Severity
    fields: tuple[str, ...]
    message_pl: str
    message_en: str
    rule_id: str | None = None  # None for a problem with a single value
    code: str | None = None  # the problem code (not_a_number, required, …) for values

    def message(self, language: str | None = None) -> str:
        english = (language or get_language() or "pl").startswith("en")
        return self.message_en if english else self.message_pl


@dataclass(slots=True)
class CheckResult:
    """What :meth:`CompiledForm.check` found.

    ``values`` holds the typed values of relevant fields, computed ones included; a blank
    field is absent. ``field_problems`` lists, per field, what is wrong with what was typed.
    ``rule_results`` holds the failed and the skipped rules (passed ones are only counted in
    ``rules_passed``); rules run at stage "verify" only. ``irrelevant`` names the fields whose
    relevance condition (or whose section's) does not hold: they are ignored and can be hidden.
    """

    stage: Stage
    values: dict[str, Any]
    field_problems: dict[str, list[Problem]]
    rule_results: list[RuleResult]
    irrelevant: frozenset[str]
    rules_passed: int = 0

    def _failed(self, severity: Severity) -> list[Finding]:
        return [
            Finding(r.severity, r.fields, r.message_pl or "", r.message_en or "", rule_id=r.rule_id)
            for r in self.rule_results
            if r.status == Status.FAILED and r.severity == severity
        ]

    @property
    def errors(self) -> list[Finding]:
        """Problems with values, then failed rules of severity "error": these block sending."""
        found = [
            Finding(Severity.ERROR, (ref,), p.message_pl, p.message_en, code=p.code)
            for ref, problems in self.field_problems.items()
            for p in problems
        ]
        return found + self._failed(Severity.ERROR)

    @property
    def warnings(self) -> list[Finding]:
        return self._failed(Severity.WARNING)

    @property
    def infos(self) -> list[Finding]:
        return self._failed(Severity.INFO)

    @property
    def is_sendable(self) -> bool:
        """Verified and free of errors (warnings allowed: the reports layer asks for their
        explanation). Always False at stage "save", where rules are not run."""
        if self.stage != "verify" or self.field_problems:
            return False
        return not any(
            r.status == Status.FAILED and r.severity == Severity.ERROR for r in self.rule_results
        )


# ---------------------------------------------------------------------------------------------
# Turning typed text into values

_BLANK: tuple[None, None] = (None, None)


def _problem(code: str, pl: str, en: str) -> tuple[None, Problem]:
    return None, Problem(code, pl, en)


INVALID = _problem("invalid", "Nieprawidłowa wartość.", "Invalid value.")
SEVERAL_VALUES = _problem(
    "several_values",
    "Podano kilka wartości; to pole przyjmuje jedną.",
    "Several values were given; this field takes one.",
)
NOT_A_NUMBER = _problem(
    "not_a_number",
    "To nie jest liczba. Wpisz same cyfry, np. 1234 albo 12,5.",
    "This is not a number. Type digits only, e.g. 1234 or 12.5.",
)
TOO_LARGE = _problem(
    "too_large",
    f"Liczba jest za duża (najwyżej {MAX_INTEGER_DIGITS} cyfr przed przecinkiem).",
    f"The number is too large (at most {MAX_INTEGER_DIGITS} digits before the decimal point).",
)
NOT_WHOLE = _problem(
    "not_whole",
    "Wpisz liczbę całkowitą, bez części ułamkowej.",
    "Enter a whole number, without a fractional part.",
)
NOT_WHOLE_MONEY = _problem(
    "not_whole",
    "Wpisz kwotę w pełnych złotych, bez groszy.",
    "Enter the amount in full złoty, without grosze.",
)
INVALID_DATE = _problem(
    "invalid_date",
    "Wpisz datę w postaci RRRR-MM-DD, np. 2025-12-31.",
    "Enter a date as YYYY-MM-DD, e.g. 2025-12-31.",
)
INVALID_EMAIL = _problem(
    "invalid_email",
    "Wpisz poprawny adres e-mail, np. sekretariat@szpital.pl.",
    "Enter a valid e-mail address, e.g. office@hospital.pl.",
)
INVALID_PHONE = _problem(
    "invalid_phone",
    "Wpisz numer telefonu (9–15 cyfr), np. 22 123 45 67 albo +48 600 123 456.",
    "Enter a phone number (9–15 digits), e.g. 22 123 45 67 or +48 600 123 456.",
)
INVALID_YES_NO = _problem("invalid_yes_no", "Wybierz „tak” albo „nie”.", 'Choose "yes" or "no".')
UNKNOWN_OPTION = _problem(
    "unknown_option",
    "Wybierz jedną z podanych odpowiedzi.",
    "Choose one of the given answers.",
)
INVALID_CHARACTERS = _problem(
    "invalid_characters",
    "Tekst zawiera niedozwolone znaki (np. znaki sterujące).",
    "The text contains characters that are not allowed (such as control characters).",
)
REQUIRED = Problem("required", "Wypełnij to pole.", "This field is required.")
BLOCKED = Problem(
    "blocked",
    "Tej komórki się nie wypełnia (jest przekreślona).",
    "This cell is not to be filled (it is crossed out).",
)

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\t"), None)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DATE_PL = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
# C0 controls other than tab and line breaks, DEL, and lone surrogates (which cannot be stored).
_CONTROL_LONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_TRUE = frozenset({"tak", "t", "true", "1", "yes", "y", "prawda"})
_FALSE = frozenset({"nie", "n", "false", "0", "no", "fałsz", "falsz"})
_ONE = Decimal(1)
_ZERO = Decimal(0)
# Anything longer cannot be a number, a date, a phone or an option code; such input is turned
# down before any parsing, whatever its size.
_SHORT = 100


def _as_text(raw: Any) -> str | None | tuple[None, Problem]:
    """What was typed, as text; None when blank; a problem for values of no sensible kind.

    The web form sends text, the API may send JSON numbers and booleans, and ``getlist`` gives
    one-element lists: all are accepted.
    """
    if type(raw) is str:
        return raw
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "tak" if raw else "nie"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, Decimal):
        return format(raw, "f") if raw.is_finite() else INVALID
    if isinstance(raw, float):
        return repr(raw) if raw == raw and raw not in (float("inf"), float("-inf")) else INVALID
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw.isoformat()
    if isinstance(raw, str):
        return str(raw)
    if isinstance(raw, list | tuple):
        if not raw:
            return None
        if len(raw) == 1 and not isinstance(raw[0], list | tuple):
            return _as_text(raw[0])
        return SEVERAL_VALUES
    return INVALID


def _bounds_problems(
    minimum: Any, maximum: Any, shown: Callable[[Any], tuple[str, str]]
) -> tuple[tuple[None, Problem] | None, tuple[None, Problem] | None]:
    below = above = None
    if minimum is not None:
        pl, en = shown(minimum)
        below = _problem(
            "below_min",
            f"Wartość nie może być mniejsza niż {pl}.",
            f"The value cannot be less than {en}.",
        )
    if maximum is not None:
        pl, en = shown(maximum)
        above = _problem(
            "above_max",
            f"Wartość nie może być większa niż {pl}.",
            f"The value cannot be greater than {en}.",
        )
    return below, above


def number_converter(
    kind: FieldType, precision: int | None, minimum: Decimal | None, maximum: Decimal | None
) -> Converter:
    """Polish-style numbers: decimal comma (or point), spaces between thousands, a trailing
    "%" for percentages and "zł" for money."""
    whole = kind in (FieldType.INTEGER, FieldType.MONEY)
    not_whole = NOT_WHOLE_MONEY if kind == FieldType.MONEY else NOT_WHOLE
    below, above = _bounds_problems(
        minimum, maximum, lambda x: (format_decimal(x, "pl"), format_decimal(x, "en"))
    )
    too_precise = None
    if precision is not None and not whole:
        word = plural(precision, "cyfrę", "cyfry", "cyfr")
        too_precise = _problem(
            "too_many_decimals",
            f"Wpisz najwyżej {precision} {word} po przecinku.",
            f"Enter at most {precision} digit{'s' if precision != 1 else ''} after the decimal "
            "point.",
        )

    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if len(text) <= MAX_INTEGER_DIGITS and text.isdigit() and text.isascii():
            value = Decimal(text)  # the common case: plain digits
        else:
            if len(text) > _SHORT:
                return NOT_A_NUMBER
            text = text.translate(_SPACES)
            if not text:
                return _BLANK
            lowered = text.lower()
            if kind == FieldType.PERCENTAGE:
                lowered = lowered.removesuffix("%")
            elif kind == FieldType.MONEY:
                lowered = lowered.removesuffix("zł").removesuffix("pln")
            if not _NUMBER.fullmatch(lowered):
                return NOT_A_NUMBER
            integer_part = re.split(r"[.,]", lowered.lstrip("+-"), maxsplit=1)[0].lstrip("0")
            if len(integer_part) > MAX_INTEGER_DIGITS:
                return TOO_LARGE
            value = Decimal(lowered.replace(",", "."))
            if whole:
                if value != value.to_integral_value():
                    return not_whole
                value = value.to_integral_value()
            elif too_precise is not None:
                exponent = value.normalize().as_tuple().exponent
                if isinstance(exponent, int) and -exponent > precision:  # type: ignore[operator]
                    return too_precise
            if not value:
                value = _ZERO  # no "-0"
        if below is not None and value < minimum:  # type: ignore[operator]
            return below
        if above is not None and value > maximum:  # type: ignore[operator]
            return above
        return value, None

    return convert


def text_converter(max_length: int, *, multiline: bool) -> Converter:
    control = _CONTROL_LONG if multiline else _CONTROL_LINE

    def too_long(length: int) -> tuple[None, Problem]:
        return _problem(
            "too_long",
            f"Tekst jest za długi: {length} znaków, a można najwyżej {max_length}.",
            f"The text is too long: {length} characters, at most {max_length} allowed.",
        )

    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        # Refuse huge input before touching it; surrounding spaces cannot excuse that much.
        if len(text) > 2 * max_length + 100:
            return too_long(len(text))
        text = text.strip()
        if not text:
            return _BLANK
        if len(text) > max_length:
            return too_long(len(text))
        if control.search(text):
            return INVALID_CHARACTERS
        return text, None

    return convert


def email_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if len(text) > 400:
            return INVALID_EMAIL
        text = text.strip()
        if not text:
            return _BLANK
        try:
            validate_email(text)
        except ValidationError:
            return INVALID_EMAIL
        return text, None

    return convert


def phone_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if len(text) > _SHORT:
            return INVALID_PHONE
        text = " ".join(text.split())
        if not text:
            return _BLANK
        digits = sum(c.isdigit() for c in text)
        if not _PHONE.fullmatch(text) or not 9 <= digits <= 15:
            return INVALID_PHONE
        return text, None

    return convert


def _date_text(value: datetime.date) -> tuple[str, str]:
    return value.strftime("%d.%m.%Y"), value.isoformat()


def date_converter(minimum: datetime.date | None, maximum: datetime.date | None) -> Converter:
    below, above = _bounds_problems(minimum, maximum, _date_text)

    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if len(text) > _SHORT:
            return INVALID_DATE
        text = text.strip()
        if not text:
            return _BLANK
        if match := _DATE_ISO.fullmatch(text):
            year, month, day = match.groups()
        elif match := _DATE_PL.fullmatch(text):
            day, month, year = match.groups()
        else:
            return INVALID_DATE
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            return INVALID_DATE
        if below is not None and value < minimum:  # type: ignore[operator]
            return below
        if above is not None and value > maximum:  # type: ignore[operator]
            return above
        return value, None

    return convert


def yes_no_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        if raw is True or raw is False:
            return raw, None
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if len(text) > _SHORT:
            return INVALID_YES_NO
        word = text.strip().lower()
        if not word:
            return _BLANK
        if word in _TRUE:
            return True, None
        if word in _FALSE:
            return False, None
        return INVALID_YES_NO

    return convert


def single_choice_converter(codes: frozenset[str]) -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
        if text is None:
            return _BLANK
        if type(text) is tuple:
            return text
        if text in codes:
            return text, None
        if len(text) > _SHORT:
            return UNKNOWN_OPTION
        text = text.strip()
        if not text:
            return _BLANK
        return (text, None) if text in codes else UNKNOWN_OPTION

    return convert


MAX_CHOSEN = 500


def multiple_choice_converter(codes: frozenset[str]) -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        if raw is None:
            return _BLANK
        if isinstance(raw, str):
            if len(raw) > MAX_CHOSEN * 10:
                return UNKNOWN_OPTION
            items: Iterable[Any] = raw.split(",")
        elif isinstance(raw, list | tuple | set | frozenset):
            if len(raw) > MAX_CHOSEN:
                return UNKNOWN_OPTION
            items = raw
        else:
            return INVALID
        chosen: set[str] = set()
        for item in items:
            if not isinstance(item, str) or len(item) > _SHORT:
                return UNKNOWN_OPTION
            item = item.strip()
            if not item:
                continue
            if item not in codes:
                return UNKNOWN_OPTION
            chosen.add(item)
        return (frozenset(chosen), None) if chosen else _BLANK

    return convert


def converter_for(spec: Field) -> Converter:
    kind = spec.type
    if kind in NUMERIC_TYPES:
        return number_converter(kind, spec.precision, spec.min, spec.max)  # type: ignore[arg-type]
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return text_converter(
            spec.max_length or DEFAULT_MAX_LENGTH[kind], multiline=kind == FieldType.LONG_TEXT
        )
    if kind == FieldType.EMAIL:
        return email_converter()
    if kind == FieldType.PHONE:
        return phone_converter()
    if kind == FieldType.DATE:
        return date_converter(spec.min, spec.max)  # type: ignore[arg-type]
    if kind == FieldType.YES_NO:
        return yes_no_converter()
    codes = frozenset(choice.code for choice in spec.choices)
    if kind == FieldType.SINGLE_CHOICE:
        return single_choice_converter(codes)
    return multiple_choice_converter(codes)


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip() if len(raw) < 1000 else False
    if isinstance(raw, list | tuple | set | frozenset):
        return all(_is_blank(item) for item in raw) if len(raw) < 100 else False
    return False


_PYTHON_TYPES: dict[Type, type | tuple[type, ...]] = {
    Type.NUMBER: Decimal,
    Type.STRING: str,
    Type.CHOICE: str,
    Type.MULTI: frozenset,
    Type.BOOLEAN: bool,
    Type.DATE: datetime.date,
}


def _fits(value_type: Type, value: Any) -> bool:
    """Whether a value from the previous period can be handed to the rule engine."""
    if not isinstance(value, _PYTHON_TYPES[value_type]):
        return False
    if value_type == Type.NUMBER:
        return value.is_finite()
    if value_type == Type.DATE:
        return not isinstance(value, datetime.datetime)
    if value_type == Type.MULTI:
        return bool(value) and all(isinstance(item, str) for item in value)
    if value_type in (Type.STRING, Type.CHOICE):
        return bool(value)
    return True


# ---------------------------------------------------------------------------------------------
# The compiled form

_SECTION, _RELEVANCE, _TOTAL, _CALC = range(4)
_RELEVANCE_MISSING = MissingValues.SKIP_IF_ANY_BLANK
# A calculation sees blanks as blanks: sum() leaves them out, 1 + blank is blank.
_CALCULATION_MISSING = MissingValues.SKIP_IF_ALL_BLANK


class CompiledForm:
    """A form version (wersja formularza) ready for the pages and the engine."""

    def __init__(
        self,
        *,
        code: str,
        version: str,
        title: Text,
        kind: str,
        period: str,
        levels: tuple[str, ...],
        entity_types: tuple[str, ...] | None,
        accounts: tuple[str, ...],
        deadline: Deadline | None,
        header: tuple[str, ...],
        intro: Text | None,
        footer: Text | None,
        sections: tuple[Section, ...],
        rules: tuple[Rule, ...],
        rule_sections: tuple[str | None, ...],
        schema: Schema,
        fields: dict[str, Field],
        plan: list[tuple[Any, ...]],
        computed_order: tuple[str, ...],
        uses_previous: bool,
    ) -> None:
        self.code = code
        self.version = version
        self.title = title
        self.kind = kind
        self.period = period
        self.levels = levels
        self.entity_types = entity_types  # None: every entity type
        self.accounts = accounts
        self.deadline = deadline
        self.header = header
        self.intro = intro
        self.footer = footer
        self.sections = sections
        self.rules = rules  # every rule: generated "of which" rules, section rules, form rules
        self.schema = schema
        self.computed_order = computed_order
        self._fields = fields
        self._plan = plan
        self._rule_sections = rule_sections
        self._rule_set = RuleSet(rules)
        self.refs: tuple[str, ...] = tuple(ref for ref, f in fields.items() if f.is_input)
        self._converters: dict[str, Converter] = {
            ref: f.converter for ref, f in fields.items() if f.is_input and f.converter
        }
        self._required: tuple[str, ...] = tuple(
            ref for ref, f in fields.items() if f.is_input and f.required
        )
        self._uses_previous = uses_previous

    def __repr__(self) -> str:
        return f"CompiledForm({self.code!r}, {self.version!r}, {len(self._fields)} fields)"

    @property
    def fields(self) -> Mapping[str, Field]:
        """Every field and cell by ref, in form order, computed and blocked ones included."""
        return self._fields

    def field(self, ref: str) -> Field:
        """The field or cell ``ref``; raises KeyError for an unknown ref."""
        return self._fields[ref]

    def section(self, code: str) -> Section:
        return next(section for section in self.sections if section.code == code)

    # -- the engine ---------------------------------------------------------------------------

    def check(
        self,
        raw: Mapping[str, Any],
        previous: Mapping[str, object] | None = None,
        *,
        stage: Stage,
    ) -> CheckResult:
        """Convert what was typed, work out relevance and computed fields, and (at stage
        "verify") run the rules of relevant sections.

        ``raw`` maps refs to what a person typed (text; a list for multiple choice); blanks
        may be left out. ``previous`` holds the typed values of the approved report for the
        previous period (for ``prev()``). Never raises for bad input: everything odd becomes a
        :class:`Problem`.
        """
        if stage not in ("save", "verify"):
            raise ValueError(f'stage must be "save" or "verify", not {stage!r}')
        values: dict[str, Any] = {}
        problems: dict[str, list[Problem]] = {}
        converters = self._converters
        for key, typed in raw.items():
            convert = converters.get(key)
            if convert is None:
                self._stray(key, typed, problems)
                continue
            value, problem = convert(typed)
            if problem is not None:
                problems[key] = [problem]
            elif value is not None:
                values[key] = value
        past = self._previous(previous)
        irrelevant, skipped_sections = self._work_out(values, past, problems)
        if irrelevant:
            for ref in irrelevant.intersection(problems):
                del problems[ref]
        rule_results: list[RuleResult] = []
        passed = 0
        if stage == "verify":
            for ref in self._required:
                if ref not in values and ref not in problems and ref not in irrelevant:
                    problems[ref] = [REQUIRED]
            results = self._run_rules(values, past, skipped_sections)
            rule_results = [r for r in results if r.status != Status.PASSED]
            passed = len(results) - len(rule_results)
        return CheckResult(
            stage=stage,
            values=values,
            field_problems=problems,
            rule_results=rule_results,
            irrelevant=frozenset(irrelevant),
            rules_passed=passed,
        )

    def _stray(self, key: Any, typed: Any, problems: dict[str, list[Problem]]) -> None:
        """A value for a computed field (ignored: the engine computes it), a blocked cell or
        a ref the form does not have."""
        known = self._fields.get(key) if isinstance(key, str) else None
        if known is not None:
            if known.blocked and not _is_blank(typed):
                problems[key] = [BLOCKED]
            return
        name = str(key)
        shown = name if len(name) <= 60 else name[:59] + "…"
        problems[name[:200]] = [
            Problem(
                "unknown_field",
                f"Formularz nie ma pola „{shown}”.",
                f'The form has no field "{shown}".',
            )
        ]

    def _previous(self, previous: Mapping[str, object] | None) -> dict[str, Any]:
        """The previous period's values the rule engine can take; anything else is blank."""
        if not previous or not self._uses_previous:
            return {}
        fields = self._fields
        out: dict[str, Any] = {}
        for ref, value in previous.items():
            spec = fields.get(ref) if isinstance(ref, str) else None
            if spec is not None and value is not None and _fits(spec.value_type, value):
                out[ref] = value
        return out

    def _work_out(
        self, values: dict[str, Any], past: dict[str, Any], problems: dict[str, list[Problem]]
    ) -> tuple[set[str], set[str]]:
        """Relevance and computed fields, in dependency order (see ``computed_order``)."""
        irrelevant: set[str] = set()
        skipped_sections: set[str] = set()
        for step in self._plan:
            kind = step[0]
            if kind == _TOTAL:
                ref = step[1]
                if ref in irrelevant:
                    continue
                total = None
                for part in step[2]:
                    x = values.get(part)
                    if x is not None:
                        total = x if total is None else total + x
                if total is not None:
                    values[ref] = total
            elif kind == _SECTION:
                if not _holds(step[2], values, past):
                    skipped_sections.add(step[1])
                    irrelevant.update(step[3])
                    for ref in step[3]:
                        values.pop(ref, None)
            elif kind == _RELEVANCE:
                ref = step[1]
                if ref not in irrelevant and not _holds(step[2], values, past):
                    irrelevant.add(ref)
                    values.pop(ref, None)
            else:
                ref = step[1]
                if ref in irrelevant:
                    continue
                try:
                    value = step[2](values, past)
                    if isinstance(value, Decimal):
                        value = value.quantize(step[3], ROUND_HALF_UP) if step[3] else value
                        if not value.is_finite():
                            value = None
                except (ArithmeticError, RuleEngineError) as error:
                    detail = getattr(error, "message", None) or type(error).__name__
                    detail_en = getattr(error, "message_en", None) or type(error).__name__
                    problems[ref] = [
                        Problem(
                            "calculation_failed",
                            f"Nie udało się obliczyć wartości: {detail}",
                            f"The value could not be computed: {detail_en}",
                        )
                    ]
                    continue
                if value is not None and value != "" and value != frozenset():
                    values[ref] = value
        return irrelevant, skipped_sections

    def _run_rules(
        self, values: dict[str, Any], past: dict[str, Any], skipped_sections: set[str]
    ) -> list[RuleResult]:
        if not skipped_sections:
            rules: Sequence[Rule] = self.rules
            skipped: list[RuleResult] = []
        else:
            rules = []
            skipped = []
            for rule, section in zip(self.rules, self._rule_sections, strict=True):
                if section in skipped_sections:
                    skipped.append(rule.skipped)
                else:
                    rules.append(rule)
        try:
            if skipped_sections:
                results = evaluate_rules(tuple(rules), values, past)
            else:
                results = self._rule_set.evaluate(values, past)
        except RuleEngineError:
            # One rule went out of range (absurd values): check them one by one so that the
            # others still report, and say which one could not be checked.
            results = [_check_one(rule, values, past) for rule in rules]
        return results + skipped


def _holds(run: Callable[[dict[str, Any], dict[str, Any]], Any], v: dict, p: dict) -> bool:
    try:
        return run(v, p) is True
    except (ArithmeticError, RuleEngineError):
        return True  # when in doubt, show the field and check it


def _check_one(rule: Rule, values: Mapping[str, Any], past: Mapping[str, Any]) -> RuleResult:
    try:
        return rule.check(values, past)
    except RuleEngineError as error:
        return RuleResult(
            rule.rule_id,
            rule.severity,
            Status.FAILED,
            rule.fields,
            f"Nie udało się sprawdzić reguły: {error.message}",
            f"The rule could not be checked: {error.message_en}",
        )


# ---------------------------------------------------------------------------------------------
# Compiling

_CACHE_SIZE = 64
_cache: OrderedDict[tuple[str, str, str], CompiledForm] = OrderedDict()
_cache_lock = threading.Lock()


def cached_form(
    key: tuple[str, str, str], data: Mapping[str, Any], *, filename: str
) -> CompiledForm:
    """The compiled form for (code, version, checksum), compiled at most once per process
    (barring eviction of the least recently used of many forms)."""
    with _cache_lock:
        form = _cache.get(key)
        if form is not None:
            _cache.move_to_end(key)
            return form
    # Compiled outside the lock: two threads may both compile once, but no request waits on
    # another form's compilation.
    form = compile_definition(data, filename=filename)
    remember_form(key, form)
    return form


def remember_form(key: tuple[str, str, str], form: CompiledForm) -> None:
    """Put a form compiled elsewhere (e.g. while loading its file) into the cache."""
    with _cache_lock:
        _cache[key] = form
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def compile_definition(data: Mapping[str, Any], *, filename: str) -> CompiledForm:
    """Compile definition data: a :class:`Definition` from :func:`parse_definition` (whose
    lines the problems then give), or plain data such as a stored version's JSON, which is
    checked against the schema first. Raises :class:`DefinitionError` with every problem."""
    if not isinstance(data, Definition):
        data = validate_definition(data, filename=filename)
    return _Compiler(data, filename).run()


def _text(value: Any) -> Text | None:
    if not isinstance(value, Mapping):
        return None
    return Text(str(value.get("pl", "")), str(value.get("en", "")))


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    # str() of a float is its shortest form: 0.1 stays 0.1, not 0.1000000000000000055…
    return Decimal(str(value))


_CELL_LIKE = re.compile(r"[^.]+\.W[^.]*\.K[^.]*")


class _Compiler:
    def __init__(self, data: Mapping[str, Any], filename: str) -> None:
        self.data = data
        self.filename = filename
        self.locations = locations_of(data)
        self.problems: list[DefinitionProblem] = []
        self.fields: dict[str, Field] = {}
        self.field_paths: dict[str, ItemPath] = {}
        self.items: dict[str, str] = {}  # node -> item name for problems
        self.blocked: set[str] = set()
        # ref -> (origin, parts): how each generated total is summed.
        self.totals: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.total_paths: dict[tuple[str, ...], ItemPath] = {}  # origin -> its "total" key
        self.rules: list[Rule] = []
        self.rule_sections: list[str | None] = []
        self.rule_ids: dict[str, ItemPath] = {}

    # -- problems -----------------------------------------------------------------------------

    def problem(
        self,
        path: ItemPath,
        pl: str,
        en: str,
        *,
        key: bool = False,
        item: str | None = None,
        line: int | None = None,
    ) -> None:
        if line is None:
            line = self.locations.key_line(path) if key else self.locations.line(path)
        self.problems.append(
            DefinitionProblem(self.filename, line, item or describe_item(self.data, path), pl, en)
        )

    def expression_problem(
        self, path: ItemPath, error: RuleEngineError, item: str | None = None
    ) -> None:
        self.problem(
            path,
            error.message,
            error.message_en,
            item=item,
            line=self.locations.expression_line(path, error.line),
        )

    def compile(
        self, path: ItemPath, source: str, schema: Schema, expect: Type, item: str | None = None
    ) -> CompiledExpression | None:
        try:
            expression = compile_expression(source, schema, expect=expect)
        except RuleEngineError as error:
            self.expression_problem(path, error, item)
            return None
        self.check_blocked(path, expression, item)
        return expression

    def check_blocked(
        self, path: ItemPath, expression: CompiledExpression, item: str | None = None
    ) -> None:
        # Ranges may pass over blocked cells (they are simply blank); naming one is a mistake.
        for node in walk(expression.ast):
            if isinstance(node, Ref) and node.name in self.blocked:
                line = self.locations.expression_line(
                    path, node.pos.line if node.pos is not None else None
                )
                self.problem(
                    path,
                    f"Wyrażenie używa komórki „{node.name}”, która jest przekreślona (blocked) "
                    "i nigdy nie ma wartości.",
                    f'The expression uses the cell "{node.name}", which is blocked and never '
                    "has a value.",
                    item=item,
                    line=line,
                )

    # -- the whole ----------------------------------------------------------------------------

    def run(self) -> CompiledForm:
        data = self.data
        sections_data = list(data.get("sections") or [])
        layouts: dict[str, TableLayout] = {}
        drafts: list[dict[str, Any]] = []
        section_codes: dict[str, ItemPath] = {}
        for i, section in enumerate(sections_data):
            path: ItemPath = ("sections", i)
            code = str(section["code"])
            if code in section_codes:
                self.problem(
                    (*path, "code"),
                    f"Kod działu „{code}” powtarza się (pierwszy raz w wierszu "
                    f"{self.locations.line(section_codes[code])}).",
                    f'The section code "{code}" is repeated (first on line '
                    f"{self.locations.line(section_codes[code])}).",
                )
                continue
            section_codes[code] = path
            drafts.append(self.section_structure(section, path, layouts))
        for draft in drafts:
            for spec in draft["fields"]:
                self.check_field_code(spec, layouts)
        schema = self.build_schema(layouts)
        if schema is None:
            raise DefinitionError(self.problems)
        sections = [self.section_expressions(draft, schema) for draft in drafts]
        self.compile_rules(data.get("rules") or [], ("rules",), None, schema)
        plan, order = self.order(sections)
        if self.problems:
            raise DefinitionError(self.problems)
        built_sections = tuple(
            Section(
                code=draft["code"],
                title=draft["title"],
                help=draft["help"],
                relevance=draft["relevance"],
                fields=tuple(draft["fields"]),
                table=draft["table"],
                rules=tuple(draft["rules"]),
                line=draft["line"],
            )
            for draft in sections
        )
        for spec in self.fields.values():
            if spec.is_input:
                spec.converter = converter_for(spec)
        return CompiledForm(
            code=str(data["code"]),
            version=str(data["version"]),
            title=_text(data["title"]) or Text("", ""),
            kind=str(data["kind"]),
            period=str(data.get("period") or "year"),
            levels=tuple(data["levels"]),
            entity_types=tuple(data["entity_types"]) if data.get("entity_types") else None,
            accounts=tuple(data.get("accounts") or ("non_financial",)),
            deadline=self.deadline(data.get("deadline")),
            header=tuple(data.get("header") or ()),
            intro=_text(data.get("intro")),
            footer=_text(data.get("footer")),
            sections=built_sections,
            rules=tuple(self.rules),
            rule_sections=tuple(self.rule_sections),
            schema=schema,
            fields=self.fields,
            plan=plan,
            computed_order=order,
            uses_previous=self.uses_previous(sections),
        )

    def uses_previous(self, sections: list[dict[str, Any]]) -> bool:
        expressions = [d["relevance"] for d in sections]
        for spec in self.fields.values():
            expressions += [spec.relevance, spec.calculation]
        return any(rule.prev_references for rule in self.rules) or any(
            e is not None and e.prev_references for e in expressions
        )

    def deadline(self, value: Any) -> Deadline | None:
        path: ItemPath = ("deadline",)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return Deadline(date=datetime.date.fromisoformat(value))
            except ValueError:
                self.problem(path, f"Nie ma takiej daty: {value}.", f"No such date: {value}.")
                return None
        days = value.get("days_after_period_end")
        month, day = value.get("month"), value.get("day")
        if days is not None and month is not None:
            self.problem(
                path,
                "Termin podaje się albo jako dzień i miesiąc (month, day), albo jako liczbę dni "
                "po końcu okresu (days_after_period_end), nie oba naraz.",
                "Give the deadline either as a month and day or as days after the end of the "
                "period, not both.",
            )
            return None
        if days is not None:
            return Deadline(days_after_period_end=days)
        if month is None:
            self.problem(
                path,
                "Termin musi podawać dzień i miesiąc (month, day) albo liczbę dni po końcu "
                "okresu (days_after_period_end).",
                "The deadline needs a month and day, or days after the end of the period.",
            )
            return None
        try:
            datetime.date(2024, month, day)  # a leap year: 29 February is a valid deadline
        except ValueError:
            self.problem(
                path,
                f"Nie ma takiego dnia: {day}.{month:02d}.",
                f"No such day: {month}/{day}.",
            )
            return None
        return Deadline(month=month, day=day, years_after_period=value.get("years_after_period", 1))

    # -- structure ----------------------------------------------------------------------------

    def add_field(self, spec: Field, path: ItemPath, item: str) -> bool:
        if spec.ref in self.fields:
            first = self.locations.line(self.field_paths[spec.ref])
            self.problem(
                (*path, "code"),
                f"Kod „{spec.ref}” powtarza się (pierwszy raz w wierszu {first}).",
                f'The code "{spec.ref}" is repeated (first on line {first}).',
                item=item,
            )
            return False
        self.fields[spec.ref] = spec
        self.field_paths[spec.ref] = path
        self.items[spec.ref] = item
        return True

    def bounds(self, raw: Mapping[str, Any], kind: FieldType, path: ItemPath) -> tuple[Any, Any]:
        minimum: Any = raw.get("min")
        maximum: Any = raw.get("max")
        if kind == FieldType.DATE:
            parsed = []
            for key, value in (("min", minimum), ("max", maximum)):
                if value is None:
                    parsed.append(None)
                    continue
                try:
                    parsed.append(datetime.date.fromisoformat(value))
                except ValueError:
                    self.problem(
                        (*path, key), f"Nie ma takiej daty: {value}.", f"No such date: {value}."
                    )
                    parsed.append(None)
            minimum, maximum = parsed
        elif kind in NUMERIC_TYPES:
            minimum, maximum = _decimal(minimum), _decimal(maximum)
            if kind == FieldType.PERCENTAGE:
                minimum = _ZERO if "min" not in raw else minimum
                maximum = Decimal(100) if "max" not in raw else maximum
        else:
            return None, None
        if minimum is not None and maximum is not None and minimum > maximum:
            self.problem(
                (*path, "min"),
                f"Najmniejsza wartość ({raw.get('min')}) jest większa niż największa "
                f"({raw.get('max')}).",
                f"The minimum ({raw.get('min')}) is greater than the maximum ({raw.get('max')}).",
                key=True,
            )
        return minimum, maximum

    def section_structure(
        self, section: Mapping[str, Any], path: ItemPath, layouts: dict[str, TableLayout]
    ) -> dict[str, Any]:
        code = str(section["code"])
        draft: dict[str, Any] = {
            "code": code,
            "path": path,
            "title": _text(section["title"]),
            "help": _text(section.get("help")),
            "relevant": section.get("relevant"),
            "relevance": None,
            "fields": [],
            "table": None,
            "rules": [],
            "rules_data": section.get("rules") or [],
            "line": self.locations.line(path),
        }
        if not section.get("fields") and not section.get("table"):
            self.problem(
                path,
                f"Dział „{code}” nie ma ani pól (fields), ani tabeli (table).",
                f'The section "{code}" has neither fields nor a table.',
            )
        for j, raw in enumerate(section.get("fields") or []):
            field_path: ItemPath = (*path, "fields", j)
            kind = FieldType(raw["type"])
            minimum, maximum = self.bounds(raw, kind, field_path)
            choices = self.choices(raw, field_path)
            precision = raw.get("precision")
            if kind in (FieldType.DECIMAL, FieldType.PERCENTAGE) and precision is None:
                precision = DEFAULT_PRECISION
            max_length = raw.get("max_length")
            if kind in DEFAULT_MAX_LENGTH and max_length is None:
                max_length = DEFAULT_MAX_LENGTH[kind]
            spec = Field(
                ref=str(raw["code"]),
                type=kind,
                label=_text(raw["label"]) or Text("", ""),
                section=code,
                help=_text(raw.get("help")),
                unit=_text(raw.get("unit")),
                required=bool(raw.get("required", False)),
                min=minimum,
                max=maximum,
                precision=precision,
                max_length=max_length,
                choices=choices,
                computed="calculation" in raw,
                line=self.locations.line(field_path),
            )
            if self.add_field(spec, field_path, f"field {spec.ref}"):
                draft["fields"].append(spec)
                draft.setdefault("field_data", {})[spec.ref] = (raw, field_path)
        if section.get("table"):
            draft["table"] = self.table_structure(code, section["table"], (*path, "table"))
            table: Table = draft["table"]
            layouts[code] = TableLayout(
                [row.code for row in table.rows], [column.code for column in table.columns]
            )
        return draft

    def choices(self, raw: Mapping[str, Any], path: ItemPath) -> tuple[Choice, ...]:
        out: list[Choice] = []
        seen: dict[str, int] = {}
        for k, choice in enumerate(raw.get("choices") or []):
            code = str(choice["code"])
            if code in seen:
                self.problem(
                    (*path, "choices", k, "code"),
                    f"Kod odpowiedzi „{code}” powtarza się.",
                    f'The option code "{code}" is repeated.',
                )
                continue
            seen[code] = k
            out.append(
                Choice(code, _text(choice["label"]) or Text("", ""), _decimal(choice.get("score")))
            )
        return tuple(out)

    def resolve_total(
        self,
        spec: Any,
        codes: Sequence[str],
        path: ItemPath,
        own: str,
        word: tuple[str, str],
    ) -> tuple[str, ...]:
        """The codes a total sums: "K2:K5" (by position) or a list."""
        pl, en = word
        if isinstance(spec, str):
            start, _, end = spec.partition(":")
            missing = [c for c in (start, end) if c not in codes]
            if missing:
                self.problem(
                    path,
                    f"Suma odwołuje się do nieistniejącego {pl} „{missing[0]}”.",
                    f'The total refers to a {en} "{missing[0]}" that does not exist.',
                )
                return ()
            i, j = codes.index(start), codes.index(end)
            if i > j:
                self.problem(
                    path,
                    f"Zakres sumy „{spec}” biegnie wstecz; napisz „{end}:{start}”.",
                    f'The total\'s range "{spec}" runs backwards; write "{end}:{start}".',
                )
                return ()
            parts = tuple(codes[i : j + 1])
        else:
            unknown = [c for c in spec if c not in codes]
            if unknown:
                self.problem(
                    path,
                    f"Suma odwołuje się do nieistniejącego {pl} „{unknown[0]}”.",
                    f'The total refers to a {en} "{unknown[0]}" that does not exist.',
                )
                return ()
            parts = tuple(spec)
        if own in parts:
            self.problem(
                path,
                f"Suma w „{own}” obejmuje samą siebie.",
                f'The total in "{own}" includes itself.',
            )
            return ()
        return parts

    def axis_codes(
        self, items: list[Mapping[str, Any]], path: ItemPath, word: tuple[str, str]
    ) -> list[str]:
        """The codes of a table's columns or rows, in order; each repeat is reported."""
        pl, en = word
        codes: list[str] = []
        for k, item in enumerate(items):
            code = item["code"]
            if code in codes:
                self.problem(
                    (*path, k, "code"),
                    f"Kod {pl} „{code}” powtarza się.",
                    f'The {en} code "{code}" is repeated.',
                )
            codes.append(code)
        return codes

    def parent_code(
        self,
        item: Mapping[str, Any],
        codes: list[str],
        path: ItemPath,
        en: str,
        *,
        unknown_pl: str,
        itself_pl: str,
    ) -> str | None:
        """The parent an "of which" column or row names; None, reported, when the parent is
        not in the table or is the item itself. Polish needs the whole sentence per gender."""
        of_which = item.get("of_which")
        if of_which is None or (of_which in codes and of_which != item["code"]):
            return of_which
        if of_which == item["code"]:
            self.problem(
                (*path, "of_which"), itself_pl, f'An "of which" {en} cannot point at itself.'
            )
        else:
            self.problem(
                (*path, "of_which"),
                unknown_pl.format(of_which),
                f'The "of which" {en} points at a parent {en} "{of_which}" that does not exist.',
            )
        return None

    def table_structure(self, section: str, raw: Mapping[str, Any], path: ItemPath) -> Table:
        columns_data = list(raw["columns"])
        rows_data = list(raw["rows"])
        column_codes = self.axis_codes(columns_data, (*path, "columns"), ("kolumny", "column"))
        row_codes = self.axis_codes(rows_data, (*path, "rows"), ("wiersza", "row"))
        columns: list[Column] = []
        seen_columns: set[str] = set()
        for k, column in enumerate(columns_data):
            cpath: ItemPath = (*path, "columns", k)
            code = column["code"]
            if code in seen_columns:
                continue
            seen_columns.add(code)
            total = ()
            if "total" in column:
                total = self.resolve_total(
                    column["total"], column_codes, (*cpath, "total"), code, ("kolumny", "column")
                )
                self.total_paths["column", section, code] = (*cpath, "total")
            of_which = self.parent_code(
                column,
                column_codes,
                cpath,
                "column",
                unknown_pl="Kolumna „w tym” wskazuje nieistniejącą kolumnę nadrzędną „{}”.",
                itself_pl="Kolumna „w tym” nie może wskazywać samej siebie.",
            )
            columns.append(
                Column(
                    code=code,
                    label=_text(column["label"]) or Text("", ""),
                    help=_text(column.get("help")),
                    unit=_text(column.get("unit")),
                    type=FieldType(column.get("type", "integer")),
                    total=total,
                    of_which=of_which,
                    line=self.locations.line(cpath),
                )
            )
        of_which_rows = {row["code"] for row in rows_data if row.get("of_which")}
        of_which_columns = {c.code for c in columns if c.of_which}
        rows: list[Row] = []
        seen_rows: set[str] = set()
        for k, row in enumerate(rows_data):
            rpath: ItemPath = (*path, "rows", k)
            code = row["code"]
            if code in seen_rows:
                continue
            seen_rows.add(code)
            total = ()
            if "total" in row:
                total = self.resolve_total(
                    row["total"], row_codes, (*rpath, "total"), code, ("wiersza", "row")
                )
                self.total_paths["row", section, code] = (*rpath, "total")
                doubled = [r for r in total if r in of_which_rows]
                if doubled:
                    self.problem(
                        (*rpath, "total"),
                        f"Suma w wierszu „{code}” obejmuje wiersz „w tym” „{doubled[0]}”, "
                        "który już jest liczony w swoim wierszu nadrzędnym; podaj listę wierszy "
                        "składowych, np. [W02, W04].",
                        f'The total in row "{code}" includes the "of which" row "{doubled[0]}", '
                        "already counted in its parent row; list the component rows instead.",
                    )
            of_which = self.parent_code(
                row,
                row_codes,
                rpath,
                "row",
                unknown_pl="Wiersz „w tym” wskazuje nieistniejący wiersz nadrzędny „{}”.",
                itself_pl="Wiersz „w tym” nie może wskazywać samego siebie.",
            )
            blocked = row.get("blocked") or []
            for name in blocked:
                if name not in column_codes:
                    self.problem(
                        (*rpath, "blocked"),
                        f"Przekreślona komórka wskazuje nieistniejącą kolumnę „{name}”.",
                        f'A blocked cell names a column "{name}" that does not exist.',
                    )
            rows.append(
                Row(
                    code=code,
                    label=_text(row["label"]) or Text("", ""),
                    help=_text(row.get("help")),
                    total=total,
                    of_which=of_which,
                    blocked=frozenset(blocked),
                    indent=int(row.get("indent", 1 if of_which else 0)),
                    line=self.locations.line(rpath),
                )
            )
        for column in columns:
            doubled = [c for c in column.total if c in of_which_columns]
            if doubled:
                index = column_codes.index(column.code)
                self.problem(
                    (*path, "columns", index, "total"),
                    f"Suma w kolumnie „{column.code}” obejmuje kolumnę „w tym” „{doubled[0]}”, "
                    "która już jest liczona w swojej kolumnie nadrzędnej.",
                    f'The total in column "{column.code}" includes the "of which" column '
                    f'"{doubled[0]}", already counted in its parent column.',
                )
        return self.cells(section, raw, path, rows, columns)

    def cells(
        self,
        section: str,
        raw: Mapping[str, Any],
        path: ItemPath,
        rows: list[Row],
        columns: list[Column],
    ) -> Table:
        table_required = bool(raw.get("required", False))
        columns_data = {c["code"]: (c, k) for k, c in enumerate(raw["columns"])}
        rows_index = {r["code"]: k for k, r in enumerate(raw["rows"])}
        cells: dict[tuple[str, str], Field] = {}
        for row in rows:
            for column in columns:
                column_data, k = columns_data[column.code]
                kind = column.type
                precision = column_data.get("precision")
                if kind in (FieldType.DECIMAL, FieldType.PERCENTAGE) and precision is None:
                    precision = DEFAULT_PRECISION
                bounds = dict(column_data)
                bounds.setdefault("min", raw.get("min"))
                bounds.setdefault("max", raw.get("max"))
                bounds = {key: value for key, value in bounds.items() if value is not None}
                minimum, maximum = self.bounds(bounds, kind, (*path, "columns", k))
                ref = f"{section}.{row.code}.{column.code}"
                blocked = column.code in row.blocked
                computed = not blocked and bool(row.total or column.total)
                spec = Field(
                    ref=ref,
                    type=kind,
                    label=Text(
                        f"{row.label.pl} – {column.label.pl}", f"{row.label.en} – {column.label.en}"
                    ),
                    section=section,
                    help=row.help or column.help,
                    unit=column.unit,
                    required=bool(column_data.get("required", table_required)),
                    min=minimum,
                    max=maximum,
                    precision=precision,
                    blocked=blocked,
                    computed=computed,
                    row=row.code,
                    column=column.code,
                    line=row.line,
                )
                cell_path: ItemPath = (*path, "rows", rows_index[row.code])
                if self.add_field(spec, cell_path, f"cell {ref}"):
                    cells[row.code, column.code] = spec
                if blocked:
                    self.blocked.add(ref)
        # A cell in both a total row and a total column is the sum of the rows; it equals the
        # sum of the columns whenever every component row adds up.
        for row in rows:
            for column in columns:
                ref = f"{section}.{row.code}.{column.code}"
                if ref in self.blocked or ref not in self.fields:
                    continue
                if row.total:
                    parts = tuple(f"{section}.{r}.{column.code}" for r in row.total)
                    origin: tuple[str, ...] = ("row", section, row.code)
                elif column.total:
                    parts = tuple(f"{section}.{row.code}.{c}" for c in column.total)
                    origin = ("column", section, column.code)
                else:
                    continue
                self.totals[ref] = (origin, tuple(p for p in parts if p not in self.blocked))
        return Table(section=section, rows=tuple(rows), columns=tuple(columns), cells=cells)

    def check_field_code(self, spec: Field, layouts: Mapping[str, TableLayout]) -> None:
        path = self.field_paths[spec.ref]
        first = spec.ref.split(".", 1)[0]
        if spec.ref in KEYWORDS:
            self.problem(
                (*path, "code"),
                f"„{spec.ref}” to słowo języka reguł; nadaj polu inny kod.",
                f'"{spec.ref}" is a word of the rule language; give the field another code.',
            )
        elif _CELL_LIKE.fullmatch(spec.ref) or ("." in spec.ref and first in layouts):
            self.problem(
                (*path, "code"),
                f"Kod pola „{spec.ref}” wygląda jak adres komórki tabeli (D1.W01.K1) albo "
                "zaczyna się kodem działu z tabelą; nadaj polu inny kod.",
                f'The field code "{spec.ref}" looks like a table cell address (D1.W01.K1) or '
                "starts with the code of a section with a table; give the field another code.",
            )

    def build_schema(self, layouts: dict[str, TableLayout]) -> Schema | None:
        refs = {ref: f.value_type for ref, f in self.fields.items() if not f.is_cell}
        choices = {
            ref: [choice.code for choice in f.choices]
            for ref, f in self.fields.items()
            if f.type in CHOICE_TYPES
        }
        scores = {
            ref: {c.code: c.score for c in f.choices if c.score is not None}
            for ref, f in self.fields.items()
            if f.type == FieldType.SINGLE_CHOICE and any(c.score is not None for c in f.choices)
        }
        try:
            return Schema(refs, layouts, choices=choices, scores=scores)
        except RuleEngineError as error:
            self.problem((), error.message, error.message_en)
            return None

    # -- expressions --------------------------------------------------------------------------

    def section_expressions(self, draft: dict[str, Any], schema: Schema) -> dict[str, Any]:
        code, path = draft["code"], draft["path"]
        if draft["relevant"] is not None:
            draft["relevance"] = self.compile(
                (*path, "relevant"), draft["relevant"], schema, Type.BOOLEAN, f"section {code}"
            )
        for spec in draft["fields"]:
            raw, field_path = draft["field_data"][spec.ref]
            item = f"field {spec.ref}"
            if "relevant" in raw:
                spec.relevance = self.compile(
                    (*field_path, "relevant"), raw["relevant"], schema, Type.BOOLEAN, item
                )
            if "calculation" in raw:
                spec.calculation = self.compile(
                    (*field_path, "calculation"), raw["calculation"], schema, spec.value_type, item
                )
        table: Table | None = draft["table"]
        if table is not None:
            self.table_expressions(table, draft, schema)
        draft["rules"] = self.compile_rules(
            draft["rules_data"], (*path, "rules"), code, schema, into=draft["rules"]
        )
        return draft

    def table_expressions(self, table: Table, draft: dict[str, Any], schema: Schema) -> None:
        section = table.section
        path: ItemPath = (*draft["path"], "table")
        for ref, (_origin, parts) in self.totals.items():
            if not ref.startswith(section + ".") or not parts:
                continue
            spec = self.fields[ref]
            try:
                spec.calculation = compile_expression(
                    f"sum({', '.join(parts)})", schema, expect=Type.NUMBER
                )
            except RuleEngineError as error:  # pragma: no cover - refs were resolved above
                self.expression_problem(path, error, f"cell {ref}")
        row_index = {row.code: k for k, row in enumerate(table.rows)}
        column_index = {column.code: k for k, column in enumerate(table.columns)}
        for row in table.rows:
            if not row.of_which:
                continue
            parent = next(r for r in table.rows if r.code == row.of_which)
            for column in table.columns:
                if column.code in row.blocked or column.code in parent.blocked:
                    continue
                child_ref = f"{section}.{row.code}.{column.code}"
                parent_ref = f"{section}.{parent.code}.{column.code}"
                self.of_which_rule(
                    f"{section}.{row.code}.of_which.{column.code}",
                    child_ref,
                    parent_ref,
                    Text(
                        f"Dział {section}, kolumna {column.code}: wiersz {row.code} "
                        f"„{row.label.pl}” ({{{child_ref}}}) nie może być większy niż wiersz "
                        f"{parent.code} „{parent.label.pl}” ({{{parent_ref}}}).",
                        f"Section {section}, column {column.code}: row {row.code} "
                        f'"{row.label.en}" ({{{child_ref}}}) cannot exceed row {parent.code} '
                        f'"{parent.label.en}" ({{{parent_ref}}}).',
                    ),
                    (*path, "rows", row_index[row.code], "of_which"),
                    schema,
                    draft,
                )
        for column in table.columns:
            if not column.of_which:
                continue
            parent_code = column.of_which
            parent_column = next(c for c in table.columns if c.code == parent_code)
            for row in table.rows:
                if column.code in row.blocked or parent_code in row.blocked:
                    continue
                child_ref = f"{section}.{row.code}.{column.code}"
                parent_ref = f"{section}.{row.code}.{parent_code}"
                self.of_which_rule(
                    f"{section}.{column.code}.of_which.{row.code}",
                    child_ref,
                    parent_ref,
                    Text(
                        f"Dział {section}, wiersz {row.code}: kolumna {column.code} "
                        f"„{column.label.pl}” ({{{child_ref}}}) nie może być większa niż "
                        f"kolumna {parent_code} „{parent_column.label.pl}” ({{{parent_ref}}}).",
                        f"Section {section}, row {row.code}: column {column.code} "
                        f'"{column.label.en}" ({{{child_ref}}}) cannot exceed column '
                        f'{parent_code} "{parent_column.label.en}" ({{{parent_ref}}}).',
                    ),
                    (*path, "columns", column_index[column.code], "of_which"),
                    schema,
                    draft,
                )

    def of_which_rule(
        self,
        rule_id: str,
        child: str,
        parent: str,
        message: Text,
        path: ItemPath,
        schema: Schema,
        draft: dict[str, Any],
    ) -> None:
        # Labels are the statistician's text: braces in them must not become placeholders.
        def literal(text: str) -> str:
            return (
                text.replace("{", "{{")
                .replace("}", "}}")
                .replace("{{" + child + "}}", "{" + child + "}")
                .replace("{{" + parent + "}}", "{" + parent + "}")
            )

        try:
            rule = compile_rule(
                rule_id,
                f"{child} <= {parent}",
                schema,
                severity=Severity.ERROR,
                message_pl=literal(message.pl),
                message_en=literal(message.en),
                fields=(child, parent),
            )
        except RuleEngineError as error:  # pragma: no cover - both cells exist
            self.expression_problem(path, error, f"rule {rule_id}")
            return
        self.register_rule(rule, path, draft["code"])
        draft["rules"].append(rule)

    def register_rule(self, rule: Rule, path: ItemPath, section: str | None) -> bool:
        if rule.rule_id in self.rule_ids:
            first = self.locations.line(self.rule_ids[rule.rule_id])
            self.problem(
                (*path, "id") if path[-1] != "of_which" else path,
                f"Identyfikator reguły „{rule.rule_id}” powtarza się (pierwszy raz w wierszu "
                f"{first}).",
                f'The rule id "{rule.rule_id}" is repeated (first on line {first}).',
                item=f"rule {rule.rule_id}",
            )
            return False
        self.rule_ids[rule.rule_id] = path
        self.rules.append(rule)
        self.rule_sections.append(section)
        return True

    def compile_rules(
        self,
        rules_data: Sequence[Mapping[str, Any]],
        base: ItemPath,
        section: str | None,
        schema: Schema,
        into: list[Rule] | None = None,
    ) -> list[Rule]:
        out = into if into is not None else []
        for k, raw in enumerate(rules_data):
            path: ItemPath = (*base, k)
            rule_id = str(raw["id"])
            item = f"rule {rule_id}"
            message = raw["message"]
            fields = tuple(raw.get("fields") or ())
            try:
                rule = compile_rule(
                    rule_id,
                    raw["expression"],
                    schema,
                    severity=Severity(raw.get("severity", "error")),
                    message_pl=message["pl"],
                    message_en=message["en"],
                    fields=fields,
                    missing=MissingValues(raw.get("missing", MissingValues.SKIP_IF_ANY_BLANK)),
                )
            except RuleEngineError as error:
                self.locate_rule_error(raw, path, schema, error, item)
                continue
            self.check_blocked((*path, "expression"), rule.expression, item)
            for name in fields:
                if name in self.blocked:
                    self.problem(
                        (*path, "fields"),
                        f"Reguła wskazuje przekreśloną komórkę „{name}”.",
                        f'The rule points at the blocked cell "{name}".',
                        item=item,
                    )
            if self.register_rule(rule, path, section):
                out.append(rule)
        return out

    def locate_rule_error(
        self,
        raw: Mapping[str, Any],
        path: ItemPath,
        schema: Schema,
        error: RuleEngineError,
        item: str,
    ) -> None:
        """Point at the part of the rule that is wrong: the expression, a message or the
        list of fields (compile_rule tells what, not where)."""
        try:
            compile_expression(raw["expression"], schema, expect=Type.BOOLEAN)
        except RuleEngineError:
            self.expression_problem((*path, "expression"), error, item)
            return
        for language in ("pl", "en"):
            try:
                compile_message(raw["message"][language], schema)
            except RuleEngineError:
                self.expression_problem((*path, "message", language), error, item)
                return
        self.problem((*path, "fields"), error.message, error.message_en, item=item)

    # -- order --------------------------------------------------------------------------------

    def order(
        self, sections: list[dict[str, Any]]
    ) -> tuple[list[tuple[Any, ...]], tuple[str, ...]]:
        """Sort relevance conditions and computed fields so that each comes after what it
        reads; report every cycle with its path."""
        deps: dict[str, tuple[str, ...]] = {}
        section_refs: dict[str, tuple[str, ...]] = {}
        for draft in sections:
            refs = tuple(f.ref for f in draft["fields"])
            if draft["table"] is not None:
                refs += tuple(c.ref for c in draft["table"].cells.values())
            section_refs[draft["code"]] = refs
        nodes: set[str] = set()
        conditioned = {d["code"] for d in sections if d["relevance"] is not None}
        for ref, spec in self.fields.items():
            if spec.relevance or spec.calculation or ref in self.totals:
                nodes.add(ref)
            elif spec.section in conditioned:
                nodes.add(ref)  # so that whatever reads it waits for its section's condition
        for code in conditioned:
            nodes.add(f"section:{code}")
        for draft in sections:
            if draft["relevance"] is not None:
                deps[f"section:{draft['code']}"] = tuple(
                    r for r in draft["relevance"].current_references if r in nodes
                )
        for ref in self.fields:
            if ref not in nodes:
                continue
            spec = self.fields[ref]
            found: list[str] = []
            if spec.section in conditioned:
                found.append(f"section:{spec.section}")
            if spec.relevance is not None:
                found.extend(spec.relevance.current_references)
            if ref in self.totals:
                found.extend(self.totals[ref][1])
            elif spec.calculation is not None:
                found.extend(spec.calculation.current_references)
            deps[ref] = tuple(dict.fromkeys(r for r in found if r in nodes))
        order, cycles = _topological(deps)
        reported: set[frozenset[Any]] = set()
        for cycle in cycles:
            origins = frozenset(self.origin(node) for node in cycle)
            if origins in reported:
                continue
            reported.add(origins)
            self.cycle_problem(cycle)
        plan: list[tuple[Any, ...]] = []
        computed: list[str] = []
        for node in order:
            if node.startswith("section:"):
                code = node.removeprefix("section:")
                relevance = next(d["relevance"] for d in sections if d["code"] == code)
                plan.append(
                    (_SECTION, code, relevance.runner(_RELEVANCE_MISSING), section_refs[code])
                )
                continue
            spec = self.fields[node]
            if spec.relevance is not None:
                plan.append((_RELEVANCE, node, spec.relevance.runner(_RELEVANCE_MISSING)))
            if node in self.totals:
                plan.append((_TOTAL, node, self.totals[node][1]))
                computed.append(node)
            elif spec.calculation is not None:
                quantum = None
                if spec.type in NUMERIC_TYPES:
                    places = spec.precision if spec.precision is not None else 0
                    quantum = _ONE.scaleb(-places)
                plan.append((_CALC, node, spec.calculation.runner(_CALCULATION_MISSING), quantum))
                computed.append(node)
        return plan, tuple(computed)

    def origin(self, node: str) -> Any:
        if node in self.totals:
            return self.totals[node][0]
        return node

    def cycle_problem(self, cycle: list[str]) -> None:
        def name(node: str) -> str:
            if node.startswith("section:"):
                return f"warunek działu {node.removeprefix('section:')}"
            return node

        def name_en(node: str) -> str:
            if node.startswith("section:"):
                return f"the condition of section {node.removeprefix('section:')}"
            return node

        # A section's condition depends only on fields, so every cycle passes through a field:
        # start the path there.
        body = cycle[:-1]
        start = next(i for i, node in enumerate(body) if not node.startswith("section:"))
        cycle = [*body[start:], *body[:start], body[start]]
        first = cycle[0]
        path = self.field_paths[first]
        item = self.items[first]
        if first in self.totals:
            origin = self.totals[first][0]
            path = self.total_paths[origin]
            item = f"{origin[0]} {origin[1]}.{origin[2]}"
        line = self.locations.key_line(path)
        self.problem(
            path,
            "Pola obliczane i warunki tworzą cykl: "
            + " → ".join(name(node) for node in cycle)
            + ". Żadne pole nie może zależeć (wprost ani pośrednio) od samego siebie.",
            "Computed fields and conditions form a cycle: "
            + " → ".join(name_en(node) for node in cycle)
            + ". No field can depend on itself, directly or indirectly.",
            item=item,
            line=line,
        )


def _topological(deps: Mapping[str, Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """Nodes with their dependencies first, and the cycles met on the way (each as a path
    that ends where it starts). Iterative: a long chain of totals must not hit the recursion
    limit."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    order: list[str] = []
    cycles: list[list[str]] = []
    for start in deps:
        if state.get(start):
            continue
        state[start] = 1
        path = [start]
        stack = [iter(deps[start])]
        while stack:
            for nxt in stack[-1]:
                seen = state.get(nxt, 0)
                if seen == 0:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(deps.get(nxt, ())))
                    break
                if seen == 1:
                    cycles.append([*path[path.index(nxt) :], nxt])
            else:
                stack.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
    return order, cycles
