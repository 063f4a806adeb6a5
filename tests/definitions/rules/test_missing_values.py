"""Missing values: the three strategies and the blank-aware functions."""

from __future__ import annotations

import pytest

from ssoz.definitions.rules import MissingValues, Schema, compile_expression

from .conftest import Evaluate, d

ANY = MissingValues.SKIP_IF_ANY_BLANK
ALL = MissingValues.SKIP_IF_ALL_BLANK
ZERO = MissingValues.BLANK_AS_ZERO


def test_default_strategy_is_skip_if_any_blank(schema: Schema) -> None:
    expression = compile_expression("Q1 + Q2", schema)
    assert expression.evaluate({"Q1": d(1), "Q2": None}) is None


# -- SKIP_IF_ANY_BLANK ------------------------------------------------------------


def test_any_blank_skips_arithmetic(ev: Evaluate) -> None:
    assert ev("Q1 + Q2", {"Q1": d(1)}, missing=ANY) is None


def test_any_blank_skips_even_when_logic_could_decide_without_the_blank(ev: Evaluate) -> None:
    # false and <blank> would be false in three-valued logic, but a trigger is blank.
    assert ev("Q1 > 0 and Q2 > 0", {"Q1": d(-1)}, missing=ANY) is None
    assert ev("Q1 > 0 or Q2 > 0", {"Q1": d(1)}, missing=ANY) is None


def test_any_blank_skips_when_a_cell_of_a_summed_range_is_blank(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(1), "D1.W02.K1": d(2)}
    assert ev("sum(D1.W01:W03.K1)", values, missing=ANY) is None


def test_refs_only_inside_filled_do_not_trigger_skipping(ev: Evaluate) -> None:
    assert ev("if filled(Q1) then Q2 > 0", {"Q2": d(5)}, missing=ANY) is True
    assert ev("if filled(Q1) then Q2 > 0", {"Q1": d(1), "Q2": d(0)}, missing=ANY) is False


def test_refs_outside_the_blank_aware_function_still_trigger_skipping(ev: Evaluate) -> None:
    assert ev("if filled(Q1) then Q2 > 0", {}, missing=ANY) is None
    assert ev("filled(Q1) and Q1 > 0", {}, missing=ANY) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("blank(Q1)", True),
        ("filled(Q1)", False),
        ("count(Q1, Q2) = 1", True),
        ("coalesce(Q1, 0) + Q2 = 2", True),
        ("all_filled(Q1, Q2)", False),
        ("any_filled(Q1, Q2)", True),
        ("selected(tools, 'av')", False),
        ("count_selected(tools) = 0", True),
        ("coalesce(Q1 + Q2, 0) = 0", True),
    ],
)
def test_blank_aware_functions_see_blanks_under_every_strategy(
    source: str, expected: bool, ev: Evaluate
) -> None:
    for missing in MissingValues:
        assert ev(source, {"Q2": d(2)}, missing=missing) is expected, missing


def test_empty_text_and_empty_selection_count_as_blank(ev: Evaluate) -> None:
    assert ev("filled(name)", {"name": ""}) is False
    assert ev("blank(tools)", {"tools": frozenset()}) is True
    assert ev("name = 'x'", {"name": ""}) is None


def test_absent_key_and_none_are_the_same_blank(ev: Evaluate) -> None:
    assert ev("blank(Q1)", {}) is ev("blank(Q1)", {"Q1": None}) is True


# -- SKIP_IF_ALL_BLANK --------------------------------------------------------------


def test_all_blank_skips_only_when_every_trigger_is_blank(ev: Evaluate) -> None:
    assert ev("Q1 + Q2 > 0", {}, missing=ALL) is None
    assert ev("sum(Q1, Q2) > 0", {"Q1": d(1)}, missing=ALL) is True


def test_blank_propagates_through_arithmetic_and_comparison(ev: Evaluate) -> None:
    assert ev("Q1 + Q2", {"Q1": d(1)}, missing=ALL) is None
    assert ev("Q1 + Q2 > 0", {"Q1": d(1)}, missing=ALL) is None
    assert ev("-Q2", {"Q1": d(1)}, missing=ALL) is None


def test_sum_min_max_leave_blanks_out(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(4), "D1.W03.K1": d(-1)}
    assert ev("sum(D1.W01:W05.K1)", values, missing=ALL) == d(3)
    assert ev("min(D1.W01:W05.K1)", values, missing=ALL) == d(-1)
    assert ev("max(D1.W01:W05.K1)", values, missing=ALL) == d(4)
    assert ev("sum(Q1, Q2 * 2)", {"Q1": d(1)}, missing=ALL) == d(1)


