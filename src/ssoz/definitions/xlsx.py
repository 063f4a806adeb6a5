"""A form definition as a spreadsheet: lossless XLSX ⇄ definition dict conversion.

Statisticians may keep a definition in Excel or LibreOffice instead of YAML, as XLSForm users do.
:func:`write_xlsx` turns the plain dict that a definition YAML file loads into (see
``docs/form-format.md``) into a workbook, :func:`read_xlsx` turns a workbook back into that dict,
and ``read_xlsx(write_xlsx(d)) == d`` for every definition the writer accepts. The layout is
described in ``docs/form-spreadsheet.md`` and, for the people editing it, on the workbook's own
first sheet ``instrukcja``.

What keeps the conversion lossless:

* an empty cell means "the key is absent"; explicit values always have a visible spelling
  (``TAK``/``NIE`` for booleans, ``[]`` for an empty list), so ``required: false`` and a missing
  ``required`` stay different;
* strings are written as text cells (number format ``@``, a quote prefix when Excel would take
  them for a formula), characters XML cannot carry use the OOXML ``_xhhhh_`` escape, and texts
  and expressions are read back verbatim (codes, numbers and keywords are stripped instead, since
  stray spaces there are typing accidents);
* numbers keep their Python type: a float with an integral value gets the number format ``0.0``
  (Excel stores every number as a double; the format is what survives a save in Excel), and a
  number Excel cannot hold exactly (more than 15 significant digits) is written as text;
* a date is a date cell when it was a ``datetime.date`` (``yaml.safe_load``) and a text cell when
  it was the text ``RRRR-MM-DD`` (the loader keeps dates as text), and comes back the same;
* whatever the workbook cannot express (an unknown key, an empty list of choices, …) is refused
  by the writer with the key's path rather than silently changed.

The reader forgives what Excel and people do: columns in any order (found by header name),
blank and trailing rows, stray spaces, numbers typed as text, ``tak/nie/true/false/1/0``,
decimal commas, dates typed as ``dd.mm.rrrr``. Every problem is collected and reported at once
in :class:`XlsxDefinitionError` with sheet, row and column, in Polish and English; no raw
exception escapes.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import openpyxl
import yaml
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "Problem",
    "XlsxDefinitionError",
    "canonical_order",
    "dump_yaml",
    "read_xlsx",
    "write_xlsx",
]

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
)
COLUMN_TYPES = ("integer", "decimal", "percentage", "money")
SEVERITIES = ("error", "warning", "info")
MISSING_POLICIES = ("skip_if_any_blank", "skip_if_all_blank", "blank_as_zero")
KINDS = ("periodic", "one_time")
PERIODS = ("year", "quarter")
LEVELS = ("entity", "unit")
ACCOUNTS = ("non_financial", "financial", "psychiatric_card")

TRUE_WORDS = frozenset({"tak", "t", "true", "prawda", "yes", "y", "1"})
FALSE_WORDS = frozenset({"nie", "n", "false", "fałsz", "falsz", "no", "0"})
TRUE_CELL = "TAK"
FALSE_CELL = "NIE"
EMPTY_LIST = "[]"

INSTRUCTION_SHEET = "instrukcja"
# Sheets and columns whose name starts with this are the statistician's own notes: never read.
NOTE_PREFIX = "#"

# Excel keeps 15 significant digits; anything longer would come back changed.
EXCEL_DIGITS = 15
EXCEL_FIRST_DATE = datetime.date(1900, 3, 1)  # before it Excel's fictitious 29 Feb 1900 interferes
FLOAT_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"

VALIDATED_ROWS = 1000  # drop-down lists reach at least this far down (and 200 rows past the data)


# --------------------------------------------------------------------------------------------
# Problems


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


class _CellError(Exception):
    """A value that a cell cannot have; turned into a Problem by the caller, who knows where."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en


# --------------------------------------------------------------------------------------------
# Layout: what each sheet holds


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


def _text_col(key: str, pl: str, en: str, width: int = 40) -> Col:
    return Col(key, Kind.TEXT, pl, en, width=width)


def _section_col(required: bool = True) -> Col:
    if required:
        pl = "Kod działu, do którego należy wiersz (jak w arkuszu sections)."
        en = "Code of the section the row belongs to (as in the sections sheet)."
    else:
        pl = "Kod działu, gdy reguła należy do działu; puste: reguła całego formularza."
        en = "Code of the section when the rule belongs to one; empty: a rule of the whole form."
    return Col("section", Kind.CODE, pl, en, width=10, required=required)


def _empty_mark(key: str, pl: str, en: str) -> Col:
    return Col(
        key,
        Kind.MARK,
        f"Tylko [] oznacza jawnie pustą listę {pl}; zwykle puste, bo {pl} są w arkuszu {key}.",
        f"Only [] means an explicitly empty list of {en}; normally empty, as {en} are in the "
        f"{key} sheet.",
        width=8,
        on_demand=True,
    )


FORM_SPEC = SheetSpec(
    "form",
    "Ustawienia całego formularza: jeden wiersz na klucz (kolumna key), wartość w kolumnie value. "
    "Pusta wartość: klucz pominięty.",
    "Settings of the whole form: one row per key (column key), the value in column value. "
    "An empty value: the key is absent.",
    (
        Col(
            "format",
            Kind.CODE,
            "Wersja formatu definicji: ssoz-form/1.",
            "Version of the definition format: ssoz-form/1.",
        ),
        Col("code", Kind.CODE, "Symbol formularza, np. MZ-88.", "Form code, e.g. MZ-88."),
        Col(
            "version",
            Kind.CODE,
            "Wersja formularza, np. 2025 albo 2025-Q1.",
            "Form version, e.g. 2025 or 2025-Q1.",
            numeric_ok=True,
        ),
        _text_col("title", "Tytuł formularza.", "Title of the form."),
        Col(
            "kind",
            Kind.ENUM,
            "Rodzaj: periodic (okresowe) albo one_time (jednorazowe).",
            "Kind: periodic or one_time.",
            choices=KINDS,
            noun=("rodzaj formularza", "form kind"),
        ),
        Col(
            "period",
            Kind.ENUM,
            "Okres sprawozdawczy: year albo quarter.",
            "Reporting period: year or quarter.",
            choices=PERIODS,
            noun=("okres sprawozdawczy", "reporting period"),
        ),
        Col(
            "levels",
            Kind.LIST,
            "Poziomy sprawozdawania, po przecinku: entity (podmiot), unit (jednostka).",
            "Reporting levels, comma-separated: entity, unit.",
            choices=LEVELS,
            noun=("poziom sprawozdawania", "reporting level"),
        ),
        Col(
            "entity_types",
            Kind.LIST,
            "Rodzaje podmiotów, po przecinku, np. podmiot_leczniczy; puste: wszystkie.",
            "Entity types, comma-separated, e.g. podmiot_leczniczy; empty: every type.",
        ),
        Col(
            "accounts",
            Kind.LIST,
            "Rodzaje kont, po przecinku: non_financial, financial, psychiatric_card.",
            "Account kinds, comma-separated: non_financial, financial, psychiatric_card.",
            choices=ACCOUNTS,
            noun=("rodzaj konta", "account kind"),
        ),
        Col(
            "deadline",
            Kind.DATE,
            "Termin jako data (rrrr-mm-dd); albo zamiast niej klucze deadline_….",
            "Deadline as a date (yyyy-mm-dd); or instead the deadline_… keys.",
        ),
        Col(
            "deadline_month",
            Kind.INT,
            "Termin względny: miesiąc (1–12).",
            "Relative deadline: month (1–12).",
        ),
        Col(
            "deadline_day",
            Kind.INT,
            "Termin względny: dzień miesiąca.",
            "Relative deadline: day of the month.",
        ),
        Col(
            "deadline_years_after_period",
            Kind.INT,
            "Termin względny: ile lat po roku okresu sprawozdawczego.",
            "Relative deadline: years after the year of the reporting period.",
        ),
        Col(
            "deadline_days_after_period_end",
            Kind.INT,
            "Termin względny: ile dni po końcu okresu sprawozdawczego.",
            "Relative deadline: days after the end of the reporting period.",
        ),
        Col(
            "header",
            Kind.LIST,
            "Pola metryczki z rejestru, po przecinku, np. entity.name, entity.regon.",
            "Header (metryczka) fields from the registry, comma-separated, e.g. entity.name.",
        ),
        _text_col("intro", "Wstęp wyświetlany nad formularzem.", "Introduction above the form."),
        _text_col("footer", "Tekst pod formularzem.", "Text below the form."),
        _empty_mark("rules", "reguł", "rules"),
    ),
)

