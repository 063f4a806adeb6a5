"""The closed catalogue of functions of the rule language.

The checker types calls against these specs and the compiler implements each
name; nothing outside this table can be called.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stdnum.pl import pesel


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionSpec:
    name: str
    min_args: int = 1
    max_args: int | None = None
    # Arguments are seen as they are: a blank stays blank, never becomes 0, and
    # the refs inside do not make the rule skipped (see docs/rule-language.md).
    guards: bool = False
    # Accepts ranges such as D1.W02:W09.K1 among its arguments.
    ranges: bool = False
    signature: str
    summary_pl: str
    summary_en: str


_SPECS = (
    FunctionSpec(
        name="sum",
        ranges=True,
        signature="sum(a, b, …)",
        summary_pl="suma wypełnionych wartości (puste pomija; same puste dają brak wartości)",
        summary_en="sum of the filled values (blanks are left out; only blanks give blank)",
    ),
    FunctionSpec(
        name="count",
        guards=True,
        ranges=True,
        signature="count(a, b, …)",
        summary_pl="liczba wypełnionych wartości",
        summary_en="number of filled values",
    ),
    FunctionSpec(
        name="min",
        ranges=True,
        signature="min(a, b, …)",
        summary_pl="najmniejsza z wypełnionych wartości",
        summary_en="smallest of the filled values",
    ),
    FunctionSpec(
        name="max",
        ranges=True,
        signature="max(a, b, …)",
        summary_pl="największa z wypełnionych wartości",
        summary_en="largest of the filled values",
    ),
    FunctionSpec(
        name="all_filled",
        guards=True,
        ranges=True,
        signature="all_filled(a, b, …)",
        summary_pl="czy wszystkie wartości są wypełnione",
        summary_en="whether every value is filled",
    ),
    FunctionSpec(
        name="any_filled",
        guards=True,
        ranges=True,
        signature="any_filled(a, b, …)",
        summary_pl="czy którakolwiek wartość jest wypełniona",
        summary_en="whether any value is filled",
    ),
    FunctionSpec(
        name="avg",
        ranges=True,
        signature="avg(a, b, …)",
        summary_pl="średnia wypełnionych wartości",
        summary_en="mean of the filled values",
    ),
    FunctionSpec(
        name="score",
        max_args=1,
        signature="score(pole)",
        summary_pl="punkty przypisane wybranej opcji (puste, gdy opcja nie ma punktów)",
        summary_en="the score of the chosen option (blank when it has none)",
    ),
    FunctionSpec(
        name="abs",
        max_args=1,
        signature="abs(x)",
        summary_pl="wartość bezwzględna",
        summary_en="absolute value",
    ),
    FunctionSpec(
        name="round",
        max_args=2,
        signature="round(x, cyfry)",
        summary_pl="zaokrąglenie „połówki w górę” do podanej liczby miejsc po przecinku",
        summary_en="rounding half up to the given number of decimal places",
    ),
    FunctionSpec(
        name="blank",
        max_args=1,
        guards=True,
        signature="blank(x)",
        summary_pl="czy wartość jest pusta",
        summary_en="whether x is blank",
    ),
    FunctionSpec(
        name="filled",
        max_args=1,
        guards=True,
        signature="filled(x)",
        summary_pl="czy wartość jest wypełniona",
        summary_en="whether x is filled",
    ),
    FunctionSpec(
        name="selected",
        min_args=2,
        max_args=2,
        guards=True,
        signature="selected(pole, 'kod')",
        summary_pl="czy w polu wyboru zaznaczono opcję",
        summary_en="whether the option is selected",
    ),
    FunctionSpec(
        name="count_selected",
        max_args=1,
        guards=True,
        signature="count_selected(pole)",
        summary_pl="liczba zaznaczonych opcji",
        summary_en="number of selected options",
    ),
    FunctionSpec(
        name="prev",
        max_args=1,
        signature="prev(x)",
        summary_pl="wartość z zatwierdzonego sprawozdania za poprzedni okres",
        summary_en="value in the approved report for the previous period",
    ),
    FunctionSpec(
        name="coalesce",
        guards=True,
        signature="coalesce(a, b, …)",
        summary_pl="pierwsza wypełniona wartość",
        summary_en="first filled value",
    ),
    FunctionSpec(
        name="date",
        max_args=1,
        signature="date('RRRR-MM-DD')",
        summary_pl="data zapisana wprost",
        summary_en="a date literal",
    ),
    FunctionSpec(
        name="pesel_birth_date",
        max_args=1,
        signature="pesel_birth_date(pole)",
        summary_pl="data urodzenia zapisana w numerze PESEL (pusta, gdy numer jest niepoprawny)",
        summary_en="the date of birth a PESEL number holds (blank when the number is invalid)",
    ),
    FunctionSpec(
        name="pesel_sex",
        max_args=1,
        signature="pesel_sex(pole)",
        summary_pl="płeć zapisana w numerze PESEL: 'K' albo 'M' (pusta przy niepoprawnym numerze)",
        summary_en="the sex a PESEL number holds: 'K' or 'M' (blank when the number is invalid)",
    ),
    FunctionSpec(
        name="period_start",
        min_args=0,
        max_args=0,
        signature="period_start()",
        summary_pl="pierwszy dzień okresu sprawozdawczego",
        summary_en="the first day of the reporting period",
    ),
    FunctionSpec(
        name="period_end",
        min_args=0,
        max_args=0,
        signature="period_end()",
        summary_pl="ostatni dzień okresu sprawozdawczego",
        summary_en="the last day of the reporting period",
    ),
    FunctionSpec(
        name="deadline",
        min_args=0,
        max_args=0,
        signature="deadline()",
        summary_pl="termin przekazania sprawozdania",
        summary_en="the report's deadline",
    ),
    FunctionSpec(
        name="record_count",
        min_args=0,
        max_args=0,
        signature="record_count()",
        summary_pl="liczba rekordów (kart) sprawozdania, w formularzu z rekordami",
        summary_en="the number of the report's records (cards), in a form with records",
    ),
    FunctionSpec(
        name="other",
        min_args=2,
        max_args=2,
        signature="other(ALIAS, D1.W01.K1)",
        summary_pl="komórka innego formularza tego podmiotu i okresu (z jego wysłanej wersji)",
        summary_en="a cell of another form of the same entity and period (its sent version)",
    ),
)

FUNCTIONS: dict[str, FunctionSpec] = {spec.name: spec for spec in _SPECS}

# The period's dates are values of the context, like the previous period's: the caller passes
# them in the previous-period mapping under these keys, which no field code can take (a code
# starts with a letter). They are never refs: never a trigger, never read as 0, never shown
# as fields.
PERIOD_KEYS: dict[str, str] = {
    "period_start": "@period_start",
    "period_end": "@period_end",
    "deadline": "@deadline",
}


def period_values(
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    deadline: datetime.date | None = None,
) -> dict[str, datetime.date]:
    """The period's dates as the previous-period mapping carries them (blank ones left out):
    ``evaluate(values, {**previous, **period_values(end=...)})``."""
    given = {"period_start": start, "period_end": end, "deadline": deadline}
    out: dict[str, datetime.date] = {}
    for name, value in given.items():
        if value is None:
            continue
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
        out[PERIOD_KEYS[name]] = value
    return out


# The number of the report's records (record_count()) travels the same way.
RECORD_COUNT_KEY = "@record_count"


# A value read from another form (``other(MZ88, D1.W02.K1)``) travels beside them, under a key
# no field code can take either: "@MZ88:D1.W02.K1".
def other_key(alias: str, ref: str) -> str:
    """The key under which the previous-period mapping carries `ref` of the form read as
    `alias`."""
    return f"@{alias}:{ref}"


def other_values(alias: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of the form read as `alias`, as the previous-period mapping carries them
    (blank ones left out): ``evaluate(values, {**previous, **other_values("MZ88", sent)})``."""
    return {
        other_key(alias, ref): value
        for ref, value in values.items()
        if value is not None and value != "" and value != frozenset()
    }


def pesel_birth_date(number: Any) -> datetime.date | None:
    """The date of birth in a PESEL number, or None for anything that is not a valid one."""
    if not isinstance(number, str) or len(number) != 11 or not pesel.is_valid(number):
        return None
    return pesel.get_birth_date(number)


def pesel_sex(number: Any) -> str | None:
    """The sex in a PESEL number as the forms code it ('K' kobieta, 'M' mężczyzna), or None."""
    if not isinstance(number, str) or len(number) != 11 or not pesel.is_valid(number):
        return None
    return "K" if pesel.get_gender(number) == "F" else "M"