def test_sum_min_max_of_only_blanks_are_blank(ev: Evaluate) -> None:
    values = {"Q1": d(1)}
    assert ev("sum(D1.W01:W05.K1)", values, missing=ALL) is None
    assert ev("min(Q2, Q3)", values, missing=ALL) is None
    assert ev("max(Q2, Q3 + 1)", values, missing=ALL) is None


def test_three_valued_logic_decides_when_it_can(ev: Evaluate) -> None:
    assert ev("Q1 > 0 and Q2 > 0", {"Q1": d(-1)}, missing=ALL) is False
    assert ev("Q1 > 0 and Q2 > 0", {"Q1": d(1)}, missing=ALL) is None
    assert ev("Q2 > 0 and Q1 > 0", {"Q1": d(-1)}, missing=ALL) is False
    assert ev("Q1 > 0 or Q2 > 0", {"Q1": d(1)}, missing=ALL) is True
    assert ev("Q2 > 0 or Q1 > 0", {"Q1": d(1)}, missing=ALL) is True
    assert ev("Q1 > 0 or Q2 > 0", {"Q1": d(-1)}, missing=ALL) is None
    assert ev("not (Q2 > 0) or Q1 > 0", {"Q1": d(-1)}, missing=ALL) is None


def test_implication_with_false_condition_holds_even_if_consequence_is_blank(
    ev: Evaluate,
) -> None:
    assert ev("if Q1 > 0 then Q2 > 0", {"Q1": d(0)}, missing=ALL) is True
    assert ev("if Q1 > 0 then Q2 > 0", {"Q1": d(1)}, missing=ALL) is None
    assert ev("if Q2 > 0 then Q1 > 0", {"Q1": d(1)}, missing=ALL) is True
    assert ev("if Q2 > 0 then Q1 > 0", {"Q1": d(-1)}, missing=ALL) is None


def test_conditional_with_blank_condition_is_blank(ev: Evaluate) -> None:
    assert ev("if Q2 > 0 then Q1 else 0", {"Q1": d(1)}, missing=ALL) is None


def test_blank_literal_is_blank(ev: Evaluate) -> None:
    assert ev("if Q1 > 0 then Q1 else blank", {"Q1": d(-1)}, missing=ALL) is None
    assert ev("blank") is None


def test_expression_without_triggers_is_never_skipped(ev: Evaluate) -> None:
    assert ev("filled(Q1) or filled(Q2)", {}, missing=ALL) is False


# -- BLANK_AS_ZERO -------------------------------------------------------------------


def test_blank_numbers_read_as_zero(ev: Evaluate) -> None:
    assert ev("Q1 + Q2", {"Q1": d(1)}, missing=ZERO) == d(1)
    assert ev("Q1 + Q2", {}, missing=ZERO) == d(0)
    assert ev("Q2 = 0", {}, missing=ZERO) is True
    assert ev("min(Q1, Q2)", {"Q1": d(3)}, missing=ZERO) == d(0)


def test_blank_as_zero_sums_ranges_with_blank_cells(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(5), "D1.W02.K1": d(2), "D1.W04.K1": d(3)}
    assert ev("D1.W01.K1 = sum(D1.W02:W05.K1)", values, missing=ZERO) is True
    assert ev("sum(D1.W01:W05.K2)", values, missing=ZERO) == d(0)


def test_blank_as_zero_still_lets_filled_and_coalesce_see_the_blank(ev: Evaluate) -> None:
    assert ev("filled(Q1)", {}, missing=ZERO) is False
    assert ev("coalesce(Q1, 5)", {}, missing=ZERO) == d(5)
    assert ev("count(Q1, Q2)", {"Q1": d(0)}, missing=ZERO) == d(1)


def test_blank_as_zero_leaves_non_numbers_blank(ev: Evaluate) -> None:
    assert ev("name = 'x'", {}, missing=ZERO) is None
    assert ev("start < end", {"start": None}, missing=ZERO) is None


def test_blank_as_zero_never_zeroes_the_previous_period(ev: Evaluate) -> None:
    assert ev("Q1 <= prev(Q1) * 2", {"Q1": d(5)}, None, missing=ZERO) is None


def test_blank_divisor_as_zero_gives_blank(ev: Evaluate) -> None:
    assert ev("Q1 / Q2", {"Q1": d(1)}, missing=ZERO) is None
