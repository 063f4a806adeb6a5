"""Ranges of rows and columns: expansion by table order, and their errors."""

from __future__ import annotations

import pytest

from ssoz.definitions.rules import (
    RuleTypeError,
    RuleUnknownReferenceError,
    Schema,
    TableLayout,
    Type,
    compile_expression,
)

from .conftest import Evaluate, d


def test_sum_of_row_range_adds_rows_in_table_order(ev: Evaluate) -> None:
    values = {f"D1.W0{i}.K1": d(i) for i in range(1, 6)}
    assert ev("sum(D1.W02:W04.K1)", values) == d(2 + 3 + 4)


def test_sum_of_column_range_adds_columns_of_one_row(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(1), "D1.W01.K2": d(10), "D1.W01.K3": d(100)}
    assert ev("sum(D1.W01.K2:K3)", values) == d(110)
    assert ev("sum(D1.W01.K1:K3)", values) == d(111)


def test_range_expands_by_position_in_the_layout_not_by_name() -> None:
    # Rows listed out of alphabetical order: the range follows the form's order.
    schema = Schema({}, {"T": TableLayout(["W10", "W02", "W07", "W01"], ["K1"])})
    expression = compile_expression("sum(T.W02:W01.K1)", schema)
    assert expression.references == {"T.W02.K1", "T.W07.K1", "T.W01.K1"}
    assert expression.current_references == ("T.W02.K1", "T.W07.K1", "T.W01.K1")


def test_a_range_of_one_row_is_that_cell(ev: Evaluate) -> None:
    assert ev("sum(D1.W03:W03.K2)", {"D1.W03.K2": d(7)}) == d(7)


def test_ranges_mix_with_other_arguments(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(1), "D1.W02.K1": d(2), "Q1": d(10)}
    assert ev("sum(D1.W01:W02.K1, Q1, 100)", values) == d(113)
    assert ev("max(D1.W01:W02.K1, 0)", values) == d(2)


def test_count_and_filled_checks_work_over_ranges(ev: Evaluate) -> None:
    values = {"D1.W01.K1": d(0), "D1.W03.K1": d(5)}
    assert ev("count(D1.W01:W05.K1)", values) == d(2)
    assert ev("all_filled(D1.W01:W05.K1)", values) is False
    assert ev("any_filled(D1.W01:W05.K1)", values) is True
    assert ev("all_filled(D1.W01:W01.K1)", values) is True


def test_min_and_max_over_ranges(ev: Evaluate) -> None:
    values = {f"D1.W01.K{i}": d(v) for i, v in ((1, 5), (2, -2), (3, 9))}
    assert ev("min(D1.W01.K1:K3)", values) == d(-2)
    assert ev("max(D1.W01.K1:K3)", values) == d(9)


def test_range_references_are_expanded(schema: Schema) -> None:
    expression = compile_expression("sum(D1.W04:W05.K3) > 0", schema)
    assert expression.references == {"D1.W04.K3", "D1.W05.K3"}


def test_reversed_range_is_rejected(schema: Schema) -> None:
    with pytest.raises(RuleTypeError) as info:
        compile_expression("sum(D1.W04:W02.K1)", schema)
    assert info.value.message.startswith(
        "Zakres „D1.W04:W02.K1” jest odwrócony: „W04” stoi w tabeli za „W02” (wiersz 1, kolumna 5)."
    )


def test_range_over_an_unknown_section_is_rejected(schema: Schema) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression("sum(D9.W01:W02.K1)", schema)
    assert info.value.message.startswith("Nieznany dział „D9” w zakresie „D9.W01:W02.K1”")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "sum(D1.W01:W09.K1)",
            "Dział „D1” nie ma wiersza „W09” użytego w zakresie „D1.W01:W09.K1” "
            "(wiersz 1, kolumna 5).",
        ),
        ("sum(D1.W00:W02.K1)", "Dział „D1” nie ma wiersza „W00”"),
        ("sum(D1.W01:W02.K9)", "Dział „D1” nie ma kolumny „K9”"),
        ("sum(D1.W01.K1:K4)", "Dział „D1” nie ma kolumny „K4”"),
        ("sum(D1.W07.K1:K2)", "Dział „D1” nie ma wiersza „W07”"),
    ],
)
def test_range_with_unknown_row_or_column_is_rejected(
    source: str, message: str, schema: Schema
) -> None:
    with pytest.raises(RuleUnknownReferenceError) as info:
        compile_expression(source, schema)
    assert info.value.message.startswith(message)


@pytest.mark.parametrize(
    "source",
    ["D1.W01:W02.K1 > 0", "abs(D1.W01:W02.K1)", "coalesce(D1.W01:W02.K1)", "prev(D1.W01:W02.K1)"],
)
def test_ranges_are_only_allowed_in_aggregate_functions(source: str, schema: Schema) -> None:
    with pytest.raises(RuleTypeError) as info:
        compile_expression(source, schema)
    assert "zakres" in info.value.message.lower()


def test_ranges_of_text_cells_are_fine_for_count(schema: Schema) -> None:
    assert compile_expression("count(D2.W01:W02.K1)", schema).type == Type.NUMBER
