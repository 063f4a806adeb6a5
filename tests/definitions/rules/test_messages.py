"""Message templates and Polish number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ssoz.definitions.rules import (
    RuleSyntaxError,
    RuleUnknownReferenceError,
    Schema,
    compile_message,
    format_decimal,
    format_value,
)

from .conftest import DATE, d


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0"),
        ("-0", "0"),
        ("12.5", "12,5"),
        ("12.50", "12,50"),
        ("-3.25", "-3,25"),
        ("1234", "1234"),
        ("12345", "12\u00a0345"),
        ("1234567.891", "1\u00a0234\u00a0567,891"),
        ("-98765", "-98\u00a0765"),
        ("1E+3", "1000"),
        ("0.0001", "0,0001"),
        ("1E+50", "1E+50"),
    ],
)
def test_polish_number_formatting(value: str, text: str) -> None:
    assert format_decimal(Decimal(value)) == text


def test_english_number_formatting_uses_a_decimal_point_and_comma_groups() -> None:
    assert format_decimal(Decimal("1234567.5"), "en") == "1,234,567.5"
    assert format_decimal(Decimal("123.5"), "en") == "123.5"


def test_values_of_every_type_render_readably() -> None:
    assert format_value(None) == "—"
    assert format_value(True) == "tak"
    assert format_value(False, "en") == "no"
    assert format_value(DATE(2024, 3, 5)) == "05.03.2024"
    assert format_value(DATE(2024, 3, 5), "en") == "2024-03-05"
    assert format_value(frozenset({"fw", "av"})) == "av, fw"
    assert format_value("public") == "public"


def test_placeholders_are_computed_and_formatted(schema: Schema) -> None:
    message = compile_message(
        "Suma wierszy 2–5 ({sum(D1.W02:W05.K1)}) nie jest równa wierszowi 1 ({D1.W01.K1}).",
        schema,
    )
    values = {"D1.W01.K1": d("12000"), "D1.W02.K1": d("10000.5"), "D1.W03.K1": d("1.25")}
    assert message.render(values) == (
        "Suma wierszy 2–5 (10\u00a0001,75) nie jest równa wierszowi 1 (12\u00a0000)."
    )


def test_blank_renders_as_a_dash(schema: Schema) -> None:
    assert compile_message("Wartość: {Q1}, iloraz: {Q2 / Q3}", schema).render(
        {"Q2": d(1), "Q3": d(0)}
    ) == ("Wartość: —, iloraz: —")


def test_blank_as_zero_renders_blanks_as_zero_when_asked(schema: Schema) -> None:
    message = compile_message("{Q1 + Q2}", schema)
    assert message.render({"Q1": d(1)}) == "—"
    assert message.render({"Q1": d(1)}, blank_as_zero=True) == "1"


def test_division_results_render_without_float_artefacts(schema: Schema) -> None:
    message = compile_message("{Q1 / 3} {round(Q1 / 3, 2)} {0.1 + 0.2}", schema)
    assert message.render({"Q1": d(1)}) == "0,3333333333333333333333333333 0,33 0,3"


def test_double_braces_are_literal_braces(schema: Schema) -> None:
    assert compile_message("{{Q1}} = {Q1}", schema).render({"Q1": d(2)}) == "{Q1} = 2"


def test_braces_inside_quoted_strings_do_not_close_the_placeholder(schema: Schema) -> None:
    assert compile_message("{coalesce(name, '}')}", schema).render({}) == "}"


def test_placeholders_may_show_previous_values_and_choices(schema: Schema) -> None:
    message = compile_message("było {prev(Q1)}, jest {Q1}; {kind}; {tools}; {agree}", schema)
    rendered = message.render(
        {"Q1": d(5), "kind": "public", "tools": frozenset({"av"}), "agree": True},
        {"Q1": d(4)},
    )
    assert rendered == "było 4, jest 5; public; av; tak"


def test_english_rendering(schema: Schema) -> None:
    message = compile_message("{Q1} {agree} {start}", schema)
    values = {"Q1": d("1234.5"), "agree": False, "start": DATE(2024, 1, 2)}
    assert message.render(values, language="en") == "1,234.5 no 2024-01-02"


def test_message_references_are_known(schema: Schema) -> None:
    message = compile_message("{Q1} {prev(Q2)} {sum(D1.W01:W02.K1)}", schema)
    assert message.references == {"Q1", "Q2", "D1.W01.K1", "D1.W02.K1"}
    assert message.prev_references == {"Q2"}


def test_errors_in_a_placeholder_report_template_positions(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_message("Pierwsza linia\nwartość {Q1 + Q9}", schema)
    error = info.value
    assert (error.line, error.column) == (2, 15)
    assert error.message.startswith(
        "W komunikacie: Nieznane pole „Q9” w wyrażeniu (wiersz 2, kolumna 15)."
    )
    assert error.source == "Pierwsza linia\nwartość {Q1 + Q9}"


def test_syntax_errors_in_a_placeholder(schema: Schema) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        compile_message("x {Q1 +}", schema)
    assert (info.value.line, info.value.column) == (1, 8)


@pytest.mark.parametrize(
    ("template", "start", "column"),
    [
        ("abc {Q1", "Niezamknięty nawias „{” w komunikacie", 5),
        ("abc } d", "Pojedynczy nawias „}” w komunikacie", 5),
        ("abc {  } d", "Puste wyrażenie „{}” w komunikacie", 5),
    ],
)
def test_malformed_templates_are_rejected(
    template: str, start: str, column: int, schema: Schema
) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        compile_message(template, schema)
    assert info.value.message.startswith(start)
    assert info.value.column == column


def test_a_template_without_placeholders_is_plain_text(schema: Schema) -> None:
    assert compile_message("Brak danych.", schema).render({}) == "Brak danych."
    assert compile_message("", schema).render({}) == ""
