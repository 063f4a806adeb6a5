"""Evaluation of every construct and every function (all values filled unless
a test says otherwise; blanks have their own module)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ssoz.definitions.rules import MissingValues, Schema, compile_expression

from .conftest import DATE, Evaluate, d

VALUES = {
    "Q1": d(10),
    "Q2": d("2.5"),
    "Q3": d(0),
    "name": "Kowalski",
    "kind": "public",
    "tools": frozenset({"av", "fw"}),
    "agree": True,
    "start": DATE(2024, 1, 31),
    "end": DATE(2024, 12, 31),
    "A3.q4": d(7),
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2", d(3)),
        ("Q1 + Q2", d("12.5")),
        ("Q1 - Q2", d("7.5")),
        ("Q1 * Q2", d("25.0")),
        ("Q1 / 4", d("2.5")),
        ("Q1 ÷ 4 × 2", d("5.0")),
        ("-Q1", d(-10)),
        ("- -Q1", d(10)),
        ("0.1 + 0.2", d("0.3")),
        ("A3.q4 * 2", d(14)),
        ("(Q1 + 2) * 3", d(36)),
    ],
)
def test_arithmetic_is_exact_decimal_arithmetic(
    source: str, expected: Decimal, ev: Evaluate
) -> None:
    result = ev(source, VALUES)
    assert isinstance(result, Decimal)
    assert result == expected


def test_results_are_decimals_never_floats(ev: Evaluate) -> None:
    assert ev("0.1 + 0.2 = 0.3", VALUES) is True
    assert type(ev("Q1 / 3", VALUES)) is Decimal


def test_division_by_zero_gives_blank_not_an_error(ev: Evaluate) -> None:
    assert ev("Q1 / Q3", VALUES) is None
    assert ev("Q1 / 0", VALUES) is None
    assert ev("0 / 0", VALUES) is None
    assert ev("Q1 / Q3 > 1", VALUES) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Q1 = 10", True),
        ("Q1 == 10.00", True),
        ("Q1 != 10", False),
        ("Q1 <> 9", True),
        ("Q1 < 10", False),
        ("Q1 <= 10", True),
        ("Q1 > 2.5", True),
        ("Q1 >= 10.01", False),
        ("name = 'Kowalski'", True),
        ("kind = 'public'", True),
        ("kind != 'private'", True),
        ("name = kind", False),
        ("agree = true", True),
        ("start < end", True),
        ("start = date('2024-01-31')", True),
        ("end >= date('2025-01-01')", False),
    ],
)
def test_comparisons(source: str, expected: bool, ev: Evaluate) -> None:
    assert ev(source, VALUES) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true and true", True),
        ("true and false", False),
        ("false or true", True),
        ("false or false", False),
        ("not agree", False),
        ("not not agree", True),
        ("Q1 > 5 and agree", True),
        ("Q1 > 50 or kind = 'public'", True),
    ],
)
def test_logic(source: str, expected: bool, ev: Evaluate) -> None:
    assert ev(source, VALUES) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("if Q1 > 5 then Q2 > 1", True),  # condition true, consequence true
        ("if Q1 > 5 then Q2 > 3", False),  # condition true, consequence false
        ("if Q1 > 50 then Q2 > 3", True),  # condition false: holds whatever follows
        ("if Q1 > 50 then Q2 > 1", True),
    ],
)
def test_implication_is_false_only_when_condition_holds_and_consequence_does_not(
    source: str, expected: bool, ev: Evaluate
) -> None:
    assert ev(source, VALUES) is expected


def test_conditional_value_picks_a_branch(ev: Evaluate) -> None:
    assert ev("if agree then Q1 else Q2", VALUES) == d(10)
    assert ev("if not agree then Q1 else Q2", VALUES) == d("2.5")
    assert ev("if Q1 > 5 then 'duży' else 'mały'", VALUES) == "duży"
    assert ev("if agree then if Q1 > 50 then 1 else 2 else 3", VALUES) == d(2)


def test_conditional_evaluates_only_the_chosen_branch(ev: Evaluate) -> None:
    # The other branch divides by zero; it is never computed.
    assert ev("if Q3 = 0 then 0 else Q1 / Q3", VALUES) == d(0)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("sum(Q1, Q2, 1)", d("13.5")),
        ("sum(Q1)", d(10)),
        ("count(Q1, name, tools, Q3)", d(4)),
        ("min(Q1, Q2, Q3)", d(0)),
        ("max(Q1, Q2, 100)", d(100)),
        ("abs(-Q1)", d(10)),
        ("abs(Q2 - Q1)", d("7.5")),
        ("round(Q1 / 3, 2)", d("3.33")),
        ("round(2 / 3, 2)", d("0.67")),
        ("round(2.5)", d(3)),
        ("round(0.125, 2)", d("0.13")),
        ("round(-2.5)", d(-3)),
        ("round(1250, -2)", d(1300)),
        ("round(Q2, 3)", d("2.5")),
        ("count_selected(tools)", d(2)),
        ("count_selected(kind)", d(1)),
        ("avg(Q1, Q2)", d("6.25")),
        ("avg(Q1, Q2, Q3, 1)", d("3.375")),
        ("score(kind)", d(2)),
        ("coalesce(Q1, 0)", d(10)),
        ("coalesce(blank, Q2)", d("2.5")),
    ],
)
def test_functions(source: str, expected: Decimal, ev: Evaluate) -> None:
    assert ev(source, VALUES) == expected


def test_round_is_half_up_as_polish_statistics_rounds(ev: Evaluate) -> None:
    assert [ev(f"round({x}, 1)") for x in ("0.05", "0.15", "0.25", "0.35")] == [
        d("0.1"),
        d("0.2"),
        d("0.3"),
        d("0.4"),
    ]


def test_round_handles_numbers_with_more_digits_than_the_default_precision(
    ev: Evaluate,
) -> None:
    huge = d("1234567890123456789012345678.987")
    assert ev("round(Q1, 2)", {"Q1": huge}) == d("1234567890123456789012345678.99")


def test_blank_and_filled(ev: Evaluate) -> None:
    assert ev("filled(Q1)", VALUES) is True
    assert ev("blank(Q1)", VALUES) is False
    assert ev("filled(Q1)", {}) is False
    assert ev("blank(Q1)", {}) is True
    assert ev("blank(Q1 / Q3)", VALUES) is True
    assert ev("filled(prev(Q1))", VALUES, {"Q1": d(1)}) is True


def test_selected_for_multiple_and_single_choice(ev: Evaluate) -> None:
    assert ev("selected(tools, 'av')", VALUES) is True
    assert ev("selected(tools, 'siem')", VALUES) is False
    assert ev("selected(kind, 'public')", VALUES) is True
    assert ev("selected(kind, 'private')", VALUES) is False


def test_selected_of_an_unanswered_question_is_false(ev: Evaluate) -> None:
    assert ev("selected(tools, 'av')", {}) is False
    assert ev("selected(kind, 'public')", {}) is False
    assert ev("count_selected(tools)", {}) == 0


def test_all_filled_and_any_filled(ev: Evaluate) -> None:
    assert ev("all_filled(Q1, Q2, name)", VALUES) is True
    assert ev("all_filled(Q1, Q2)", {"Q1": d(1)}) is False
    assert ev("any_filled(Q1, Q2)", {"Q1": d(1)}) is True
    assert ev("any_filled(Q1, Q2)", {}) is False


def test_date_literal(ev: Evaluate) -> None:
    assert ev("date('2024-02-29')") == DATE(2024, 2, 29)


def test_constant_expressions_are_folded_but_still_correct(schema: Schema) -> None:
    expression = compile_expression("(1 + 2) * 3 = 9 and not false", schema)
    assert expression.evaluate({}) is True


def test_evaluation_is_repeatable_with_one_compiled_expression(schema: Schema) -> None:
    expression = compile_expression("Q1 * 2", schema)
    assert [expression.evaluate({"Q1": d(i)}) for i in range(3)] == [d(0), d(2), d(4)]


@pytest.mark.parametrize("missing", list(MissingValues))
def test_all_values_filled_gives_the_same_result_under_every_strategy(
    missing: MissingValues, ev: Evaluate
) -> None:
    assert ev("Q1 + Q2 * 2 = 15 and selected(tools, 'fw')", VALUES, missing=missing) is True


def test_avg_leaves_blanks_out_and_gives_blank_for_only_blanks(ev: Evaluate) -> None:
    skip_all = MissingValues.SKIP_IF_ALL_BLANK
    assert ev("avg(Q1, Q2, Q3)", {"Q1": d(1), "Q2": d(2)}, missing=skip_all) == d("1.5")
    assert ev("avg(Q1, Q2)", {"Q3": d(1)}, missing=skip_all) is None
    values = {"Q1": d(1), "Q2": d(2)}
    assert ev("avg(Q1, Q2, Q3)", values, missing=MissingValues.BLANK_AS_ZERO) == d(1)


def test_score_gives_the_points_of_the_chosen_option(ev: Evaluate) -> None:
    assert ev("score(kind)", {"kind": "private"}) == d("0.5")
    assert ev("score(kind)", {}, missing=MissingValues.SKIP_IF_ALL_BLANK) is None
    assert ev("prev(score(kind))", {}, {"kind": "public"}) == d(2)


def test_score_of_an_option_without_points_is_blank() -> None:
    from ssoz.definitions.rules import Type

    schema = Schema(
        {"A1_Q1": Type.CHOICE, "A1_Q2": Type.CHOICE},
        choices={"A1_Q1": ["0", "1", "nd"], "A1_Q2": ["0", "1", "nd"]},
        scores={"A1_Q1": {"0": 0, "1": 1}, "A1_Q2": {"0": 0, "1": 1}},
    )
    mean = compile_expression("avg(score(A1_Q1), score(A1_Q2))", schema)
    assert mean.evaluate({"A1_Q1": "1", "A1_Q2": "nd"}) == d(1)
    assert mean.evaluate({"A1_Q1": "1", "A1_Q2": "0"}) == d("0.5")
    assert mean.evaluate({"A1_Q1": "nd", "A1_Q2": "nd"}) is None
