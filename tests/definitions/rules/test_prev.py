"""prev(): values from the entity's approved report for the previous period."""

from __future__ import annotations

from ssoz.definitions.rules import MissingValues, Schema, compile_expression

from .conftest import Evaluate, d


def test_prev_reads_the_previous_period(ev: Evaluate) -> None:
    assert ev("prev(Q1)", {"Q1": d(5)}, {"Q1": d(4)}) == d(4)
    assert ev("Q1 - prev(Q1)", {"Q1": d(5)}, {"Q1": d(4)}) == d(1)


def test_prev_of_an_expression_computes_it_in_the_previous_period(ev: Evaluate) -> None:
    previous = {"D1.W01.K1": d(1), "D1.W02.K1": d(2)}
    assert ev("prev(sum(D1.W01:W02.K1))", {}, previous) == d(3)
    assert ev("prev(Q1 + Q2)", {"Q1": d(100)}, {"Q1": d(1), "Q2": d(2)}) == d(3)


def test_prev_is_blank_without_a_previous_report(ev: Evaluate) -> None:
    assert ev("prev(Q1)", {"Q1": d(5)}, None) is None
    assert ev("prev(Q1)", {"Q1": d(5)}, {}) is None


def test_rule_comparing_with_a_blank_previous_period_is_skipped_under_every_strategy(
    ev: Evaluate,
) -> None:
    for missing in MissingValues:
        assert ev("Q1 <= prev(Q1) * 1.2", {"Q1": d(5)}, {}, missing=missing) is None


def test_coalesce_opts_into_a_default_for_a_missing_previous_value(ev: Evaluate) -> None:
    assert ev("Q1 <= coalesce(prev(Q1), 0) + 10", {"Q1": d(5)}, {}) is True


def test_filled_prev_tells_whether_there_was_a_previous_value(ev: Evaluate) -> None:
    assert ev("if filled(prev(Q1)) then Q1 >= prev(Q1)", {"Q1": d(5)}, {}) is True
    assert ev("if filled(prev(Q1)) then Q1 >= prev(Q1)", {"Q1": d(5)}, {"Q1": d(6)}) is False


def test_prev_references_are_exposed_separately(schema: Schema) -> None:
    expression = compile_expression("Q1 > prev(Q2) + prev(sum(D1.W01:W02.K1))", schema)
    assert expression.prev_references == {"Q2", "D1.W01.K1", "D1.W02.K1"}
    assert expression.references == {"Q1", "Q2", "D1.W01.K1", "D1.W02.K1"}
    assert expression.current_references == ("Q1",)


def test_prev_of_choice_and_text_fields(ev: Evaluate) -> None:
    assert ev("kind = prev(kind)", {"kind": "public"}, {"kind": "public"}) is True
    assert ev("selected(prev(tools), 'av')", {}, {"tools": frozenset({"av"})}) is True


def test_current_values_do_not_leak_into_prev(ev: Evaluate) -> None:
    assert ev("prev(Q1)", {"Q1": d(5)}, {"Q2": d(1)}) is None


def test_a_blank_previous_value_never_skips_a_rule_by_itself(ev: Evaluate) -> None:
    assert ev("Q1 > 0 or Q1 <= prev(Q1)", {"Q1": d(1)}, {}) is True
    assert ev("Q1 > 0 and Q1 <= prev(Q1)", {"Q1": d(-1)}, {}) is False
