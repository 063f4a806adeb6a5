"""The sheets of a definition workbook: what each holds, column by column.

The sheets of sections, fields, choices, table columns and rows and rules are built for a
:class:`~.spec.Part`: once for the form, once for its repeating records, whose sheets are the
same with names starting with ``records_`` and explanations naming them."""

from __future__ import annotations

from dataclasses import dataclass

from .spec import (
    ACCOUNTS,
    COLUMN_TYPES,
    FIELD_TYPES,
    FORM_PART,
    KINDS,
    LEVELS,
    MISSING_POLICIES,
    PERIODS,
    RECORDS_PART,
    RECORDS_SHEET,
    SEVERITIES,
    Col,
    Kind,
    Part,
    SheetSpec,
    empty_mark,
    listing_col,
    section_col,
    text_col,
)

# Fields and table columns give their precision alike.
_PRECISION = Col(
    "precision",
    Kind.INT,
    "Liczba miejsc po przecinku (typy decimal, percentage; money: 2 dla kwot z groszami).",
    "Digits after the decimal point (types decimal, percentage; money: 2 for amounts in grosze).",
    width=10,
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
        text_col("title", "Tytuł formularza.", "Title of the form."),
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
            "Okres sprawozdawczy: year, quarter albo month.",
            "Reporting period: year, quarter or month.",
            choices=PERIODS,
            noun=("okres sprawozdawczy", "reporting period"),
        ),
        Col(
            "cumulative",
            Kind.BOOL,
            "TAK: dane narastająco od początku roku (kwartalne formularze finansowe).",
            "TAK: figures cumulative from the start of the year (quarterly financial forms).",
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
            "zero_report",
            Kind.BOOL,
            "TAK: podmiot, który nie ma nic do wykazania, wysyła sprawozdanie zerowe.",
            "TAK: an entity with nothing to report sends a zero report.",
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
        text_col("intro", "Wstęp wyświetlany nad formularzem.", "Introduction above the form."),
        text_col("footer", "Tekst pod formularzem.", "Text below the form."),
        empty_mark("rules", "reguł", "rules", "rules"),
    ),
)


def _sections(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("sections"),
        f"Działy {part.pl}, w kolejności; jeden wiersz na dział.",
        f"Sections of the {part.en}, in order; one row per section.",
        (
            Col(
                "code",
                Kind.CODE,
                "Kod działu, np. D1 (unikalny).",
                "Section code, e.g. D1 (unique).",
                width=10,
                required=True,
            ),
            text_col("title", "Tytuł działu.", "Section title."),
            text_col("help", "Objaśnienia do działu.", "Help text of the section.", width=50),
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
                "Tabela działu: TAK, gdy każda komórka jest obowiązkowa; NIE, gdy puste są "
                "dozwolone.",
                "The section's table: TAK when every cell is required; NIE when blanks are "
                "allowed.",
                width=11,
            ),
            empty_mark("fields", "pól", "fields", part.sheet("fields")),
            empty_mark("rules", "reguł", "rules", part.sheet("rules")),
        ),
        frozen_columns=1,
    )


