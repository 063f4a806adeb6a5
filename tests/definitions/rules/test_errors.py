"""Errors: kinds, messages, positions, and that nothing else escapes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ssoz.definitions.rules import (
    RuleEngineError,
    RuleSyntaxError,
    RuleTypeError,
    RuleUnknownReferenceError,
    RuleValueError,
    Schema,
    Severity,
    TableLayout,
    Type,
    compile_expression,
    compile_rule,
    evaluate_rules,
)

from .conftest import d


def syntax_error(source: str, schema: Schema) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as info:
        compile_expression(source, schema)
    return info.value


def test_error_hierarchy() -> None:
    assert issubclass(RuleSyntaxError, RuleEngineError)
    assert issubclass(RuleTypeError, RuleEngineError)
    assert issubclass(RuleUnknownReferenceError, RuleTypeError)
    assert issubclass(RuleValueError, RuleEngineError)


def test_empty_expression(schema: Schema) -> None:
    error = syntax_error("   ", schema)
    assert error.message == "Wyrażenie jest puste."
    assert error.message_en == "The expression is empty."


def test_unexpected_character_with_position(schema: Schema) -> None:
    error = syntax_error("Q1 + Q2 # Q3", schema)
    assert error.message == "Niedozwolony znak „#” (wiersz 1, kolumna 9)."
    assert (error.line, error.column) == (1, 9)


def test_unterminated_string(schema: Schema) -> None:
    error = syntax_error("name = 'abc", schema)
    assert error.message == "Niezamknięty cudzysłów (wiersz 1, kolumna 8)."


def test_token_out_of_place_lists_what_was_expected(schema: Schema) -> None:
    error = syntax_error("Q1 + * Q2", schema)
    assert error.message.startswith("W tym miejscu nie może wystąpić „*” (wiersz 1, kolumna 6);")
    assert "oczekiwano wartości (liczby, tekstu, nazwy pola, funkcji lub nawiasu)" in error.message
    assert error.message_en.startswith(
        '"*" cannot appear here (line 1, column 6); expected a value'
    )


def test_expression_ending_too_early(schema: Schema) -> None:
    error = syntax_error("if Q1 > 0 then", schema)
    assert error.message.startswith("Wyrażenie urywa się (wiersz 1, kolumna 15)")
    error = syntax_error("sum(Q1, Q2", schema)
    assert error.message == "Wyrażenie urywa się (wiersz 1, kolumna 11); oczekiwano „,” lub „)”."


def test_chained_comparison_gets_a_hint(schema: Schema) -> None:
    error = syntax_error("0 < Q1 < 10", schema)
    assert "Porównań nie można łączyć w łańcuch" in error.message
    assert (error.line, error.column) == (1, 8)


def test_missing_then_is_named(schema: Schema) -> None:
    error = syntax_error("if Q1 > 0 Q2 > 0", schema)
    assert "słowa „then”" in error.message


def test_space_in_a_range_is_explained(schema: Schema) -> None:
    error = syntax_error("sum(D1.W01 : W02.K1)", schema)
    assert "Zakres zapisuje się bez spacji" in error.message


def test_malformed_range(schema: Schema) -> None:
    error = syntax_error("sum(D1:W02)", schema)
    assert error.message.startswith("Niepoprawny zakres „D1:W02” (wiersz 1, kolumna 5)")


def test_errors_on_later_lines_report_line_and_column(schema: Schema) -> None:
    error = syntax_error("Q1 > 0 and\n  Q2 >\n  ) ", schema)
    assert (error.line, error.column) == (3, 3)
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("Q1 > 0 and\n    Q7 > 0", schema)
    assert (info.value.line, info.value.column) == (2, 5)


def test_too_deep_nesting_is_a_syntax_error(schema: Schema) -> None:
    error = syntax_error("(" * 150 + "1" + ")" * 150 + " > 0 and " + "not " * 150 + "true", schema)
    assert error.message.startswith("Wyrażenie jest zbyt głęboko zagnieżdżone")


def test_too_long_expression_is_a_syntax_error(schema: Schema) -> None:
    assert syntax_error("1" * 20_000, schema).message.startswith("Wyrażenie jest za długie")


def test_non_string_source_is_a_syntax_error(schema: Schema) -> None:
    with pytest.raises(RuleSyntaxError):
        compile_expression(b"Q1 > 0", schema)  # type: ignore[arg-type]


def test_str_of_an_error_shows_the_message_and_points_at_the_spot(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("Q1 + Q9 > 0", schema)
    assert str(info.value) == (
        "Nieznane pole „Q9” w wyrażeniu (wiersz 1, kolumna 6).\n    Q1 + Q9 > 0\n         ^^"
    )


def test_rule_and_field_slots_appear_in_str(schema: Schema) -> None:
    with pytest.raises(RuleEngineError) as info:
        compile_rule(
            "MZ88-7", "Q1 +", schema, severity=Severity.ERROR, message_pl="", message_en=""
        )
    error = info.value
    assert error.rule_id == "MZ88-7"
    error.field = "Q1"
    assert str(error).startswith("[reguła „MZ88-7”, pole „Q1”] Wyrażenie urywa się")


def test_compile_rule_rejects_unknown_fields_to_highlight(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_rule(
            "R1",
            "Q1 > 0",
            schema,
            severity=Severity.ERROR,
            message_pl="",
            message_en="",
            fields=["Q1", "Q99"],
        )
    assert info.value.message == "Reguła wskazuje nieznane pole „Q99”."
    assert info.value.rule_id == "R1"


@pytest.mark.parametrize(
    ("ref", "value", "expected"),
    [
        ("Q1", 1.5, "oczekiwano liczby (decimal.Decimal, skończonej), a otrzymano float 1.5"),
        ("Q1", 3, "a otrzymano int 3"),
        ("Q1", True, "a otrzymano bool True"),
        ("Q1", Decimal("NaN"), "a otrzymano Decimal Decimal('NaN')"),
        ("Q1", Decimal("-Infinity"), "a otrzymano Decimal"),
        ("name", 5, "oczekiwano tekstu (str)"),
        ("tools", {"av"}, "oczekiwano zbioru kodów opcji"),
        ("tools", frozenset({1}), "oczekiwano zbioru kodów opcji"),
        ("agree", 1, "oczekiwano wartości logicznej (bool)"),
        ("start", "2024-01-01", "oczekiwano daty (datetime.date)"),
        ("start", datetime.datetime(2024, 1, 1), "a otrzymano datetime"),
    ],
)
def test_wrongly_typed_values_raise_instead_of_reading_as_blank(
    ref: str, value: object, expected: str, schema: Schema
) -> None:
    expression = compile_expression(f"filled({ref})", schema)
    with pytest.raises(RuleValueError) as info:
        expression.evaluate({ref: value})
    assert info.value.message.startswith(f"Pole „{ref}” ma wartość niewłaściwego typu")
    assert expected in info.value.message
    assert info.value.field == ref


def test_wrongly_typed_previous_values_are_reported_as_such(schema: Schema) -> None:
    expression = compile_expression("prev(Q1) > 0", schema)
    with pytest.raises(RuleValueError) as info:
        expression.evaluate({}, {"Q1": 2.0})
    assert info.value.message.startswith("W danych z poprzedniego okresu pole „Q1”")


def test_values_of_fields_the_rules_do_not_use_are_not_checked(schema: Schema) -> None:
    expression = compile_expression("Q1 > 0", schema)
    assert expression.evaluate({"Q1": d(1), "Q2": 1.5, "whatever": object()}) is True


def test_subclasses_of_str_are_accepted(schema: Schema) -> None:
    class Safe(str):
        pass

    assert compile_expression("name = 'x'", schema).evaluate({"name": Safe("x")}) is True


def test_rules_of_schemas_disagreeing_on_a_type_cannot_be_evaluated_together() -> None:
    one = Schema({"X": Type.NUMBER})
    two = Schema({"X": Type.STRING})
    rules = [
        compile_rule("a", "X > 0", one, severity=Severity.ERROR, message_pl="", message_en=""),
        compile_rule("b", "X = 'x'", two, severity=Severity.ERROR, message_pl="", message_en=""),
    ]
    with pytest.raises(RuleEngineError) as info:
        evaluate_rules(rules, {})
    assert "ma w różnych regułach różne typy" in info.value.message


def test_absurdly_large_values_give_an_engine_error_not_a_decimal_exception() -> None:
    schema = Schema({"X": Type.NUMBER})
    rule = compile_rule(
        "big", "X * X > 0", schema, severity=Severity.ERROR, message_pl="", message_en=""
    )
    with pytest.raises(RuleEngineError) as info:
        rule.check({"X": Decimal("9E+999990")})
    assert info.value.rule_id == "big"
    assert "przekroczyło zakres" in info.value.message


def test_schema_rejects_bad_definitions() -> None:
    with pytest.raises(RuleTypeError):
        Schema({"X": "number"})  # type: ignore[dict-item]
    with pytest.raises(RuleTypeError):
        Schema({"X": Type.BLANK})
    with pytest.raises(RuleTypeError):
        Schema({"X": Type.NUMBER}, choices={"X": {"a"}})
    with pytest.raises(RuleTypeError):
        TableLayout(["W01", "W01"], ["K1"])