SECTIONS_SPEC = SheetSpec(
    "sections",
    "Działy formularza, w kolejności; jeden wiersz na dział.",
    "Sections of the form, in order; one row per section.",
    (
        Col(
            "code",
            Kind.CODE,
            "Kod działu, np. D1 (unikalny).",
            "Section code, e.g. D1 (unique).",
            width=10,
            required=True,
        ),
        _text_col("title", "Tytuł działu.", "Section title."),
        _text_col("help", "Objaśnienia do działu.", "Help text of the section.", width=50),
        Col(
            "relevant",
            Kind.EXPR,
            "Warunek: dział jest pokazywany i sprawdzany tylko, gdy jest spełniony.",
            "Condition: the section is shown and checked only when it holds.",
            width=30,
        ),
        Col(
            "table_min",
            Kind.NUMBER,
            "Tabela działu: najmniejsza wartość każdej komórki (domyślna dla kolumn).",
            "The section's table: minimum of every cell (default for the columns).",
            width=11,
        ),
        Col(
            "table_max",
            Kind.NUMBER,
            "Tabela działu: największa wartość każdej komórki (domyślna dla kolumn).",
            "The section's table: maximum of every cell (default for the columns).",
            width=11,
        ),
        Col(
            "table_required",
            Kind.BOOL,
            "Tabela działu: TAK, gdy każda komórka jest obowiązkowa; NIE, gdy puste są dozwolone.",
            "The section's table: TAK when every cell is required; NIE when blanks are allowed.",
            width=11,
        ),
        _empty_mark("fields", "pól", "fields"),
        _empty_mark("rules", "reguł", "rules"),
    ),
    frozen_columns=1,
)

FIELDS_SPEC = SheetSpec(
    "fields",
    "Pytania (pola) działów, w kolejności; jeden wiersz na pole.",
    "Questions (fields) of the sections, in order; one row per field.",
    (
        _section_col(),
        Col(
            "code",
            Kind.CODE,
            "Kod pola, unikalny w formularzu (litery, cyfry, _ i .).",
            "Field code, unique in the form (letters, digits, _ and .).",
            width=14,
            required=True,
        ),
        Col(
            "type",
            Kind.ENUM,
            "Typ pola: " + ", ".join(FIELD_TYPES) + ".",
            "Field type: " + ", ".join(FIELD_TYPES) + ".",
            width=16,
            choices=FIELD_TYPES,
            noun=("typ pola", "field type"),
        ),
        _text_col("label", "Treść pytania.", "The question.", width=45),
        _text_col("help", "Objaśnienie pytania.", "Help text of the question.", width=40),
        _text_col("unit", "Jednostka, np. osoby.", "Unit, e.g. persons.", width=12),
        Col(
            "required",
            Kind.BOOL,
            "TAK: odpowiedź obowiązkowa; NIE: nieobowiązkowa; puste: domyślnie (NIE).",
            "TAK: an answer is required; NIE: optional; empty: the default (NIE).",
            width=10,
        ),
        Col(
            "relevant",
            Kind.EXPR,
            "Warunek: pole jest pokazywane i sprawdzane tylko, gdy jest spełniony.",
            "Condition: the field is shown and checked only when it holds.",
            width=30,
        ),
        Col(
            "min",
            Kind.BOUND,
            "Najmniejsza dopuszczalna wartość (liczba albo data rrrr-mm-dd).",
            "Smallest allowed value (a number or a date yyyy-mm-dd).",
            width=11,
        ),
        Col(
            "max",
            Kind.BOUND,
            "Największa dopuszczalna wartość (liczba albo data rrrr-mm-dd).",
            "Largest allowed value (a number or a date yyyy-mm-dd).",
            width=11,
        ),
        Col(
            "precision",
            Kind.INT,
            "Liczba miejsc po przecinku (typy decimal, percentage).",
            "Digits after the decimal point (types decimal, percentage).",
            width=10,
        ),
        Col(
            "max_length",
            Kind.INT,
            "Największa liczba znaków (typy text, long_text).",
            "Largest number of characters (types text, long_text).",
            width=11,
        ),
        Col(
            "calculation",
            Kind.EXPR,
            "Wyrażenie: pole wyliczane, tylko do odczytu.",
            "Expression: a computed, read-only field.",
            width=30,
        ),
    ),
    frozen_columns=2,
)

CHOICES_SPEC = SheetSpec(
    "choices",
    "Odpowiedzi do wyboru pól single_choice i multiple_choice, w kolejności.",
    "Options of the single_choice and multiple_choice fields, in order.",
    (
        Col(
            "field",
            Kind.CODE,
            "Kod pola (jak w arkuszu fields).",
            "Field code (as in the fields sheet).",
            width=14,
            required=True,
        ),
        Col(
            "code",
            Kind.CODE,
            "Kod odpowiedzi, np. 0, tak, nd.",
            "Option code, e.g. 0, tak, nd.",
            width=10,
            required=True,
            numeric_ok=True,
        ),
        _text_col("label", "Treść odpowiedzi.", "Option label.", width=40),
        Col(
            "score",
            Kind.NUMBER,
            "Punkty za odpowiedź; puste: brak punktów (np. „nie dotyczy”).",
            "Score of the option; empty: no score (e.g. “not applicable”).",
            width=8,
        ),
    ),
    frozen_columns=2,
)

_RANGE_HELP_PL = "zakres (np. {0}:{1}) albo lista kodów po przecinku"
_RANGE_HELP_EN = "a range (e.g. {0}:{1}) or a comma-separated list of codes"

COLUMNS_SPEC = SheetSpec(
    "columns",
    "Kolumny tabel działów (K1, K2, …), w kolejności.",
    "Columns of the sections' tables (K1, K2, …), in order.",
    (
        _section_col(),
        Col(
            "code",
            Kind.CODE,
            "Kod kolumny, np. K1.",
            "Column code, e.g. K1.",
            width=8,
            required=True,
        ),
        _text_col("label", "Nagłówek kolumny.", "Column heading.", width=30),
        _text_col("help", "Objaśnienie kolumny.", "Help text of the column.", width=30),
        Col(
            "type",
            Kind.ENUM,
            "Typ komórek: " + ", ".join(COLUMN_TYPES) + ".",
            "Type of the cells: " + ", ".join(COLUMN_TYPES) + ".",
            width=12,
            choices=COLUMN_TYPES,
            noun=("typ kolumny", "column type"),
        ),
        Col(
            "precision",
            Kind.INT,
            "Liczba miejsc po przecinku (typy decimal, percentage).",
            "Digits after the decimal point (types decimal, percentage).",
            width=10,
        ),
        _text_col("unit", "Jednostka.", "Unit.", width=12),
        Col(
            "total",
            Kind.TOTAL,
            "Suma kolumn: " + _RANGE_HELP_PL.format("K2", "K3") + ".",
            "Sum of columns: " + _RANGE_HELP_EN.format("K2", "K3") + ".",
            width=12,
        ),
        Col(
            "of_which",
            Kind.CODE,
            "„W tym”: kod kolumny nadrzędnej.",
            "“Of which”: code of the parent column.",
            width=10,
        ),
        Col("min", Kind.NUMBER, "Najmniejsza wartość komórki.", "Smallest cell value.", width=8),
        Col("max", Kind.NUMBER, "Największa wartość komórki.", "Largest cell value.", width=8),
        Col(
            "required",
            Kind.BOOL,
            "TAK: komórki kolumny obowiązkowe; NIE: puste dozwolone.",
            "TAK: the column's cells are required; NIE: blanks are allowed.",
            width=10,
        ),
    ),
    frozen_columns=2,
)