def _fields(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("fields"),
        f"Pytania (pola) działów {part.pl}, w kolejności; jeden wiersz na pole.",
        f"Questions (fields) of the {part.en}'s sections, in order; one row per field.",
        (
            section_col(part),
            Col(
                "code",
                Kind.CODE,
                f"Kod pola, unikalny w {part.locative} (litery, cyfry, _ i .).",
                f"Field code, unique in the {part.en} (letters, digits, _ and .).",
                width=14,
                required=True,
            ),
            listing_col(
                "type", "Typ pola", "Field type", FIELD_TYPES, ("typ pola", "field type"), width=16
            ),
            text_col("label", "Treść pytania.", "The question.", width=45),
            text_col("help", "Objaśnienie pytania.", "Help text of the question.", width=40),
            text_col("unit", "Jednostka, np. osoby.", "Unit, e.g. persons.", width=12),
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
            _PRECISION,
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


def _choices(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("choices"),
        f"Odpowiedzi do wyboru pól single_choice i multiple_choice arkusza "
        f"{part.sheet('fields')}, w kolejności.",
        f"Options of the single_choice and multiple_choice fields of the {part.sheet('fields')} "
        "sheet, in order.",
        (
            Col(
                "field",
                Kind.CODE,
                f"Kod pola (jak w arkuszu {part.sheet('fields')}).",
                f"Field code (as in the {part.sheet('fields')} sheet).",
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
            text_col("label", "Treść odpowiedzi.", "Option label.", width=40),
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


def _total_and_parent(
    summed: tuple[str, str], example: tuple[str, str], parent: tuple[str, str]
) -> tuple[Col, Col]:
    """The columns a table's columns and rows share: what a total sums, and the parent of an
    "of which" item (Polish words in the genitive, English ones as nouns)."""
    return (
        Col(
            "total",
            Kind.TOTAL,
            f"Suma {summed[0]}: " + _RANGE_HELP_PL.format(*example) + ".",
            f"Sum of {summed[1]}: " + _RANGE_HELP_EN.format(*example) + ".",
            width=12,
        ),
        Col(
            "of_which",
            Kind.CODE,
            f"„W tym”: kod {parent[0]}.",
            f"“Of which”: code of the parent {parent[1]}.",
            width=10,
        ),
    )


def _columns(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("columns"),
        f"Kolumny tabel działów {part.pl} (K1, K2, …), w kolejności.",
        f"Columns of the tables of the {part.en}'s sections (K1, K2, …), in order.",
        (
            section_col(part),
            Col(
                "code",
                Kind.CODE,
                "Kod kolumny, np. K1.",
                "Column code, e.g. K1.",
                width=8,
                required=True,
            ),
            text_col("label", "Nagłówek kolumny.", "Column heading.", width=30),
            text_col("help", "Objaśnienie kolumny.", "Help text of the column.", width=30),
            listing_col(
                "type",
                "Typ komórek",
                "Type of the cells",
                COLUMN_TYPES,
                ("typ kolumny", "column type"),
                width=12,
            ),
            _PRECISION,
            text_col("unit", "Jednostka.", "Unit.", width=12),
            *_total_and_parent(
                ("kolumn", "columns"), ("K2", "K3"), ("kolumny nadrzędnej", "column")
            ),
            Col(
                "min", Kind.NUMBER, "Najmniejsza wartość komórki.", "Smallest cell value.", width=8
            ),
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


def _rows(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("rows"),
        f"Wiersze tabel działów {part.pl} (W01, W02, …; wyszczególnienie), w kolejności.",
        f"Rows of the tables of the {part.en}'s sections (W01, W02, …), in order.",
        (
            section_col(part),
            Col(
                "code",
                Kind.CODE,
                "Kod wiersza, np. W01.",
                "Row code, e.g. W01.",
                width=8,
                required=True,
            ),
            text_col("label", "Wyszczególnienie.", "Row label.", width=40),
            text_col("help", "Objaśnienie wiersza.", "Help text of the row.", width=30),
            *_total_and_parent(("wierszy", "rows"), ("W02", "W09"), ("wiersza nadrzędnego", "row")),
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
            Col(
                "number",
                Kind.CODE,
                "Numer wiersza pokazywany zamiast kodu, np. A.II.1.a (układ bilansu).",
                "The number the row shows instead of its code, e.g. A.II.1.a (balance-sheet "
                "layout).",
                width=10,
            ),
        ),
        frozen_columns=2,
    )


def _rules(part: Part) -> SheetSpec:
    return SheetSpec(
        part.sheet("rules"),
        f"Reguły poprawności, w kolejności: całego {part.pl} (section puste) i działów.",
        f"Validation rules, in order: of the whole {part.en} (section empty) and of sections.",
        (
            section_col(part, required=False),
            Col(
                "id",
                Kind.CODE,
                "Identyfikator reguły, np. R01.",
                "Rule id, e.g. R01.",
                width=10,
                required=True,
            ),
            Col(
                "for_each",
                Kind.CODE,
                "Reguła powtarzana: zakres wierszy (D2.W02:W16) albo kolumn (D2.K1:K5) tabeli; "
                "w wyrażeniu i komunikacie * oznacza kod bieżącego wiersza (kolumny). Puste: "
                "reguła pojedyncza.",
                "A repeating rule: a range of rows (D2.W02:W16) or columns (D2.K1:K5) of a table; "
                "in the expression and the message * stands for the current row's (column's) "
                "code. Empty: a single rule.",
                width=12,
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
            text_col(
                "message",
                "Komunikat, gdy warunek nie jest spełniony.",
                "The message shown when the condition fails.",
                width=45,
            ),
            listing_col(
                "missing",
                "Puste wartości",
                "Blank values",
                MISSING_POLICIES,
                ("sposób traktowania pustych wartości", "blank-value policy"),
                width=18,
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


READS_SPEC = SheetSpec(
    "reads",
    "Inne formularze tego podmiotu i okresu, których wysłane sprawozdania czytają reguły "
    "(other(nazwa, komórka)): jeden wiersz na czytaną komórkę; wiersze jednego formularza "
    "jeden pod drugim, form i before_sending w pierwszym z nich.",
    "Other forms of the same entity and period whose sent reports the rules read "
    "(other(name, cell)): one row per cell read; the rows of one form one below the other, "
    "form and before_sending on the first of them.",
    (
        Col(
            "as",
            Kind.CODE,
            "Nazwa formularza w wyrażeniach, np. MZ88.",
            "The form's name in expressions, e.g. MZ88.",
            width=10,
            required=True,
        ),
        Col(
            "form",
            Kind.CODE,
            "Kod czytanego formularza, np. MZ-88 (w pierwszym wierszu tej nazwy).",
            "The code of the form read, e.g. MZ-88 (on the first row of the name).",
            width=10,
        ),
        Col(
            "cell",
            Kind.CODE,
            "Czytana komórka albo pole, np. D1.W02.K1.",
            "The cell or field read, e.g. D1.W02.K1.",
            width=14,
            required=True,
        ),
        Col(
            "type",
            Kind.ENUM,
            "Typ czytanej wartości, jak typ pola.",
            "The type of the value read, as a field's type.",
            width=12,
            choices=FIELD_TYPES,
            noun=("typ pola", "field type"),
        ),
        Col(
            "before_sending",
            Kind.BOOL,
            "TAK: to sprawozdanie można wysłać dopiero po wysłaniu tamtego.",
            "TAK: this report can be sent only after that one has been sent.",
            width=10,
        ),
    ),
    frozen_columns=1,
)


@dataclass(frozen=True)
class ItemSheets:
    """The sheets of one part's sections and rules (the form's, or its records'): one row per
    item, in the same layout for both."""

    part: Part
    sections: SheetSpec
    fields: SheetSpec
    choices: SheetSpec
    columns: SheetSpec
    rows: SheetSpec
    rules: SheetSpec

    @property
    def all(self) -> tuple[SheetSpec, ...]:
        return (self.sections, self.fields, self.choices, self.columns, self.rows, self.rules)


def item_sheets(part: Part) -> ItemSheets:
    """The sheets of ``part``'s sections and rules, named and explained for it."""
    return ItemSheets(
        part,
        _sections(part),
        _fields(part),
        _choices(part),
        _columns(part),
        _rows(part),
        _rules(part),
    )


FORM_ITEMS = item_sheets(FORM_PART)
RECORD_ITEMS = item_sheets(RECORDS_PART)

RECORDS_SPEC = SheetSpec(
    RECORDS_SHEET,
    "Rekordy powtarzane w sprawozdaniu (np. karty MZ/Szp-11B), gdy formularz je ma: klucze "
    "rekordu, jeden wiersz na klucz, jak w arkuszu form; jego działy, pola i reguły są w "
    f"arkuszach {RECORDS_PART.prefix}….",
    "The records repeated in a report (e.g. the cards of MZ/Szp-11B), when the form has them: "
    "the record's keys, one row per key, as in the form sheet; its sections, fields and rules "
    f"are in the {RECORDS_PART.prefix}… sheets.",
    (
        text_col("name", "Jak nazywa się jeden rekord, np. Karta.", "What one record is called."),
        text_col("title", "Tytuł listy rekordów.", "Title of the list of records."),
        text_col("help", "Objaśnienia do rekordów.", "Help text of the records."),
        Col(
            "summary",
            Kind.LIST,
            f"Pola rekordu (z arkusza {RECORD_ITEMS.fields.name}) pokazywane w liście "
            "rekordów, po przecinku, od 1 do 6; puste: pierwsze cztery.",
            f"Record fields (of the {RECORD_ITEMS.fields.name} sheet) shown in the list of "
            "records, comma-separated, 1 to 6; empty: the first four.",
        ),
        Col(
            "max",
            Kind.INT,
            "Najwięcej rekordów w jednym sprawozdaniu (1–20 000); puste: 10 000.",
            "The most records one report holds (1–20,000); empty: 10,000.",
        ),
        empty_mark("rules", "reguł", "rules", RECORD_ITEMS.rules.name),
    ),
)

# The two sheets of key/value rows, and the sheets of one row per item.
SETTINGS_SHEETS = (FORM_SPEC, RECORDS_SPEC)
TABLE_SHEETS = (*FORM_ITEMS.all, READS_SPEC, *RECORD_ITEMS.all)
# Every sheet, in the order they are written and problems are listed: the form's, then its
# records' (written only when the form has records).
SHEETS = (FORM_SPEC, *FORM_ITEMS.all, READS_SPEC, RECORDS_SPEC, *RECORD_ITEMS.all)
REQUIRED_SHEETS = ("form", "sections")
