"""The static checker: every expression is typed against the schema before it
is compiled, and nonsense is rejected with a clear message and a position."""

from __future__ import annotations

import pytest

from ssoz.definitions.rules import (
    RuleTypeError,
    RuleUnknownReferenceError,
    Schema,
    Type,
    compile_expression,
)


def type_of(source: str, schema: Schema) -> Type:
    return compile_expression(source, schema).type


def error(source: str, schema: Schema, expect: Type | None = None) -> RuleTypeError:
    with pytest.raises(RuleTypeError) as info:
        compile_expression(source, schema, expect=expect)
    return info.value


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1", Type.NUMBER),
        ("'a'", Type.STRING),
        ("true", Type.BOOLEAN),
        ("blank", Type.BLANK),
        ("Q1", Type.NUMBER),
        ("name", Type.STRING),
        ("kind", Type.CHOICE),
        ("tools", Type.MULTI),
        ("agree", Type.BOOLEAN),
        ("start", Type.DATE),
        ("D1.W01.K1", Type.NUMBER),
        ("D2.W01.K1", Type.STRING),
        ("Q1 + Q2 * 3 / 2 - 1", Type.NUMBER),
        ("-Q1", Type.NUMBER),
        ("Q1 > 2", Type.BOOLEAN),
        ("not agree", Type.BOOLEAN),
        ("agree and Q1 = 1 or false", Type.BOOLEAN),
        ("if agree then Q1 > 0", Type.BOOLEAN),
        ("if agree then Q1 else 0", Type.NUMBER),
        ("if agree then kind else 'none'", Type.STRING),
        ("if agree then kind else kind", Type.CHOICE),
        ("if agree then Q1 else blank", Type.NUMBER),
        ("sum(D1.W01:W05.K1)", Type.NUMBER),
        ("count(name, tools)", Type.NUMBER),
        ("min(Q1, 2)", Type.NUMBER),
        ("max(D1.W01.K1:K3)", Type.NUMBER),
        ("all_filled(D1.W01.K1:K3)", Type.BOOLEAN),
        ("any_filled(name, Q1)", Type.BOOLEAN),
        ("abs(Q1)", Type.NUMBER),
        ("avg(D1.W01:W05.K1, Q1)", Type.NUMBER),
        ("score(kind)", Type.NUMBER),
        ("score(prev(kind))", Type.NUMBER),
        ("round(Q1, 2)", Type.NUMBER),
        ("round(Q1)", Type.NUMBER),
        ("blank(name)", Type.BOOLEAN),
        ("filled(tools)", Type.BOOLEAN),
        ("selected(tools, 'av')", Type.BOOLEAN),
        ("selected(kind, 'public')", Type.BOOLEAN),
        ("count_selected(tools)", Type.NUMBER),
        ("prev(Q1)", Type.NUMBER),
        ("prev(name)", Type.STRING),
        ("coalesce(Q1, Q2, 0)", Type.NUMBER),
        ("coalesce(kind, 'none')", Type.STRING),
        ("date('2024-12-31')", Type.DATE),
        ("start <= date('2024-12-31')", Type.BOOLEAN),
        ("kind = 'public'", Type.BOOLEAN),
        ("name = kind", Type.BOOLEAN),
        ("agree = true", Type.BOOLEAN),
    ],
)
def test_every_construct_has_a_static_type(source: str, expected: Type, schema: Schema) -> None:
    assert type_of(source, schema) == expected


def test_adding_a_number_to_text_is_rejected_in_polish_and_english(schema: Schema) -> None:
    err = error("name + 1", schema)
    assert err.message == "Nie można dodać liczby do tekstu: „name + 1” (wiersz 1, kolumna 1)."
    assert err.message_en == 'Cannot add a number to a text: "name + 1" (line 1, column 1).'


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Q1 - name", "Nie można odjąć tekstu od liczby"),
        ("name * 2", "Nie można pomnożyć tekst przez liczbę"),
        ("Q1 / agree", "Nie można podzielić liczbę przez wartość logiczną (prawda/fałsz)"),
        ("start + 1", "Nie można dodać liczby do daty"),
    ],
)
def test_arithmetic_needs_numbers(source: str, message: str, schema: Schema) -> None:
    assert error(source, schema).message.startswith(message)


def test_unary_minus_needs_a_number(schema: Schema) -> None:
    err = error("-name", schema)
    assert "Minus przed wartością wymaga liczby, a „name” jest tekstem" in err.message


def test_comparing_a_number_with_text_is_rejected(schema: Schema) -> None:
    err = error("Q1 = 'abc'", schema)
    assert err.message == "Nie można porównać liczbę z tekstem: „Q1 = 'abc'” (wiersz 1, kolumna 1)."