ROWS_SPEC = SheetSpec(
    "rows",
    "Wiersze tabel działów (W01, W02, …; wyszczególnienie), w kolejności.",
    "Rows of the sections' tables (W01, W02, …), in order.",
    (
        _section_col(),
        Col(
            "code",
            Kind.CODE,
            "Kod wiersza, np. W01.",
            "Row code, e.g. W01.",
            width=8,
            required=True,
        ),
        _text_col("label", "Wyszczególnienie.", "Row label.", width=40),
        _text_col("help", "Objaśnienie wiersza.", "Help text of the row.", width=30),
        Col(
            "total",
            Kind.TOTAL,
            "Suma wierszy: " + _RANGE_HELP_PL.format("W02", "W09") + ".",
            "Sum of rows: " + _RANGE_HELP_EN.format("W02", "W09") + ".",
            width=12,
        ),
        Col(
            "of_which",
            Kind.CODE,
            "„W tym”: kod wiersza nadrzędnego.",
            "“Of which”: code of the parent row.",
            width=10,
        ),
        Col(
            "blocked",
            Kind.LIST,
            "Kolumny zablokowane (przekreślone) w tym wierszu, po przecinku.",
            "Columns blocked (crossed out) in this row, comma-separated.",
            width=12,
        ),
        Col(
            "indent",
            Kind.INT,
            "Wcięcie wiersza „w tym” (0–2).",
            "Indentation of an “of which” row (0–2).",
            width=8,
        ),
    ),
    frozen_columns=2,
)

RULES_SPEC = SheetSpec(
    "rules",
    "Reguły poprawności, w kolejności: całego formularza (section puste) i działów.",
    "Validation rules, in order: of the whole form (section empty) and of sections.",
    (
        _section_col(required=False),
        Col(
            "id",
            Kind.CODE,
            "Identyfikator reguły, np. R01.",
            "Rule id, e.g. R01.",
            width=10,
            required=True,
        ),
        Col(
            "severity",
            Kind.ENUM,
            "Waga: error (blokuje wysłanie), warning (wymaga wyjaśnienia), info.",
            "Severity: error (blocks sending), warning (needs an explanation), info.",
            width=10,
            choices=SEVERITIES,
            noun=("rodzaj reguły", "rule severity"),
        ),
        Col(
            "expression",
            Kind.EXPR,
            "Warunek, który musi być spełniony.",
            "The condition that must hold.",
            width=40,
        ),
        _text_col(
            "message",
            "Komunikat, gdy warunek nie jest spełniony.",
            "The message shown when the condition fails.",
            width=45,
        ),
        Col(
            "missing",
            Kind.ENUM,
            "Puste wartości: " + ", ".join(MISSING_POLICIES) + ".",
            "Blank values: " + ", ".join(MISSING_POLICIES) + ".",
            width=18,
            choices=MISSING_POLICIES,
            noun=("sposób traktowania pustych wartości", "blank-value policy"),
        ),
        Col(
            "fields",
            Kind.LIST,
            "Pola, których dotyczy komunikat, po przecinku (domyślnie: wszystkie użyte).",
            "Fields the message concerns, comma-separated (default: every one used).",
            width=20,
        ),
    ),
    frozen_columns=2,
)

SHEETS = (FORM_SPEC, SECTIONS_SPEC, FIELDS_SPEC, CHOICES_SPEC, COLUMNS_SPEC, ROWS_SPEC, RULES_SPEC)
REQUIRED_SHEETS = ("form", "sections")

# Keys in the order of docs/form-format.md: the order the reader builds dicts in and the YAML
# writer emits them in.
TOP_KEYS = (
    "format",
    "code",
    "version",
    "title",
    "kind",
    "period",
    "levels",
    "entity_types",
    "accounts",
    "deadline",
    "header",
    "intro",
    "footer",
    "sections",
    "rules",
)
DEADLINE_KEYS = ("month", "day", "years_after_period", "days_after_period_end")
SECTION_KEYS = ("code", "title", "help", "relevant", "fields", "table", "rules")
FIELD_KEYS = (
    "code",
    "type",
    "label",
    "help",
    "unit",
    "required",
    "relevant",
    "choices",
    "min",
    "max",
    "precision",
    "max_length",
    "calculation",
)
CHOICE_KEYS = ("code", "label", "score")
TABLE_KEYS = ("columns", "rows", "min", "max", "required")
COLUMN_KEYS = (
    "code",
    "label",
    "help",
    "type",
    "precision",
    "unit",
    "total",
    "of_which",
    "min",
    "max",
    "required",
)
ROW_KEYS = ("code", "label", "help", "total", "of_which", "blocked", "indent")
RULE_KEYS = ("id", "severity", "expression", "message", "missing", "fields")
TEXT_KEYS = ("pl", "en")
# Section keys kept on the sections sheet under another name.
TABLE_COLUMNS = {"min": "table_min", "max": "table_max", "required": "table_required"}


# --------------------------------------------------------------------------------------------
# Cell values

# Characters an XML document cannot carry, plus CR (XML parsers turn it into LF).
_XML_UNSAFE = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff"
_OOXML_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
# What must be escaped: unsafe characters; an underscore that would start an escape; and the
# "x" of "x005F", because openpyxl deletes every "x005F_" it reads (half of Excel's escape).
_NEEDS_ESCAPE = re.compile(f"[{_XML_UNSAFE}]|_(?=x[0-9A-Fa-f]{{4}}_)|x(?=005F)")
_SEPARATORS = re.compile(r"[,;\n]")
_INT_TEXT = re.compile(r"[+-]?\d+")
_FLOAT_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")  # the schema's form, kept as written
_LOOSE_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_POLISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_FORMULA_START = ("=", "+", "-", "@")


def _escape(text: str) -> str:
    """OOXML string escaping (ECMA-376 ST_Xstring): ``_xhhhh_`` stands for a character.

    Lower-case hex digits keep the result free of "x005F_", which openpyxl would delete.
    Excel and LibreOffice show the characters themselves.
    """
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04x}_", text)


def _unescape(text: str) -> str:
    # One left-to-right pass: "_x005f_x0041_" is "_" followed by the literal "x0041_".
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_string(value: object) -> str:
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


def _shown(value: object) -> str:
    text = _as_string(value).replace("\n", " ")
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
    if _DATE_TEXT.fullmatch(text):
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
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


@dataclass(frozen=True)
class RawCell:
    value: object
    number_format: str = "General"


def _unknown(col: Col, word: str) -> _CellError:
    return _CellError(
        f"nieznany {col.noun[0]} «{_shown(word)}»; dozwolone: {', '.join(col.choices)}",
        f"unknown {col.noun[1]} «{_shown(word)}»; allowed: {', '.join(col.choices)}",
    )


def _read_value(cell: RawCell, col: Col, dates_as_text: bool = False) -> Any:
    """Convert one non-blank cell to the Python value of ``col``; raise _CellError if it can't."""
    value = _unescape(cell.value) if isinstance(cell.value, str) else cell.value
    kind = col.kind
    if kind in (Kind.EXPR, Kind.TEXT):
        return _as_string(value)
    if kind is Kind.CODE:
        if col.numeric_ok and isinstance(value, int) and not isinstance(value, bool):
            return value
        return _as_string(value).strip()
    if kind is Kind.ENUM:
        word = _as_string(value).strip()
        if word.lower() not in col.choices:
            raise _unknown(col, word)
        return word.lower()
    if kind is Kind.BOOL:
        return _read_bool(value)
    if kind is Kind.LIST:
        items = _split_list(_as_string(value))
        if col.choices:
            for item in items:
                if item.lower() not in col.choices:
                    raise _unknown(col, item)
            items = [item.lower() for item in items]
        return items
    if kind is Kind.TOTAL:
        text = _as_string(value).strip()
        if _SEPARATORS.search(text) or text == EMPTY_LIST:
            return _split_list(text)
        # A lone range stays the string it was in YAML; a lone code is a one-element list.
        return text if ":" in text else [text]
    if kind is Kind.MARK:
        if _as_string(value).strip() != EMPTY_LIST:
            raise _CellError(
                f"tu można wpisać tylko [] (jawnie pusta lista); elementy wpisuje się w arkuszu "
                f"{col.key}",
                f"only [] (an explicitly empty list) can go here; the items go in the {col.key} "
                "sheet",
            )
        return []
    if kind is Kind.DATE:
        return _read_date(value, dates_as_text)
    if kind is Kind.INT:
        return _read_int(value, cell.number_format)
    if kind is Kind.NUMBER:
        return _read_number(value, cell.number_format)
    # Kind.BOUND: a number, or a date for date fields
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and _parse_date_text(value) is not None
    ):
        return _read_date(value, dates_as_text)
    try:
        return _read_number(value, cell.number_format)
    except _CellError:
        raise _CellError(
            f"«{_shown(value)}» nie jest liczbą ani datą (rrrr-mm-dd)",
            f"«{_shown(value)}» is neither a number nor a date (yyyy-mm-dd)",
        ) from None


