"""Statistical confidentiality of a table: sensitive cells are hidden, and complementary ones
with them, so that an attacker who knows every published cell, the table's sums and that no
value is negative cannot narrow any hidden cell to within ±20 % of its true value.

The proof is a linear program of its own, set up here independently of the module's: every
cell of the table is a variable, a published one pinned to its value, a hidden one free above
zero, with one equation per row and per column, margins included."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ssoz.results.suppression import (
    TOTAL,
    Cell,
    Reason,
    Rule,
    Table,
    primary_reason,
    protect,
)


def attacker_interval(table: Table, hidden: set, key) -> tuple[float, float]:
    """Least and greatest value of `key` over every table that agrees with what is
    published: the independent check."""
    positions = [(r, c) for r in [*table.rows, TOTAL] for c in [*table.columns, TOTAL]]
    number = {position: i for i, position in enumerate(positions)}
    rows = []
    for r in [*table.rows, TOTAL]:
        line = np.zeros(len(positions))
        for c in table.columns:
            line[number[r, c]] = 1
        line[number[r, TOTAL]] = -1
        rows.append(line)
    for c in [*table.columns, TOTAL]:
        line = np.zeros(len(positions))
        for r in table.rows:
            line[number[r, c]] = 1
        line[number[TOTAL, c]] = -1
        rows.append(line)
    bounds = [
        (0, None) if position in hidden else (table.cells[position].value,) * 2
        for position in positions
    ]
    objective = np.zeros(len(positions))
    objective[number[key]] = 1
    zeros = np.zeros(len(rows))
    low = linprog(objective, A_eq=np.array(rows), b_eq=zeros, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(rows), b_eq=zeros, bounds=bounds, method="highs")
    assert low.status == 0
    return low.fun, (math.inf if high.status == 3 else -high.fun)


def assert_protected(table: Table, result, rule: Rule) -> None:
    hidden = set(result.hidden)
    for key in hidden:
        value = table.cells[key].value
        low, high = attacker_interval(table, hidden, key)
        tolerance = 1e-6 * max(1.0, value)
        assert low <= (1 - rule.protection) * value + tolerance, (key, value, low, high)
        assert high >= (1 + rule.protection) * value - tolerance, (key, value, low, high)


def test_a_cell_of_two_entities_and_a_dominated_cell_are_sensitive():
    rule = Rule()
    assert primary_reason(Cell(100, 2, 60), rule) == Reason.FEW
    assert primary_reason(Cell(100, 5, 86), rule) == Reason.DOMINANT
    assert primary_reason(Cell(100, 5, 85), rule) is None
    assert primary_reason(Cell(0, 0, 0), rule) is None  # empty: says nothing of anybody


def test_a_lone_sensitive_cell_takes_a_rectangle_with_it():
    # Three voivodeships by two entity types; one hospital alone in the first cell.
    contributions = [
        ("02", "szpital", 40),
        *[("02", "przychodnia", v) for v in (10, 12, 9, 11)],
        *[("04", "szpital", v) for v in (30, 35, 28)],
        *[("04", "przychodnia", v) for v in (8, 9, 10)],
        *[("06", "szpital", v) for v in (50, 44, 47)],
        *[("06", "przychodnia", v) for v in (7, 6, 8)],
    ]
    table = Table.from_contributions(["02", "04", "06"], ["szpital", "przychodnia"], contributions)
    result = protect(table)
    assert result.hidden[("02", "szpital")] == Reason.FEW
    # Its row and column give it away unless three more corners go with it.
    assert len(result.hidden) >= 4
    assert_protected(table, result, Rule())
    for key in result.hidden:
        if key != ("02", "szpital"):
            assert result.hidden[key] == Reason.COMPLEMENTARY


def test_a_table_with_nothing_sensitive_hides_nothing():
    contributions = [(r, c, 10.0 + i) for r in "ab" for c in "xy" for i in range(4)]
    table = Table.from_contributions(["a", "b"], ["x", "y"], contributions)
    assert protect(table).hidden == {}


def test_a_table_whose_sums_do_not_add_up_is_refused():
    cells = {(r, c): Cell(1, 3, 1) for r in ["a", TOTAL] for c in ["x", TOTAL]} | {
        (TOTAL, TOTAL): Cell(5, 3, 1)
    }
    with pytest.raises(ValueError, match="sum"):
        Table(["a"], ["x"], cells)


@st.composite
def tables(draw):
    """Breakdowns of up to 6 × 5, each cell with 0–6 contributing entities whose values are
    drawn wide apart, so that few and dominant contributors both occur."""
    rows = [f"r{n}" for n in range(draw(st.integers(2, 6)))]
    columns = [f"c{n}" for n in range(draw(st.integers(2, 5)))]
    contributions = []
    for row in rows:
        for column in columns:
            for _ in range(draw(st.integers(0, 6))):
                value = draw(st.one_of(st.integers(0, 20), st.integers(100, 5000)))
                contributions.append((row, column, float(value)))
    return Table.from_contributions(rows, columns, contributions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables())
def test_no_hidden_cell_can_be_narrowed_to_within_20_percent(table):
    rule = Rule()
    result = protect(table, rule)
    for key in table.positions():
        if primary_reason(table.cells[key], rule) is not None:
            assert key in result.hidden, key
    assert_protected(table, result, rule)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), protection=st.sampled_from([0.1, 0.3, 0.5]))
def test_the_protection_holds_for_other_parameters(table, protection):
    rule = Rule(protection=protection)
    assert_protected(table, protect(table, rule), rule)


def test_a_one_way_table_is_the_two_way_one_of_a_single_column():
    rows = [("a", {1: 1.0, 2: 2.0, 3: 30.0}), ("b", {4: 4.0}), ("c", {})]
    one_way = Table.from_rows(rows)
    two_way = Table.from_contributions(
        ["a", "b", "c"], ["value"], [(key, "value", v) for key, by in rows for v in by.values()]
    )
    assert one_way.cells == two_way.cells


def test_an_entity_in_two_rows_is_one_contributor_to_the_total():
    table = Table.from_rows([("14", {7: 10.0}), ("24", {7: 5.0, 8: 1.0})])
    assert table.cells[TOTAL, TOTAL] == Cell(16.0, 2, 15.0)


def test_an_entity_in_two_cells_of_a_row_is_one_contributor_to_its_total():
    """A hospital with units in two voivodeships: two cells of its type's row, one entity."""
    cells = {("szpital", "14"): {1: 10.0}, ("szpital", "24"): {1: 5.0, 2: 7.0}}
    table = Table.from_entities(["szpital"], ["14", "24"], cells)
    assert table.cells["szpital", TOTAL] == Cell(22.0, 2, 15.0)
    assert table.cells[TOTAL, "24"] == Cell(12.0, 2, 7.0)