def test_ordering_needs_numbers_or_dates(schema: Schema) -> None:
    err = error("name < 'b'", schema)
    assert err.message.startswith("Porównanie „<” wymaga liczb albo dat, a „name” jest tekstem")
    assert error("agree > false", schema).message.startswith("Porównanie „>” wymaga liczb")


def test_comparing_with_blank_literal_points_to_blank_and_filled(schema: Schema) -> None:
    err = error("Q1 = blank", schema)
    assert "Napisz blank(Q1) albo filled(Q1)." in err.message
    assert (err.line, err.column) == (1, 6)


def test_multiple_choice_cannot_be_compared_directly(schema: Schema) -> None:
    err = error("tools = 'av'", schema)
    assert "Użyj selected(tools, 'kod') lub count_selected(tools)." in err.message


def test_choice_compared_with_an_unknown_option_is_rejected(schema: Schema) -> None:
    err = error("kind = 'publik'", schema)
    assert err.message == (
        "Pole „kind” nie ma opcji „publik” (wiersz 1, kolumna 8). Dostępne opcje: private, public."
    )
    assert error("'x' != prev(kind)", schema).message.startswith("Pole „kind” nie ma opcji „x”")


def test_and_or_not_need_conditions(schema: Schema) -> None:
    err = error("agree and Q1", schema)
    assert err.message.startswith(
        "Operator „and” wymaga warunków (wartości prawda/fałsz), a „Q1” jest liczbą"
    )
    assert (err.line, err.column) == (1, 11)
    assert error("not name", schema).message.startswith("Operator „not” wymaga warunków")
    assert error("Q1 or agree", schema).message.startswith("Operator „or” wymaga warunków")


def test_if_needs_a_condition(schema: Schema) -> None:
    err = error("if Q1 then agree", schema)
    assert err.message.startswith("Po „if” musi stać warunek (prawda/fałsz), a „Q1” jest liczbą")


def test_implication_needs_a_condition_after_then_and_suggests_else(schema: Schema) -> None:
    err = error("if agree then Q1", schema)
    assert "Jeśli chodziło o wybór wartości, dopisz „else …”." in err.message


def test_conditional_branches_must_share_a_type(schema: Schema) -> None:
    err = error("if agree then 1 else 'x'", schema)
    assert "a „1” jest liczbą, zaś „'x'” jest tekstem" in err.message


def test_a_rule_must_be_a_condition(schema: Schema) -> None:
    err = error("Q1 + 1", schema, expect=Type.BOOLEAN)
    assert err.message == (
        "Wyrażenie musi być warunkiem (dawać wartość logiczną prawda/fałsz), "
        "a „Q1 + 1” daje liczbę (wiersz 1, kolumna 1)."
    )


def test_expected_number_accepts_blank_and_rejects_text(schema: Schema) -> None:
    assert compile_expression("blank", schema, expect=Type.NUMBER).type == Type.BLANK
    assert compile_expression("kind", schema, expect=Type.STRING).type == Type.CHOICE
    err = error("name", schema, expect=Type.NUMBER)
    assert err.message.startswith("Wyrażenie powinno dawać liczbę, a „name” daje tekst")


def test_unknown_field_is_reported_with_its_position(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("Q1 + Q9 > 0", schema)
    assert info.value.message.startswith("Nieznane pole „Q9” w wyrażeniu (wiersz 1, kolumna 6).")
    assert (info.value.line, info.value.column) == (1, 6)


def test_unknown_field_suggests_a_close_name(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("nmae = 'x'", schema)
    assert "Czy chodziło o „name”?" in info.value.message
    assert 'Did you mean "name"?' in info.value.message_en


def test_unknown_cell_names_the_missing_row_or_column(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("D1.W09.K1 > 0", schema)
    assert info.value.message.endswith("Dział „D1” nie ma wiersza „W09”.")
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("D1.W01.K7 > 0", schema)
    assert info.value.message.endswith("Dział „D1” nie ma kolumny „K7”.")


def test_a_function_name_used_as_a_field_is_explained(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("sum > 1", schema)
    assert "„sum” to nazwa funkcji" in info.value.message


def test_unknown_function_lists_the_available_ones(schema: Schema) -> None:
    err = error("mean(Q1, Q2)", schema)
    assert err.message.startswith("Nieznana funkcja „mean” (wiersz 1, kolumna 1).")
    assert "Dostępne funkcje: abs, all_filled," in err.message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("abs(Q1, Q2)", "Funkcja abs przyjmuje dokładnie 1 argument, a podano 2"),
        ("abs()", "Funkcja abs przyjmuje dokładnie 1 argument, a podano 0"),
        ("sum()", "Funkcja sum wymaga co najmniej jednego argumentu, a podano 0"),
        ("round(Q1, 1, 2)", "Funkcja round przyjmuje 1 lub 2 argumenty, a podano 3"),
        ("selected(tools)", "Funkcja selected przyjmuje dokładnie 2 argumenty, a podano 1"),
    ],
)
def test_functions_check_their_number_of_arguments(
    source: str, message: str, schema: Schema
) -> None:
    assert error(source, schema).message.startswith(message)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("sum(name)", "Funkcja sum działa na liczbach, a „name” jest tekstem"),
        ("min(Q1, agree)", "Funkcja min działa na liczbach, a „agree” jest wartością logiczną"),
        ("max(start)", "Funkcja max działa na liczbach, a „start” jest datą"),
        ("abs(name)", "Funkcja abs działa na liczbach, a „name” jest tekstem"),
        ("round(kind, 1)", "Funkcja round działa na liczbach"),
        (
            "sum(D2.W01:W02.K1)",
            "Funkcja sum działa na liczbach, a komórka „D2.W01.K1” z zakresu „D2.W01:W02.K1” "
            "jest tekstem",
        ),
    ],
)
def test_aggregates_and_arithmetic_functions_need_numbers(
    source: str, message: str, schema: Schema
) -> None:
    assert error(source, schema).message.startswith(message)


