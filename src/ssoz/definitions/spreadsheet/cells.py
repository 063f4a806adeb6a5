"""A cell's value: the spellings the workbook uses, and reading one cell back into the Python
value of its column."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any

from .problems import CellError
from .spec import Col, Kind

TRUE_WORDS = frozenset({"tak", "t", "true", "prawda", "yes", "y", "1"})
FALSE_WORDS = frozenset({"nie", "n", "false", "fałsz", "falsz", "no", "0"})
TRUE_CELL = "TAK"
FALSE_CELL = "NIE"
EMPTY_LIST = "[]"

# Excel keeps 15 significant digits; anything longer would come back changed.
EXCEL_DIGITS = 15
EXCEL_FIRST_DATE = datetime.date(1900, 3, 1)  # before it Excel's fictitious 29 Feb 1900 interferes
FLOAT_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"

# Characters an XML document cannot carry, plus CR (XML parsers turn it into LF).
_XML_UNSAFE = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff"
_OOXML_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
# What must be escaped: unsafe characters; an underscore that would start an escape; and the
# "x" of "x005F", because openpyxl deletes every "x005F_" it reads (half of Excel's escape).
_NEEDS_ESCAPE = re.compile(f"[{_XML_UNSAFE}]|_(?=x[0-9A-Fa-f]{{4}}_)|x(?=005F)")
SEPARATORS = re.compile(r"[,;\n]")
_INT_TEXT = re.compile(r"[+-]?\d+")
_FLOAT_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")  # the schema's form, kept as written
_LOOSE_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_POLISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
FORMULA_START = ("=", "+", "-", "@")


def escape(text: str) -> str:
    """OOXML string escaping (ECMA-376 ST_Xstring): ``_xhhhh_`` stands for a character.

    Lower-case hex digits keep the result free of "x005F_", which openpyxl would delete.
    Excel and LibreOffice show the characters themselves.
    """
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04x}_", text)


def unescape(text: str) -> str:
    # One left-to-right pass: "_x005f_x0041_" is "_" followed by the literal "x0041_".
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_string(value: object) -> str:
    """A cell's value as text (Excel turns typed digits and dates into numbers and dates)."""
    if isinstance(value, bool):
        return TRUE_CELL if value else FALSE_CELL
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**EXCEL_DIGITS:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def shown(value: object) -> str:
    text = as_string(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _parse_number_text(text: str) -> int | float | None:
    compact = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _INT_TEXT.fullmatch(compact):
        return int(compact)
    if "," in compact and "." not in compact:
        compact = compact.replace(",", ".")  # Polish decimal comma
    if _FLOAT_TEXT.fullmatch(compact):
        number = float(compact)
        if math.isfinite(number):
            return number
    return None


def _parse_date_text(text: str) -> str | None:
    """A date typed as text, as the schema's ``RRRR-MM-DD`` text; None if it is no date."""
    text = text.strip()
    if DATE_TEXT.fullmatch(text):
        return text  # as written, even if the day does not exist: the loader says so
    parts: tuple[int, int, int] | None = None
    if match := _LOOSE_ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        parts = (year, month, day)
    elif match := _POLISH_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        parts = (year, month, day)
    if parts is None:
        return None
    try:
        return datetime.date(*parts).isoformat()
    except ValueError:
        return None


def _split_list(text: str) -> list[str]:
    if text.strip() == EMPTY_LIST:
        return []
    return [item.strip() for item in SEPARATORS.split(text) if item.strip()]


@dataclass(frozen=True)
class RawCell:
    value: object
    number_format: str = "General"


def _unknown(col: Col, word: str) -> CellError:
    return CellError(
        f"nieznany {col.noun[0]} «{shown(word)}»; dozwolone: {', '.join(col.choices)}",
        f"unknown {col.noun[1]} «{shown(word)}»; allowed: {', '.join(col.choices)}",
    )


def read_value(cell: RawCell, col: Col, dates_as_text: bool = False) -> Any:
    """Convert one non-blank cell to the Python value of ``col``; raise CellError if it can't."""
    value = unescape(cell.value) if isinstance(cell.value, str) else cell.value
    kind = col.kind
    if kind in (Kind.EXPR, Kind.TEXT):
        return as_string(value)
    if kind is Kind.CODE:
        if col.numeric_ok and isinstance(value, int) and not isinstance(value, bool):
            return value
        return as_string(value).strip()
    if kind is Kind.ENUM:
        word = as_string(value).strip()
        if word.lower() not in col.choices:
            raise _unknown(col, word)
        return word.lower()
    if kind is Kind.BOOL:
        return _read_bool(value)
    if kind is Kind.LIST:
        items = _split_list(as_string(value))
        if col.choices:
            for item in items:
                if item.lower() not in col.choices:
                    raise _unknown(col, item)
            items = [item.lower() for item in items]
        return items
    if kind is Kind.TOTAL:
        text = as_string(value).strip()
        if SEPARATORS.search(text) or text == EMPTY_LIST:
            return _split_list(text)
        # A lone range stays the string it was in YAML; a lone code is a one-element list.
        return text if ":" in text else [text]
    if kind is Kind.MARK:
        if as_string(value).strip() != EMPTY_LIST:
            raise CellError(
                f"tu można wpisać tylko [] (jawnie pusta lista); elementy wpisuje się w arkuszu "
                f"{col.items_sheet}",
                f"only [] (an explicitly empty list) can go here; the items go in the "
                f"{col.items_sheet} sheet",
            )
        return []
    if kind is Kind.DATE:
        return _read_date(value, dates_as_text, cell.number_format)
    if kind is Kind.INT:
        return _read_int(value, cell.number_format)
    if kind is Kind.NUMBER:
        return _read_number(value, cell.number_format)
    # Kind.BOUND: a number, or a date for date fields
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and _parse_date_text(value) is not None
    ):
        return _read_date(value, dates_as_text, cell.number_format)
    try:
        return _read_number(value, cell.number_format)
    except CellError:
        raise CellError(
            f"«{shown(value)}» nie jest liczbą ani datą (rrrr-mm-dd)",
            f"«{shown(value)}» is neither a number nor a date (yyyy-mm-dd)",
        ) from None