def _read_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = _as_string(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _CellError(
        f"«{_shown(value)}» nie jest wartością TAK/NIE",
        f"«{_shown(value)}» is not a yes/no value (TAK/NIE)",
    )


def _read_int(value: object, number_format: str) -> int:
    number = _read_number(value, number_format)
    if isinstance(number, float):
        if not number.is_integer():
            raise _CellError(
                f"«{_shown(value)}» nie jest liczbą całkowitą",
                f"«{_shown(value)}» is not a whole number",
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
    raise _CellError(f"«{_shown(value)}» nie jest liczbą", f"«{_shown(value)}» is not a number")


def _read_date(value: object, dates_as_text: bool) -> datetime.date | str:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise _CellError(
                f"«{_shown(value)}»: oczekiwano samej daty, bez godziny",
                f"«{_shown(value)}»: expected a date without a time of day",
            )
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat() if dates_as_text else value
    if isinstance(value, str) and (text := _parse_date_text(value)) is not None:
        return text
    raise _CellError(
        f"«{_shown(value)}» nie jest datą (rrrr-mm-dd)",
        f"«{_shown(value)}» is not a date (yyyy-mm-dd)",
    )


# --------------------------------------------------------------------------------------------
# Writing: checking that the dict can be represented


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _is_date(value: object) -> bool:
    return (
        isinstance(value, datetime.date)
        and not isinstance(value, datetime.datetime)
        and value >= EXCEL_FIRST_DATE
    )


def _is_date_text(value: object) -> bool:
    return isinstance(value, str) and bool(_DATE_TEXT.fullmatch(value))


def _is_code(value: object) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and value == value.strip()
        and value != EMPTY_LIST
        and not _SEPARATORS.search(value)
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fits_kind(value: object, col: Col) -> bool:
    kind = col.kind
    if kind is Kind.CODE:
        # A whole number beyond Excel's precision would be written as text and read as one.
        return _is_code(value) or (
            col.numeric_ok
            and isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) < 10**EXCEL_DIGITS
        )
    if kind is Kind.EXPR:
        return _is_text(value)
    if kind is Kind.TEXT:
        return (
            isinstance(value, Mapping)
            and set(value) == set(TEXT_KEYS)
            and all(_is_text(value[language]) for language in TEXT_KEYS)
        )
    if kind is Kind.ENUM:
        return isinstance(value, str) and value in col.choices
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.INT:
        return _is_int(value)
    if kind is Kind.NUMBER:
        return _is_number(value)
    if kind is Kind.BOUND:
        return _is_number(value) or _is_date(value) or _is_date_text(value)
    if kind is Kind.DATE:
        return _is_date(value) or _is_date_text(value)
    if kind is Kind.LIST:
        return isinstance(value, list) and all(
            _is_code(item) and (not col.choices or item in col.choices) for item in value
        )
    if kind is Kind.TOTAL:
        if isinstance(value, str):
            return _is_code(value) and ":" in value
        return isinstance(value, list) and bool(value) and all(_is_code(v) for v in value)
    return value == []  # Kind.MARK


_EXPECTED: dict[Kind, tuple[str, str]] = {
    Kind.CODE: (
        "niepusty kod bez spacji na brzegach, bez przecinków, średników i nowych wierszy",
        "a non-empty code without surrounding spaces, commas, semicolons or line breaks",
    ),
    Kind.EXPR: ("niepuste wyrażenie", "a non-empty expression"),
    Kind.TEXT: (
        "{pl: …, en: …} z niepustymi tekstami (same spacje to tekst pusty)",
        "{pl: …, en: …} with non-empty texts (only spaces count as empty)",
    ),
    Kind.BOOL: ("true albo false", "true or false"),
    Kind.INT: ("liczba całkowita", "a whole number"),
    Kind.NUMBER: ("liczba", "a number"),
    Kind.BOUND: (
        "liczba albo data rrrr-mm-dd (nie wcześniejsza niż 1900-03-01, której nie ma w Excelu)",
        "a number or a date yyyy-mm-dd (not before 1900-03-01, which Excel lacks)",
    ),
    Kind.DATE: (
        "data rrrr-mm-dd (nie wcześniejsza niż 1900-03-01, której nie ma w Excelu)",
        "a date yyyy-mm-dd (not before 1900-03-01, which Excel lacks)",
    ),
    Kind.LIST: ("lista kodów", "a list of codes"),
    Kind.TOTAL: ("zakres «A:B» albo niepusta lista kodów", "a range «A:B» or a list of codes"),
    Kind.MARK: ("lista", "a list"),
}


class _Checker:
    """Collects every way in which a dict cannot be written without loss."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, message_en: str) -> None:
        self.problems.append(Problem(message, message_en, path=path))

    def mapping(self, value: object, path: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(
                path, "oczekiwano mapowania (klucz: wartość)", "expected a mapping (key: value)"
            )
            return None
        for key in value:
            if key not in keys:
                self.add(
                    f"{path}.{key}" if path else str(key),
                    f"nieznany klucz; dozwolone: {', '.join(keys)}",
                    f"unknown key; allowed: {', '.join(keys)}",
                )
        return value

    def items(self, value: object, path: str, may_be_empty: bool = False) -> list[Any]:
        """A list of items (sections, fields, …), each one row of a sheet."""
        if not isinstance(value, list):
            self.add(path, "oczekiwano listy", "expected a list")
            return []
        if not value and not may_be_empty:
            self.add(
                path,
                "pusta lista nie ma zapisu w arkuszu: usuń klucz albo dodaj elementy",
                "an empty list has no spreadsheet form: remove the key or add items",
            )
        return value

    def value(self, value: object, path: str, col: Col) -> bool:
        if _fits_kind(value, col):
            return True
        shown = _shown(value) if not isinstance(value, Mapping | list) else repr(value)[:40]
        if col.kind is Kind.ENUM or (col.kind is Kind.LIST and col.choices):
            self.add(
                path,
                f"«{shown}»: dozwolone są {', '.join(col.choices)}",
                f"«{shown}»: allowed are {', '.join(col.choices)}",
            )
        elif col.kind is Kind.CODE and _is_number(value):
            self.add(
                path,
                f'{value!r} musi być tekstem: ujmij w cudzysłów ("{value}")',
                f'{value!r} must be text: put it in quotes ("{value}")',
            )
        else:
            expected_pl, expected_en = _EXPECTED[col.kind]
            self.add(
                path,
                f"oczekiwano: {expected_pl}; jest «{shown}»",
                f"expected {expected_en}; got «{shown}»",
            )
        return False


# A sheet row as {column key: value}, built while checking.
_Row = dict[str, Any]


@dataclass
class _Plan:
    form: _Row = field(default_factory=dict)
    rows: dict[str, list[_Row]] = field(default_factory=dict)


def _row_of(checker: _Checker, item: Mapping[str, Any], path: str, spec: SheetSpec) -> _Row:
    """The cells of ``item``'s row: every key that has a column of the same name."""
    row: _Row = {}
    for col in spec.columns:
        if col.key in item and col.kind is not Kind.MARK:
            checker.value(item[col.key], f"{path}.{col.key}" if path else col.key, col)
            row[col.key] = item[col.key]
    return row


def _plan(data: object) -> _Plan:
    checker = _Checker()
    plan = _Plan(rows={spec.name: [] for spec in SHEETS[1:]})
    top = checker.mapping(data, "", TOP_KEYS)
    if top is None:
        raise XlsxDefinitionError(checker.problems)

    plan.form = _row_of(checker, {k: v for k, v in top.items() if k != "deadline"}, "", FORM_SPEC)
    if "deadline" in top:
        deadline = top["deadline"]
        if isinstance(deadline, Mapping):
            if not deadline:
                checker.add("deadline", "pusty termin", "an empty deadline")
            for key in checker.mapping(deadline, "deadline", DEADLINE_KEYS) or {}:
                if key in DEADLINE_KEYS:
                    col = FORM_SPEC.column(f"deadline_{key}")
                    checker.value(deadline[key], f"deadline.{key}", col)
                    plan.form[col.key] = deadline[key]
        else:
            checker.value(deadline, "deadline", FORM_SPEC.column("deadline"))
            plan.form["deadline"] = deadline

    field_codes: set[object] = set()
    section_codes: set[object] = set()
    sections = checker.items(top["sections"], "sections") if "sections" in top else []
    for s, section in enumerate(sections):
        path = f"sections[{s}]"
        if checker.mapping(section, path, SECTION_KEYS) is None:
            continue
        code = section.get("code")
        if not checker.value(code, f"{path}.code", SECTIONS_SPEC.column("code")):
            continue
        if code in section_codes:
            checker.add(
                f"{path}.code",
                f"powtórzony kod działu «{code}»",
                f"duplicate section code «{code}»",
            )
        section_codes.add(code)
        row = _row_of(checker, section, path, SECTIONS_SPEC)
        plan.rows["sections"].append(row)
        for key in ("fields", "rules"):
            if section.get(key) == []:
                row[key] = []  # the "[]" mark: present, but empty
        if "table" in section:
            table = checker.mapping(section["table"], f"{path}.table", TABLE_KEYS)
            if table is not None:
                for key in ("columns", "rows"):
                    if key not in table:
                        checker.add(f"{path}.table.{key}", "brak klucza", "the key is missing")
                for key, column_key in TABLE_COLUMNS.items():
                    if key in table:
                        col = SECTIONS_SPEC.column(column_key)
                        checker.value(table[key], f"{path}.table.{key}", col)
                        row[column_key] = table[key]
                for key, spec, keys in (
                    ("columns", COLUMNS_SPEC, COLUMN_KEYS),
                    ("rows", ROWS_SPEC, ROW_KEYS),
                ):
                    if key in table:
                        _plan_items(
                            checker, plan, table[key], f"{path}.table.{key}", spec, keys, code
                        )
        for f, item in enumerate(checker.items(section.get("fields", []), f"{path}.fields", True)):
            item_path = f"{path}.fields[{f}]"
            if checker.mapping(item, item_path, FIELD_KEYS) is None:
                continue
            field_code = item.get("code")
            if not checker.value(field_code, f"{item_path}.code", FIELDS_SPEC.column("code")):
                continue
            if field_code in field_codes:
                checker.add(
                    f"{item_path}.code",
                    f"powtórzony kod pola «{field_code}»: kody pól są unikalne w formularzu",
                    f"duplicate field code «{field_code}»: field codes are unique in the form",
                )
            field_codes.add(field_code)
            field_row = _row_of(checker, item, item_path, FIELDS_SPEC)
            field_row["section"] = code
            plan.rows["fields"].append(field_row)
            if "choices" in item:
                _plan_items(
                    checker,
                    plan,
                    item["choices"],
                    f"{item_path}.choices",
                    CHOICES_SPEC,
                    CHOICE_KEYS,
                    field_code,
                    link="field",
                )
        if section.get("rules"):
            _plan_items(
                checker, plan, section["rules"], f"{path}.rules", RULES_SPEC, RULE_KEYS, code
            )
    if "rules" in top:
        if top["rules"] == []:
            plan.form["rules"] = []
        else:
            _plan_items(checker, plan, top["rules"], "rules", RULES_SPEC, RULE_KEYS, None)
    if checker.problems:
        raise XlsxDefinitionError(checker.problems)
    return plan


def _plan_items(
    checker: _Checker,
    plan: _Plan,
    items: object,
    path: str,
    spec: SheetSpec,
    keys: Sequence[str],
    owner: object,
    link: str = "section",
) -> None:
    identity = spec.column("id" if spec is RULES_SPEC else "code")
    for i, item in enumerate(checker.items(items, path)):
        item_path = f"{path}[{i}]"
        if checker.mapping(item, item_path, keys) is None:
            continue
        if identity.key not in item:
            checker.add(f"{item_path}.{identity.key}", "brak klucza", "the key is missing")
        row = _row_of(checker, item, item_path, spec)
        if owner is not None:
            row[link] = owner
        plan.rows[spec.name].append(row)


# --------------------------------------------------------------------------------------------
# Writing: the workbook

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
_NOTE_FONT = Font(italic=True, color="555555")
_TOP = Alignment(vertical="top")
_WRAPPED = Alignment(vertical="top", wrap_text=True)


def write_xlsx(data: Mapping[str, Any]) -> bytes:
    """The workbook of a definition dict, as XLSX bytes.

    Raises :class:`XlsxDefinitionError` (problems with ``path``) for a dict the workbook could
    not give back unchanged.
    """
    plan = _plan(data)
    workbook = openpyxl.Workbook()
    _write_instructions(workbook.active)
    _write_form(workbook.create_sheet(FORM_SPEC.name), plan.form)
    for spec in SHEETS[1:]:
        _write_table(workbook.create_sheet(spec.name), spec, plan.rows[spec.name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell: Cell, value: object, kind: Kind) -> None:
    """Store a Python value so that :func:`_read_value` gives it back unchanged."""
    if kind is Kind.BOOL:
        value = TRUE_CELL if value else FALSE_CELL
    elif isinstance(value, list):
        if not value:
            value = EMPTY_LIST
        elif kind is Kind.TOTAL and len(value) == 1 and ":" in value[0]:
            value = value[0] + ","  # a one-range list, not the range string itself
        else:
            value = ", ".join(value)
    if isinstance(value, str):
        _put_text(cell, value)
    elif isinstance(value, int | float):
        if isinstance(value, int):
            exact = abs(value) < 10**EXCEL_DIGITS
        else:  # -0.0 would come back as 0.0
            exact = float(f"{value:.{EXCEL_DIGITS}g}") == value and math.copysign(1, value) > 0
        if not exact:
            _put_text(cell, repr(value))  # read back as a number typed as text
            return
        cell.value = value
        if isinstance(value, float) and value.is_integer():
            cell.number_format = FLOAT_FORMAT
        cell.alignment = _TOP
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        cell.alignment = _TOP


def _put_text(cell: Cell, text: str) -> None:
    cell.value = _escape(text)
    # openpyxl (and Excel on typing) would make "=…" a formula; this cell holds text.
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    cell.alignment = _WRAPPED if len(text) > 30 or "\n" in text else _TOP


def _style_header(sheet: Worksheet, headers: Sequence[str], notes: Sequence[str]) -> None:
    for index, (header, note) in enumerate(zip(headers, notes, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP
        if note:
            cell.comment = Comment(note, "SSOZ", height=140, width=320)


def _width(sheet: Worksheet, index: int, width: int, text_column: bool) -> None:
    dimension = sheet.column_dimensions[get_column_letter(index)]
    dimension.width = width
    if text_column:
        # Cells typed later in the column stay text: "0" or "01" must not become numbers.
        dimension.number_format = TEXT_FORMAT


def _validate(sheet: Worksheet, cells: str, choices: Sequence[str], title: str) -> None:
    """A drop-down list of the allowed values for ``cells`` (a range such as "C2:C1000")."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # the reader also accepts e.g. "tak" or "true": only a warning
        errorTitle=title,
        error="Wybierz wartość z listy. / Choose a value from the list.",
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _write_table(sheet: Worksheet, spec: SheetSpec, rows: Sequence[_Row]) -> None:
    columns = [
        col for col in spec.columns if not col.on_demand or any(col.key in row for row in rows)
    ]
    layout: list[tuple[Col, str | None]] = [
        (col, language)
        for col in columns
        for language in (TEXT_KEYS if col.kind is Kind.TEXT else (None,))
    ]
    _style_header(
        sheet,
        [col.key if language is None else f"{col.key}_{language}" for col, language in layout],
        [f"{col.pl}\n\n{col.en}" for col, _language in layout],
    )
    for index, (col, _language) in enumerate(layout, start=1):
        text_column = col.kind in (Kind.CODE, Kind.EXPR, Kind.TEXT, Kind.ENUM, Kind.LIST)
        _width(sheet, index, col.width, text_column)
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{max(VALIDATED_ROWS, len(rows) + VALIDATED_ROWS // 5)}"
        if col.kind is Kind.ENUM:
            _validate(sheet, cells, col.choices, col.key)
        elif col.kind is Kind.BOOL:
            _validate(sheet, cells, (TRUE_CELL, FALSE_CELL), col.key)
    for row_index, row in enumerate(rows, start=2):
        for index, (col, language) in enumerate(layout, start=1):
            if col.key in row:
                value = row[col.key] if language is None else row[col.key][language]
                _put(sheet.cell(row=row_index, column=index), value, col.kind)
    sheet.freeze_panes = sheet.cell(row=2, column=spec.frozen_columns + 1)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(layout))}{max(len(rows) + 1, 2)}"


def _write_form(sheet: Worksheet, form: Mapping[str, Any]) -> None:
    _style_header(
        sheet,
        ("key", "value", "# opis / description"),
        (
            "Nazwa ustawienia; nie zmieniaj. / Name of the setting; do not change.",
            "Wartość; pusta: klucz pominięty. / The value; empty: the key is absent.",
            "Objaśnienia (nagłówek zaczyna się od #, więc kolumna jest pomijana). / "
            "Explanations (the header starts with #, so the column is ignored).",
        ),
    )
    _width(sheet, 1, 30, text_column=True)
    _width(sheet, 2, 50, text_column=False)
    _width(sheet, 3, 70, text_column=False)
    row_index = 2
    for col in FORM_SPEC.columns:
        if col.on_demand and col.key not in form:
            continue
        for language in TEXT_KEYS if col.kind is Kind.TEXT else (None,):
            _put_text(
                sheet.cell(row=row_index, column=1), col.headers()[0 if language != "en" else 1]
            )
            if col.key in form:
                value = form[col.key] if language is None else form[col.key][language]
                _put(sheet.cell(row=row_index, column=2), value, col.kind)
            if col.kind is Kind.ENUM:
                _validate(sheet, f"B{row_index}", col.choices, col.key)
            note = sheet.cell(row=row_index, column=3, value=f"{col.pl} / {col.en}")
            note.font = _NOTE_FONT
            note.alignment = _WRAPPED
            row_index += 1
    sheet.freeze_panes = "B2"


_INSTRUCTION_HEADINGS = (
    "O skoroszycie / About",
    "Zasady / Conventions",
    "Przekształcanie / Converting",
)
_INSTRUCTIONS_PL = (
    "Definicja formularza SSOZ w postaci arkusza",
    "Ten skoroszyt to jedna wersja jednego formularza. Każdy arkusz to jedna lista; każdy "
    "wiersz to jeden element, w kolejności, w jakiej pojawi się w formularzu. Kolumny są "
    "rozpoznawane po nagłówku w pierwszym wierszu, więc ich kolejność nie ma znaczenia; "
    "puste wiersze są pomijane.",
    "Pusta komórka oznacza brak wartości (ustawienie domyślne). TAK/NIE: wartości logiczne. "
    "Listy: kody rozdzielone przecinkami; [] to lista pusta. Teksty mają dwie kolumny: …_pl "
    "(po polsku) i …_en (po angielsku); obie są wymagane, a wiele wierszy w komórce wpisuje się "
    "klawiszami Alt+Enter. Daty: rrrr-mm-dd. Tekst zaczynający się od = jest tekstem, nie "
    "formułą. Arkusze i kolumny, których nazwa zaczyna się od #, są pomijane: można w nich "
    "trzymać notatki.",
    "manage.py convert_definition plik.xlsx plik.yaml zamienia skoroszyt na plik YAML, a "
    "manage.py convert_definition plik.yaml plik.xlsx odwrotnie; nic się przy tym nie gubi.",
)
_INSTRUCTIONS_EN = (
    "An SSOZ form definition as a spreadsheet",
    "This workbook is one version of one form. Each sheet is one list; each row is one item, "
    "in the order it appears in the form. Columns are found by their header in the first row, "
    "so their order does not matter; blank rows are skipped.",
    "An empty cell means no value (the default). TAK/NIE: yes/no values. Lists: codes "
    "separated by commas; [] is an empty list. Texts have two columns: …_pl (Polish) and …_en "
    "(English); both are required, and Alt+Enter starts a new line inside a cell. Dates: "
    "yyyy-mm-dd. A text starting with = is text, not a formula. Sheets and columns whose name "
    "starts with # are ignored: keep notes there.",
    "manage.py convert_definition file.xlsx file.yaml turns the workbook into a YAML file, and "
    "manage.py convert_definition file.yaml file.xlsx the other way; nothing is lost.",
)


def _write_instructions(sheet: Worksheet) -> None:
    sheet.title = INSTRUCTION_SHEET
    widths = (14, 30, 60, 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merge_cells("A1:D1")
    title = sheet.cell(row=1, column=1, value=f"{_INSTRUCTIONS_PL[0]} / {_INSTRUCTIONS_EN[0]}")
    title.font = Font(bold=True, size=14)
    row_index = 2
    # The general notes: a heading across A–B, the Polish text in C, the English one in D.
    for heading, pl, en in zip(
        _INSTRUCTION_HEADINGS, _INSTRUCTIONS_PL[1:], _INSTRUCTIONS_EN[1:], strict=True
    ):
        sheet.merge_cells(start_row=row_index, start_column=1, end_row=row_index, end_column=2)
        for column, text in ((1, heading), (3, pl), (4, en)):
            cell = sheet.cell(row=row_index, column=column, value=text)
            cell.alignment = _WRAPPED
            if column == 1:
                cell.font = _HEADER_FONT
        # Rows do not grow by themselves when a file is written: give each paragraph room.
        lines = max(math.ceil(len(pl) / (widths[2] - 8)), math.ceil(len(en) / (widths[3] - 8)))
        sheet.row_dimensions[row_index].height = 15 * max(lines, 1)
        row_index += 1
    row_index += 1
    for index, text in enumerate(
        ("arkusz / sheet", "kolumna / column", "opis", "description"), start=1
    ):
        cell = sheet.cell(row=row_index, column=index, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    row_index += 1
    for spec in SHEETS:
        lines_of_sheet: list[tuple[str, str, str, str]] = [(spec.name, "", spec.pl, spec.en)]
        if spec is FORM_SPEC:
            lines_of_sheet.append(
                ("", "key", "Nazwa ustawienia (poniżej).", "Name of the setting (below).")
            )
            lines_of_sheet.append(("", "value", "Wartość ustawienia.", "Value of the setting."))
        for col in spec.columns:
            name = ", ".join(col.headers())
            lines_of_sheet.append(
                ("", f"key = {name}" if spec is FORM_SPEC else name, col.pl, col.en)
            )
        for line in lines_of_sheet:
            for index, text in enumerate(line, start=1):
                cell = sheet.cell(row=row_index, column=index, value=text or None)
                cell.alignment = _WRAPPED
                if index == 1:
                    cell.font = _HEADER_FONT
            row_index += 1


# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Reader:
    dates_as_text: bool = False
    problems: list[Problem] = field(default_factory=list)

    def add(
        self, sheet: str | None, row: int | None, column: str | None, message: str, en: str
    ) -> None:
        self.problems.append(Problem(message, en, sheet=sheet, row=row, column=column))


@dataclass
class _ReadRow:
    number: int
    values: dict[str, Any]


def read_xlsx(content: bytes, *, dates_as_text: bool = False) -> dict[str, Any]:
    """The definition dict of an XLSX workbook written by :func:`write_xlsx` (and then perhaps
    edited in Excel or LibreOffice). Raises :class:`XlsxDefinitionError` listing every problem.

    Date cells become ``datetime.date`` (as ``yaml.safe_load`` gives them), or with
    ``dates_as_text`` the text ``RRRR-MM-DD`` that the loader and the JSON Schema expect.
    Dates in text cells stay text either way.
    """
    workbook = _open(content)
    reader = _Reader(dates_as_text=dates_as_text)
    sheets: dict[str, Worksheet] = {}
    known = {spec.name for spec in SHEETS}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        if name in known:
            sheets[name] = sheet
        elif name != INSTRUCTION_SHEET and not name.startswith(NOTE_PREFIX):
            reader.add(
                sheet.title,
                None,
                None,
                "nieznany arkusz; dozwolone: "
                + ", ".join(spec.name for spec in SHEETS)
                + " (i arkusze z nazwą zaczynającą się od #)",
                "unknown sheet; allowed: "
                + ", ".join(spec.name for spec in SHEETS)
                + " (and sheets whose name starts with #)",
            )
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            reader.add(name, None, None, "brak arkusza", "the sheet is missing")
    if reader.problems:
        raise XlsxDefinitionError(reader.problems)

    form = _read_form(reader, sheets["form"])
    tables = {spec.name: _read_rows(reader, sheets.get(spec.name), spec) for spec in SHEETS[1:]}
    data = _assemble(reader, form, tables)
    if reader.problems:
        raise XlsxDefinitionError(sorted(reader.problems, key=_reading_order))
    return data


def _reading_order(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the sheets and rows, as a person goes through the workbook."""
    ranks = {spec.name: rank for rank, spec in enumerate(SHEETS, start=1)}
    return ranks.get((problem.sheet or "").lower(), 0), problem.row or 0


def _open(content: bytes) -> openpyxl.Workbook:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise XlsxDefinitionError(
            [
                Problem(
                    "plik nie jest skoroszytem XLSX (nie jest archiwum ZIP); zapisz go w Excelu "
                    "lub LibreOffice jako „Skoroszyt programu Excel (.xlsx)”",
                    "the file is not an XLSX workbook (not a ZIP archive); save it in Excel or "
                    "LibreOffice as “Excel Workbook (.xlsx)”",
                )
            ]
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops (e.g. unsupported extensions): irrelevant here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(content))
    except Exception as exc:  # a damaged file fails in many ways; each is reported alike
        raise XlsxDefinitionError(
            [
                Problem(
                    f"nie można otworzyć skoroszytu XLSX ({type(exc).__name__}: {exc})",
                    f"the XLSX workbook cannot be opened ({type(exc).__name__}: {exc})",
                )
            ]
        ) from exc


def _raw(cell: Cell) -> RawCell:
    value = cell.value
    if value is not None and not isinstance(value, str | int | float | datetime.date):
        value = str(value)  # times of day, errors, …
    return RawCell(value, cell.number_format or "General")


def _normal_header(value: object) -> str:
    text = _unescape(_as_string(value)) if value is not None else ""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _headers(reader: _Reader, sheet: Worksheet, allowed: Sequence[str]) -> dict[str, int]:
    """Header name → column index (1-based), reporting unknown and repeated headers."""
    found: dict[str, int] = {}
    for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()):
        name = _normal_header(cell.value)
        if not name or name.startswith(NOTE_PREFIX):
            continue
        letter = get_column_letter(cell.column)
        if name not in allowed:
            reader.add(
                sheet.title,
                1,
                letter,
                f"nieznana kolumna «{name}»; dozwolone: {', '.join(allowed)} (i kolumny "
                "z nagłówkiem zaczynającym się od #)",
                f"unknown column «{name}»; allowed: {', '.join(allowed)} (and columns whose "
                "header starts with #)",
            )
        elif name in found:
            reader.add(
                sheet.title,
                1,
                letter,
                f"kolumna «{name}» występuje dwa razy",
                f"column «{name}» appears twice",
            )
        else:
            found[name] = cell.column
    return found


def _read_rows(reader: _Reader, sheet: Worksheet | None, spec: SheetSpec) -> list[_ReadRow]:
    if sheet is None:
        return []
    if all(_is_blank(cell.value) for row in sheet.iter_rows() for cell in row):
        return []  # an optional sheet emptied altogether, headers included
    found = _headers(reader, sheet, [header for col in spec.columns for header in col.headers()])
    for col in spec.columns:
        if col.required and col.key not in found:
            reader.add(sheet.title, 1, col.key, "brak kolumny", "the column is missing")
    rows: list[_ReadRow] = []
    for cells in sheet.iter_rows(min_row=2):
        by_header = {
            header: _raw(cells[index - 1]) for header, index in found.items() if index <= len(cells)
        }
        if all(_is_blank(raw.value) for raw in by_header.values()):
            continue  # blank lines between groups and Excel's trailing empty rows
        number = cells[0].row
        values: dict[str, Any] = {}
        for col in spec.columns:
            value = _read_col(reader, sheet.title, number, col, by_header)
            if value is not None:
                values[col.key] = value
            elif col.required:
                reader.add(sheet.title, number, col.key, "brak wartości", "the value is missing")
        rows.append(_ReadRow(number, values))
    return rows


def _read_col(
    reader: _Reader,
    sheet: str,
    number: int | Mapping[str, int],
    col: Col,
    cells: Mapping[str, RawCell],
    column: str | None = None,
) -> Any:
    """The value of ``col`` in a row (None: absent), reporting bad cells.

    ``number`` is the sheet row, or for the form sheet the row of each key; ``column`` names the
    column problems are reported in when it is not the key's own (the form sheet's "value").
    """

    def where(header: str) -> tuple[int | None, str]:
        row = number.get(header) if isinstance(number, Mapping) else number
        return row, column or header

    if col.kind is Kind.TEXT:
        halves = {}
        for language, header in zip(TEXT_KEYS, col.headers(), strict=True):
            raw = cells.get(header)
            if raw is not None and not _is_blank(raw.value):
                halves[language] = _read_value(raw, col)
        if not halves:
            return None
        if len(halves) == 1:
            missing = next(
                h for h, lang in zip(col.headers(), TEXT_KEYS, strict=True) if lang not in halves
            )
            present = next(h for h in col.headers() if h != missing)
            row, name = where(missing)
            if row is None:  # the form sheet has no row for it: point at the other half
                row, name = where(present)
            reader.add(
                sheet,
                row,
                name,
                f"brak {missing}: tekst musi mieć wersję polską i angielską",
                f"{missing} is missing: a text needs a Polish and an English version",
            )
            return None
        return {language: halves[language] for language in TEXT_KEYS}
    raw = cells.get(col.key)
    if raw is None or _is_blank(raw.value):
        return None
    try:
        return _read_value(raw, col, reader.dates_as_text)
    except _CellError as error:
        row, name = where(col.key)
        prefix = f"{col.key}: " if column else ""
        reader.add(sheet, row, name, prefix + error.message, prefix + error.message_en)
        return None


def _read_form(reader: _Reader, sheet: Worksheet) -> dict[str, Any]:
    """The form sheet as {column key: value} (deadline_… and rules still flat)."""
    found = _headers(reader, sheet, ("key", "value"))
    for name in ("key", "value"):
        if name not in found:
            reader.add(sheet.title, 1, name, "brak kolumny", "the column is missing")
    if "key" not in found or "value" not in found:
        return {}
    known = [header for col in FORM_SPEC.columns for header in col.headers()]
    cells: dict[str, RawCell] = {}
    rows: dict[str, int] = {}
    key_index, value_index = found["key"] - 1, found["value"] - 1
    for row in sheet.iter_rows(min_row=2):
        number = row[0].row
        key = _normal_header(row[key_index].value) if key_index < len(row) else ""
        value = _raw(row[value_index]) if value_index < len(row) else RawCell(None)
        if not key:
            if not _is_blank(value.value):
                reader.add(
                    sheet.title, number, "key", "wartość bez klucza", "a value without a key"
                )
            continue
        if key.startswith(NOTE_PREFIX):
            continue
        if key not in known:
            reader.add(
                sheet.title,
                number,
                "key",
                f"nieznany klucz «{key}»; dozwolone: {', '.join(known)}",
                f"unknown key «{key}»; allowed: {', '.join(known)}",
            )
        elif key in rows:
            reader.add(
                sheet.title,
                number,
                "key",
                f"klucz «{key}» występuje dwa razy (także w wierszu {rows[key]})",
                f"key «{key}» appears twice (also in row {rows[key]})",
            )
        else:
            cells[key] = value
            rows[key] = number
    form: dict[str, Any] = {}
    for col in FORM_SPEC.columns:
        value = _read_col(reader, sheet.title, rows, col, cells, column="value")
        if value is not None:
            form[col.key] = value
    if "deadline" in form and any(key.startswith("deadline_") for key in form):
        reader.add(
            sheet.title,
            rows["deadline"],
            "value",
            "termin podano dwa razy: jako datę i jako deadline_…; zostaw jedno",
            "the deadline is given twice: as a date and as deadline_…; keep one",
        )
    return form


def _assemble(
    reader: _Reader, form: Mapping[str, Any], tables: Mapping[str, list[_ReadRow]]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in TOP_KEYS:
        if key in form:
            data[key] = form[key]
    deadline = {key: form[f"deadline_{key}"] for key in DEADLINE_KEYS if f"deadline_{key}" in form}
    if deadline and "deadline" not in data:
        data["deadline"] = deadline

    # (section code, key) of lists that a "[]" mark declares empty; "" is the whole form.
    marked: set[tuple[str, str]] = {("", "rules")} if "rules" in data else set()
    sections: dict[str, dict[str, Any]] = {}
    section_rows: dict[str, int] = {}
    for row in tables["sections"]:
        code = row.values.get("code")
        if code is None:
            continue
        if code in sections:
            reader.add(
                "sections",
                row.number,
                "code",
                f"powtórzony kod działu «{code}» (także w wierszu {section_rows[code]})",
                f"duplicate section code «{code}» (also in row {section_rows[code]})",
            )
            continue
        section = {key: row.values[key] for key in SECTION_KEYS if key in row.values}
        marked.update((code, key) for key in ("fields", "rules") if key in section)
        table = {
            key: row.values[column] for key, column in TABLE_COLUMNS.items() if column in row.values
        }
        if table:
            section["table"] = table
        sections[code] = section
        section_rows[code] = row.number

    def owner(sheet: str, row: _ReadRow) -> dict[str, Any] | None:
        code = row.values.get("section")
        if code is None:
            return None
        if code not in sections:
            reader.add(
                sheet,
                row.number,
                "section",
                f"nieznany dział «{code}» (nie ma go w arkuszu sections)",
                f"unknown section «{code}» (not in the sections sheet)",
            )
            return None
        return sections[code]

    fields: dict[object, dict[str, Any]] = {}
    field_rows: dict[object, int] = {}
    # Every code in the fields sheet: when its row had an error, that was reported already and
    # its choices are not blamed for it again.
    faulty_fields = {row.values["code"] for row in tables["fields"] if "code" in row.values}
    for row in tables["fields"]:
        section = owner("fields", row)
        code = row.values.get("code")
        if section is None or code is None:
            continue
        if code in fields:
            reader.add(
                "fields",
                row.number,
                "code",
                f"powtórzony kod pola «{code}» (także w wierszu {field_rows[code]}); kody pól "
                "są unikalne w całym formularzu",
                f"duplicate field code «{code}» (also in row {field_rows[code]}); field codes "
                "are unique in the whole form",
            )
            continue
        item = {key: row.values[key] for key in FIELD_KEYS if key in row.values}
        marks = (row.values["section"], "fields") in marked
        _append(reader, section, "fields", item, ("fields", row.number), marks)
        fields[code] = item
        field_rows[code] = row.number

    for row in tables["choices"]:
        code = row.values.get("field")
        if code is None or "code" not in row.values:
            continue
        if code not in fields:
            if code not in faulty_fields:
                reader.add(
                    "choices",
                    row.number,
                    "field",
                    f"nieznane pole «{code}» (nie ma go w arkuszu fields)",
                    f"unknown field «{code}» (not in the fields sheet)",
                )
            continue
        choice = {key: row.values[key] for key in CHOICE_KEYS if key in row.values}
        fields[code].setdefault("choices", []).append(choice)

    for name, keys in (("columns", COLUMN_KEYS), ("rows", ROW_KEYS)):
        for row in tables[name]:
            section = owner(name, row)
            if section is None or "code" not in row.values:
                continue
            item = {key: row.values[key] for key in keys if key in row.values}
            section.setdefault("table", {}).setdefault(name, []).append(item)

    for row in tables["rules"]:
        if "id" not in row.values:
            continue
        rule = {key: row.values[key] for key in RULE_KEYS if key in row.values}
        where = ("rules", row.number)
        if "section" in row.values:
            section = owner("rules", row)
            if section is not None:
                marks = (row.values["section"], "rules") in marked
                _append(reader, section, "rules", rule, where, marks)
        else:
            _append(reader, data, "rules", rule, where, ("", "rules") in marked)

    if sections:
        data["sections"] = []
        for section in sections.values():
            if "table" in section:
                section["table"] = _ordered(section["table"], TABLE_KEYS)
            for item in section.get("fields", ()):
                # choices were added after the other keys; put them back in their place
                ordered = _ordered(item, FIELD_KEYS)
                item.clear()
                item.update(ordered)
            data["sections"].append(_ordered(section, SECTION_KEYS))
    return _ordered(data, TOP_KEYS)


def _append(
    reader: _Reader,
    container: dict[str, Any],
    key: str,
    item: dict[str, Any],
    row: tuple[str, int],
    marked: bool,
) -> None:
    """Add an item of a sheet row to a list, unless a "[]" mark declared the list empty."""
    if marked:
        sheet, number = row
        reader.add(
            sheet,
            number,
            None,
            f"lista {key} jest oznaczona jako pusta ([]), a ten wiersz do niej należy; usuń [] "
            "albo ten wiersz",
            f"the {key} list is marked empty ([]) but this row belongs to it; remove the [] or "
            "this row",
        )
        return
    container.setdefault(key, []).append(item)


def _ordered(item: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {key: item[key] for key in keys if key in item}


# --------------------------------------------------------------------------------------------
# YAML


KEY_ORDER: dict[str, tuple[str, ...]] = {
    "top": TOP_KEYS,
    "deadline": DEADLINE_KEYS,
    "section": SECTION_KEYS,
    "field": FIELD_KEYS,
    "choice": CHOICE_KEYS,
    "table": TABLE_KEYS,
    "column": COLUMN_KEYS,
    "row": ROW_KEYS,
    "rule": RULE_KEYS,
    "text": TEXT_KEYS,
}
# Which kind of mapping sits under a key: the key names tell the nesting.
_CHILD: dict[tuple[str, str], str] = {
    ("top", "deadline"): "deadline",
    ("top", "sections"): "section",
    ("top", "rules"): "rule",
    ("section", "fields"): "field",
    ("section", "table"): "table",
    ("section", "rules"): "rule",
    ("field", "choices"): "choice",
    ("table", "columns"): "column",
    ("table", "rows"): "row",
}
_TEXT_KEYS_BY_KIND: dict[str, frozenset[str]] = {
    "top": frozenset({"title", "intro", "footer"}),
    "section": frozenset({"title", "help"}),
    "field": frozenset({"label", "help", "unit"}),
    "choice": frozenset({"label"}),
    "column": frozenset({"label", "help", "unit"}),
    "row": frozenset({"label", "help"}),
    "rule": frozenset({"message"}),
}
# Items short enough for one line are written as flow mappings, as in docs/form-format.md.
_FLOW_KINDS = frozenset({"text", "choice", "column", "row", "deadline"})
FLOW_WIDTH = 100


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping to be written on one line: {code: K1, label: {...}}."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list of scalars to be written on one line: [entity, unit]."""


def canonical_order(data: Any, kind: str = "top") -> Any:
    """A copy of a definition with every mapping's keys in the order of docs/form-format.md
    (unknown keys after the known ones, in their own order)."""
    if isinstance(data, Mapping):
        order = KEY_ORDER.get(kind, ())
        keys = [key for key in order if key in data] + [key for key in data if key not in order]
        texts = _TEXT_KEYS_BY_KIND.get(kind, frozenset())
        return {
            key: canonical_order(data[key], "text" if key in texts else _CHILD.get((kind, key), ""))
            for key in keys
        }
    if isinstance(data, list):
        return [canonical_order(item, kind) for item in data]
    return data


def _styled(data: Any, kind: str, inline: int, block: int) -> Any:
    """Wrap short mappings and lists in the classes the YAML dumper writes on one line.

    ``inline`` is the column where the value would start on its key's line, ``block`` the
    column of its content when written as a block (the dumper indents by two).
    """
    if isinstance(data, Mapping):
        if kind in _FLOW_KINDS and _fits(data, inline):
            return _Flow(data)
        texts = _TEXT_KEYS_BY_KIND.get(kind, frozenset())
        return {
            key: _styled(
                value,
                "text" if key in texts else _CHILD.get((kind, key), ""),
                block + len(str(key)) + 2,
                block + (4 if isinstance(value, list) else 2),
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        if all(not isinstance(item, Mapping | list) for item in data) and _fits(data, inline):
            return _FlowList(data)
        return [_styled(item, kind, block, block) for item in data]
    return data


def _fits(data: Any, column: int) -> bool:
    """Whether ``data`` written on one line from ``column`` stays within FLOW_WIDTH."""
    if _has_newline(data):
        return False
    line = yaml.dump(data, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=10**9)
    return column + len(line.strip()) <= FLOW_WIDTH


def _has_newline(data: Any) -> bool:
    if isinstance(data, str):
        return "\n" in data or bool(_ODD_BREAKS.search(data))
    if isinstance(data, Mapping):
        return any(_has_newline(value) for value in data.values())
    if isinstance(data, list):
        return any(_has_newline(item) for item in data)
    return False


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # "sections:\n  - code: D1", as people write it, rather than PyYAML's flush "- ".
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        if style == "'" and self.analysis is not None and self.analysis.multiline:
            # PyYAML's single-quoted multi-line strings fold lines; double quotes keep them.
            return '"'
        return style


# Line breaks other than LF: PyYAML's block and single-quoted styles mangle them (NEL, for one,
# comes back as LF), so texts with them are double-quoted, where they are escapes.
_ODD_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = None
    if _ODD_BREAKS.search(text):
        style = '"'
    elif "\n" in text:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Readable YAML of a definition: block style, keys in the canonical order, short texts,
    items and code lists on one line, multi-line texts as literal blocks; loads back equal."""
    styled = _styled(canonical_order(data), "top", 0, 0)
    return yaml.dump(
        styled,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**9,  # never fold long lines: one text, one line
    )