def test_selected_needs_a_choice_field(schema: Schema) -> None:
    err = error("selected(D1.W01.K1, 'x')", schema)
    assert err.message.startswith(
        "Funkcja selected wymaga pola wyboru, a „D1.W01.K1” jest liczbą (wiersz 1, kolumna 10)."
    )


def test_selected_needs_a_quoted_option_that_exists(schema: Schema) -> None:
    assert error("selected(tools, name)", schema).message.startswith(
        "Drugim argumentem funkcji selected musi być kod opcji w cudzysłowie"
    )
    assert error("selected(tools, 'ids')", schema).message.startswith(
        "Pole „tools” nie ma opcji „ids”"
    )


def test_count_selected_needs_a_choice_field(schema: Schema) -> None:
    assert error("count_selected(Q1) > 0", schema).message.startswith(
        "Funkcja count_selected wymaga pola wyboru"
    )


def test_round_digits_must_be_a_small_whole_literal(schema: Schema) -> None:
    for bad in ("round(Q1, 2.5)", "round(Q1, Q2)", "round(Q1, 11)"):
        assert error(bad, schema).message.startswith("Drugim argumentem funkcji round")
    assert type_of("round(Q1, -2)", schema) == Type.NUMBER


def test_coalesce_arguments_must_share_a_type(schema: Schema) -> None:
    assert error("coalesce(Q1, 'x')", schema).message.startswith(
        "Argumenty funkcji coalesce muszą być tego samego typu"
    )


def test_prev_cannot_be_nested(schema: Schema) -> None:
    assert error("prev(prev(Q1))", schema).message.startswith("Funkcji prev nie można zagnieżdżać")


def test_date_literal_must_be_a_valid_iso_date(schema: Schema) -> None:
    for bad in ("date('2024-02-30')", "date('31.12.2024')", "date(Q1)"):
        assert error(bad, schema).message.startswith("Niepoprawna data")


def test_blank_and_filled_reject_ranges_and_point_to_all_filled(schema: Schema) -> None:
    err = error("filled(D1.W01:W03.K1)", schema)
    assert "Dla zakresu użyj all_filled(…), any_filled(…) lub count(…)." in err.message


def test_checker_records_every_reference(schema: Schema) -> None:
    expression = compile_expression("Q1 + sum(D1.W01:W02.K1) > prev(Q2)", schema)
    assert expression.references == {"Q1", "D1.W01.K1", "D1.W02.K1", "Q2"}
    assert expression.prev_references == {"Q2"}
    assert expression.current_references == ("Q1", "D1.W01.K1", "D1.W02.K1")


def test_score_needs_a_single_choice_field_with_scored_options(schema: Schema) -> None:
    assert error("score(Q1)", schema).message.startswith(
        "Funkcja score wymaga pola jednokrotnego wyboru, a „Q1” jest liczbą"
    )
    assert error("score(tools)", schema).message.startswith("Funkcja score wymaga pola")
    bare = Schema({"kind": Type.CHOICE})
    assert error("score(kind)", bare).message.startswith(
        "Opcje pola „kind” nie mają przypisanych punktów"
    )


def test_schema_rejects_scores_of_non_choice_fields_and_non_numbers() -> None:
    with pytest.raises(RuleTypeError):
        Schema({"Q": Type.NUMBER}, scores={"Q": {"a": 1}})
    with pytest.raises(RuleTypeError):
        Schema({"Q": Type.CHOICE}, scores={"Q": {"a": 1.5}})  # type: ignore[dict-item]
    with pytest.raises(RuleTypeError):
        Schema({"Q": Type.CHOICE}, scores={"Q": {"a": "dużo"}})