def _read_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = as_string(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        f"«{shown(value)}» nie jest wartością TAK/NIE",
        f"«{shown(value)}» is not a yes/no value (TAK/NIE)",
    )


def _read_int(value: object, number_format: str) -> int:
    number = _read_number(value, number_format)
    if isinstance(number, float):
        if not number.is_integer():
            raise CellError(
                f"«{shown(value)}» nie jest liczbą całkowitą",
                f"«{shown(value)}» is not a whole number",
            )
        return int(number)
    return number


def _read_number(value: object, number_format: str) -> int | float:
    if isinstance(value, int) and not isinstance(value, bool):
        # The writer marks a float with an integral value (YAML 2.0) by a decimal format.
        return float(value) if FLOAT_FORMAT in number_format else value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and (number := _parse_number_text(value)) is not None:
        return number
    raise CellError(f"«{shown(value)}» nie jest liczbą", f"«{shown(value)}» is not a number")


def _early_date(text: str) -> datetime.date | None:
    """The date a text cell with the date format stands for (one before Excel's first date, as
    the writer stores it), or None."""
    if not DATE_TEXT.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _read_date(value: object, dates_as_text: bool, number_format: str) -> datetime.date | str:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise CellError(
                f"«{shown(value)}»: oczekiwano samej daty, bez godziny",
                f"«{shown(value)}»: expected a date without a time of day",
            )
        value = value.date()
    if isinstance(value, str) and number_format == DATE_FORMAT:
        value = _early_date(value) or value
    if isinstance(value, datetime.date):
        return value.isoformat() if dates_as_text else value
    if isinstance(value, str) and (text := _parse_date_text(value)) is not None:
        return text
    raise CellError(
        f"«{shown(value)}» nie jest datą (rrrr-mm-dd)",
        f"«{shown(value)}» is not a date (yyyy-mm-dd)",
    )
