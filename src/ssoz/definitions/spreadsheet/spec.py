"""How a sheet is described: its columns, each with its key, the kind of its values and its
explanation in Polish and English; and the words the definition format allows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FIELD_TYPES = (
    "integer",
    "decimal",
    "percentage",
    "money",
    "text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "date",
    "email",
    "phone",
    "pesel",
)
COLUMN_TYPES = ("integer", "decimal", "percentage", "money")
SEVERITIES = ("error", "warning", "info")
MISSING_POLICIES = ("skip_if_any_blank", "skip_if_all_blank", "blank_as_zero")
KINDS = ("periodic", "one_time")
PERIODS = ("year", "quarter", "month")
LEVELS = ("entity", "unit")
ACCOUNTS = ("non_financial", "financial", "psychiatric_card")

INSTRUCTION_SHEET = "instrukcja"
# The sheet of the records' own keys (name, title, …), as the form sheet is of the form's.
RECORDS_SHEET = "records"
# Sheets and columns whose name starts with this are the statistician's own notes: never read.
NOTE_PREFIX = "#"
# Section keys kept on the sections sheet under another name.
TABLE_COLUMNS = {"min": "table_min", "max": "table_max", "required": "table_required"}


class Kind(Enum):
    CODE = "code"  # an identifier or keyword: stripped, never empty inside
    EXPR = "expr"  # an expression: kept verbatim
    TEXT = "text"  # a {pl, en} pair in two columns <key>_pl, <key>_en, kept verbatim
    ENUM = "enum"  # one of ``choices``
    BOOL = "bool"  # TAK/NIE
    INT = "int"
    NUMBER = "number"  # int or float
    BOUND = "bound"  # a number, or a date (min/max of a date field)
    DATE = "date"
    LIST = "list"  # codes separated by commas; [] is an empty list
    TOTAL = "total"  # "K2:K3" (a range, kept as a string) or a list of codes
    MARK = "mark"  # only "[]": an item list (rules, fields) present but empty


@dataclass(frozen=True)
class Col:
    key: str
    kind: Kind
    pl: str
    en: str
    width: int = 14
    choices: tuple[str, ...] = ()
    # Polish and English name of the thing, for "nieznany typ pola «liczba»".
    noun: tuple[str, str] = ("wartość", "value")
    # The row cannot be placed without it (codes that tie rows together).
    required: bool = False
    # YAML may give it as a whole number (version: 2025, code: 3): a number cell keeps that.
    numeric_ok: bool = False
    # Written only when some row needs it (explicitly empty lists are rare).
    on_demand: bool = False
    # Of a "[]" mark: the sheet where the items of the list go.
    items_sheet: str = ""

    def headers(self) -> tuple[str, ...]:
        if self.kind is Kind.TEXT:
            return (f"{self.key}_pl", f"{self.key}_en")
        return (self.key,)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    pl: str
    en: str
    columns: tuple[Col, ...]
    frozen_columns: int = 0

    def column(self, key: str) -> Col:
        return next(col for col in self.columns if col.key == key)


@dataclass(frozen=True)
class Part:
    """Whose sections and rules a group of sheets holds: the form's own, or those of its
    repeating records (rekordy), whose sheets have the same layout and names starting with
    ``prefix``."""

    prefix: str
    pl: str  # whose, in the Polish genitive: formularza, rekordu
    locative: str  # where, in the Polish locative: (w) formularzu, rekordzie
    en: str  # whose, in English: form, record
    path: str  # the key the part's lists are under in the definition ("": at the top)

    def sheet(self, name: str) -> str:
        return self.prefix + name


FORM_PART = Part("", "formularza", "formularzu", "form", "")
RECORDS_PART = Part(f"{RECORDS_SHEET}_", "rekordu", "rekordzie", "record", "records")


def text_col(key: str, pl: str, en: str, width: int = 40) -> Col:
    return Col(key, Kind.TEXT, pl, en, width=width)


def section_col(part: Part, required: bool = True) -> Col:
    sections = part.sheet("sections")
    if required:
        pl = f"Kod działu, do którego należy wiersz (jak w arkuszu {sections})."
        en = f"Code of the section the row belongs to (as in the {sections} sheet)."
    else:
        pl = f"Kod działu, gdy reguła należy do działu; puste: reguła całego {part.pl}."
        en = (
            f"Code of the section when the rule belongs to one; empty: a rule of the whole "
            f"{part.en}."
        )
    return Col("section", Kind.CODE, pl, en, width=10, required=required)


def empty_mark(key: str, pl: str, en: str, sheet: str) -> Col:
    """The column of a list whose items are the rows of ``sheet``, for a list present but
    empty."""
    return Col(
        key,
        Kind.MARK,
        f"Tylko [] oznacza jawnie pustą listę {pl}; zwykle puste, bo {pl} są w arkuszu {sheet}.",
        f"Only [] means an explicitly empty list of {en}; normally empty, as {en} are in the "
        f"{sheet} sheet.",
        width=8,
        on_demand=True,
        items_sheet=sheet,
    )


def listing_col(
    key: str, pl: str, en: str, choices: tuple[str, ...], noun: tuple[str, str], width: int
) -> Col:
    """A column of one of ``choices``, which its explanation lists."""
    listed = ", ".join(choices)
    return Col(
        key,
        Kind.ENUM,
        f"{pl}: {listed}.",
        f"{en}: {listed}.",
        width=width,
        choices=choices,
        noun=noun,
    )
