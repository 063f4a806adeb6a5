"""Turning typed text into values: one converter per field, and the problems it finds.

Each converter takes what a person typed (or what the API sent) and gives ``(value, None)``,
``(None, None)`` for a blank, or ``(None, problem)``. None of them raises, whatever the input.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from stdnum.pl import pesel

from ssoz.lib.polish import plural

from ..rules import format_decimal
from .structure import DEFAULT_MAX_LENGTH, NUMERIC_TYPES, Field, FieldType

# Decimal arithmetic keeps 28 significant digits: 15 before the point leaves room for sums of
# thousands of cells and for decimals, and is more than any figure in health statistics.
MAX_INTEGER_DIGITS = 15


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
INVALID_PESEL = _problem(
    "invalid_pesel",
    "Wpisz poprawny numer PESEL: 11 cyfr z właściwą cyfrą kontrolną i datą urodzenia.",
    "Enter a valid PESEL number: 11 digits with the right check digit and date of birth.",
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
_ZERO = Decimal(0)
# Anything longer cannot be a number, a date, a phone or an option code; such input is turned
# down before any parsing, whatever its size.
_SHORT = 100


def _as_text(raw: Any) -> str | tuple[None, Problem | None]:
    """What was typed, as text; or, as a converter's result, a blank, or a problem for values
    of no sensible kind.

    The web form sends text, the API may send JSON numbers and booleans, and ``getlist`` gives
    one-element lists: all are accepted.
    """
    if type(raw) is str:
        return raw
    if raw is None:
        return _BLANK
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
            return _BLANK
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
    # Money is whole złoty unless the definition gives it a precision (grosze: 2).
    whole = kind == FieldType.INTEGER or (kind == FieldType.MONEY and not precision)
    not_whole = NOT_WHOLE_MONEY if kind == FieldType.MONEY else NOT_WHOLE
    below, above = _bounds_problems(
        minimum, maximum, lambda x: (format_decimal(x, "pl"), format_decimal(x, "en"))
    )
    too_precise = None
    if precision is not None and not whole and kind == FieldType.MONEY:
        word = plural(precision, "cyfrę", "cyfry", "cyfr")
        too_precise = _problem(
            "too_many_decimals",
            f"Wpisz kwotę w złotych i najwyżej {precision} {word} po przecinku (grosze), "
            "np. 1 234,56.",
            f"Enter the amount in złoty with at most {precision} "
            f"digit{'s' if precision != 1 else ''} after the decimal point (grosze), "
            "e.g. 1 234.56.",
        )
    elif precision is not None and not whole:
        word = plural(precision, "cyfrę", "cyfry", "cyfr")
        too_precise = _problem(
            "too_many_decimals",
            f"Wpisz najwyżej {precision} {word} po przecinku.",
            f"Enter at most {precision} digit{'s' if precision != 1 else ''} after the decimal "
            "point.",
        )

    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
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


def _stripped(raw: Any, longest: int, refused: tuple[None, Problem]) -> str | tuple[Any, Any]:
    """What was typed as text without surrounding spaces; or, as a converter's result, a blank,
    a problem, or ``refused`` for text longer than ``longest``."""
    text = raw if type(raw) is str else _as_text(raw)
    if type(text) is tuple:
        return text
    if len(text) > longest:
        return refused
    return text.strip() or _BLANK


def email_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = _stripped(raw, 400, INVALID_EMAIL)
        if type(text) is tuple:
            return text
        try:
            validate_email(text)
        except ValidationError:
            return INVALID_EMAIL
        return text, None

    return convert


def pesel_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = _stripped(raw, _SHORT, INVALID_PESEL)
        if type(text) is tuple:
            return text
        digits = text.translate(_SPACES)
        if len(digits) != 11 or not pesel.is_valid(digits):
            return INVALID_PESEL
        return digits, None

    return convert


def phone_converter() -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = _stripped(raw, _SHORT, INVALID_PHONE)
        if type(text) is tuple:
            return text
        text = " ".join(text.split())
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
        text = _stripped(raw, _SHORT, INVALID_DATE)
        if type(text) is tuple:
            return text
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
        text = _stripped(raw, _SHORT, INVALID_YES_NO)
        if type(text) is tuple:
            return text
        word = text.lower()
        if word in _TRUE:
            return True, None
        if word in _FALSE:
            return False, None
        return INVALID_YES_NO

    return convert


def single_choice_converter(codes: frozenset[str]) -> Converter:
    def convert(raw: Any) -> tuple[Any, Problem | None]:
        text = raw if type(raw) is str else _as_text(raw)
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
    if kind == FieldType.PESEL:
        return pesel_converter()
    if kind == FieldType.DATE:
        return date_converter(spec.min, spec.max)  # type: ignore[arg-type]
    if kind == FieldType.YES_NO:
        return yes_no_converter()
    codes = frozenset(choice.code for choice in spec.choices)
    if kind == FieldType.SINGLE_CHOICE:
        return single_choice_converter(codes)
    return multiple_choice_converter(codes)
