"""Amounts with grosze (`precision: 2` on money) and the numbers rows show in place of their
codes (`number: A.I.1`), as the financial forms need them."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssoz.definitions.form import compile_definition
from ssoz.definitions.loader import DefinitionError, parse_definition

from .conftest import definition

BALANCE = definition(
    """\
    sections:
      - code: D1
        title: {pl: Aktywa, en: Assets}
        fields:
          - {code: WHOLE, type: money, label: {pl: Kwota, en: Amount}}
          - {code: GROSZE, type: money, precision: 2, label: {pl: Kwota, en: Amount}}
        table:
          min: 0
          columns:
            - {code: K1, type: money, precision: 2, label: {pl: Stan, en: State}}
          rows:
            - {code: W01, number: "A", total: [W02, W05], label: {pl: Trwałe, en: Fixed}}
            - {code: W02, number: "A.I", total: "W03:W04", label: {pl: Rzeczowe, en: Tangible}}
            - {code: W03, number: "A.I.1", label: {pl: Grunty, en: Land}}
            - {code: W04, number: "A.I.2", label: {pl: Budynki, en: Buildings}}
            - {code: W05, number: "A.II", label: {pl: Należności, en: Receivables}}
    rules:
      - id: POSITIVE
        for_each: "D1.W03:W05"
        expression: "D1.*.K1 > 0"
        message:
          pl: "Wiersz {*number} ({*}) „{*label}”: podaj kwotę większą od zera."
          en: "Row {*number} ({*}) \\"{*label}\\": give an amount above zero."
    """
)


def problems_of(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, filename="test.yaml")
    return [problem.message_pl for problem in caught.value.problems]


def test_money_with_a_precision_takes_grosze(compile_yaml) -> None:
    result = compile_yaml(BALANCE).check(
        {"GROSZE": "1 234 567,89 zł", "D1.W03.K1": "0,5", "D1.W04.K1": "12.30"}, stage="save"
    )

    assert result.field_problems == {}
    assert result.values["GROSZE"] == Decimal("1234567.89")
    assert result.values["D1.W03.K1"] == Decimal("0.5")


def test_money_without_a_precision_is_still_whole_zloty(compile_yaml) -> None:
    result = compile_yaml(BALANCE).check({"WHOLE": "12,50"}, stage="save")

    assert [p.message_pl for p in result.field_problems["WHOLE"]] == [
        "Wpisz kwotę w pełnych złotych, bez groszy."
    ]


def test_a_third_decimal_of_an_amount_is_refused_in_polish(compile_yaml) -> None:
    result = compile_yaml(BALANCE).check({"D1.W03.K1": "10,555"}, stage="save")

    [problem] = result.field_problems["D1.W03.K1"]
    assert problem.code == "too_many_decimals"
    assert problem.message_pl == (
        "Wpisz kwotę w złotych i najwyżej 2 cyfry po przecinku (grosze), np. 1 234,56."
    )


def test_totals_of_totals_add_up_the_grosze(compile_yaml) -> None:
    values = (
        compile_yaml(BALANCE)
        .check({"D1.W03.K1": "0,10", "D1.W04.K1": "0,20", "D1.W05.K1": "1 000,01"}, stage="save")
        .values
    )

    assert values["D1.W02.K1"] == Decimal("0.30")
    assert values["D1.W01.K1"] == Decimal("1000.31")


def test_money_has_either_whole_zloty_or_grosze() -> None:
    text = BALANCE.replace(
        "type: money, precision: 2, label: {pl: Kwota",
        "type: money, precision: 3, label: {pl: Kwota",
    )

    assert any("z groszami (precision: 2)" in message for message in problems_of(text))


def test_a_row_shows_its_number_and_keeps_its_code(compile_yaml) -> None:
    table = compile_yaml(BALANCE).sections[0].table

    assert [(row.code, row.number) for row in table.rows][:3] == [
        ("W01", "A"),
        ("W02", "A.I"),
        ("W03", "A.I.1"),
    ]


def test_a_repeating_rule_names_the_row_by_its_number(compile_yaml) -> None:
    result = compile_yaml(BALANCE).check({"D1.W04.K1": "0"}, stage="verify")

    [failed] = [r for r in result.rule_results if r.rule_id == "POSITIVE.W04"]
    assert failed.message_pl == "Wiersz A.I.2 (W04) „Budynki”: podaj kwotę większą od zera."


def test_a_row_number_is_letters_digits_and_dots() -> None:
    text = BALANCE.replace('number: "A.I.1"', 'number: "A I 1"')

    assert any("numer wiersza" in message for message in problems_of(text))


AMOUNTS = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@functools.cache
def balance_form():
    """The definition above, compiled once for the property tests' many examples."""
    return compile_definition(parse_definition(BALANCE, filename="test.yaml"), filename="t")


def polish(amount: Decimal) -> str:
    """An amount as a Polish clerk types it: spaces between thousands, a decimal comma."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


@settings(max_examples=200, deadline=None)
@given(amount=AMOUNTS, suffix=st.sampled_from(["", " zł", "PLN"]))
def test_any_amount_in_grosze_typed_the_polish_way_is_read_exactly(
    amount: Decimal, suffix: str
) -> None:
    result = balance_form().check({"GROSZE": polish(amount) + suffix}, stage="save")

    assert result.field_problems == {}
    assert result.values.get("GROSZE", Decimal(0)) == amount


@settings(max_examples=200, deadline=None)
@given(amount=AMOUNTS, extra=st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_refused_whatever_the_amount(amount: Decimal, extra: int) -> None:
    result = balance_form().check({"GROSZE": f"{polish(amount)}{extra}"}, stage="save")

    assert [p.code for p in result.field_problems["GROSZE"]] == ["too_many_decimals"]
