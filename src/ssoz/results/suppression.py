"""Statistical confidentiality of a published table (tajemnica statystyczna): which cells may
not be shown, and which others must be hidden with them so that the hidden ones cannot be
worked out from the rest.

A table here is a two-way breakdown with its margins: rows (e.g. voivodeships) by columns
(e.g. entity types) of non-negative sums, each row summing to its row total, each column to
its column total, and both to the grand total. Every cell, margins included, carries its sum,
how many entities contribute to it and the largest single contribution.

- **Primary suppression.** A cell is sensitive when fewer than `min_count` entities
  contribute to it (3), or when one entity gives more than `dominance` of its sum (85 %). An
  empty cell (no contributor) is not sensitive: it says nothing about anybody.
- **Secondary suppression.** An attacker knows every published cell, the table's sums and
  that no value is negative. For each hidden cell, linear programming gives the least and the
  greatest value it can have under what the attacker knows; the cell is protected when that
  interval reaches `protection` (20 %) below and above its true value. Every hidden cell,
  sensitive or complementary, is protected, as the programme asks of "any suppressed cell".
  Cells are hidden one rectangle at a time, the cheapest that protects the cell being worked
  on, until every hidden cell is protected. Hiding more can only widen an attacker's
  intervals, so a cell once protected stays protected, and the search ends: at worst the
  whole table is hidden, when only non-negativity is left.

Differencing across tables (two overlapping breakdowns, or this period against the last) is
not covered: each table is protected on its own (docs/confidentiality.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import linprog

TOTAL = "__total__"  # the key of the margins' row and column
# Relative slack for the floating-point comparisons of the linear programs.
_EPSILON = 1e-9
# Candidate rectangles tried, cheapest first, before taking the best of them.
_MAX_CANDIDATES = 60


@dataclass(frozen=True)
class Cell:
    """One cell of a table: the sum, its contributors and the largest contribution."""

    value: float
    count: int
    largest: float = 0.0

    def __post_init__(self) -> None:
        if self.value < 0 or self.largest < 0 or self.count < 0:
            raise ValueError("a confidential table holds non-negative sums and counts")


@dataclass(frozen=True)
class Rule:
    """The parameters of the confidentiality rule (docs/confidentiality.md)."""

    min_count: int = 3
    dominance: float = 0.85
    protection: float = 0.20


class Reason(StrEnum):
    FEW = "few"  # fewer contributors than min_count
    DOMINANT = "dominant"  # one contributor above the dominance share
    COMPLEMENTARY = "complementary"  # hidden to protect the others


Key = tuple[str, str]


@dataclass
class Table:
    """A two-way table with its margins: `cells[(row, column)]` for every row of `rows` and
    `TOTAL`, and every column of `columns` and `TOTAL`."""

    rows: list[str]
    columns: list[str]
    cells: dict[Key, Cell]

    def __post_init__(self) -> None:
        missing = [key for key in self.positions() if key not in self.cells]
        if missing:
            raise ValueError(f"the table has no cell {missing[0]}")
        for row in [*self.rows, TOTAL]:
            _check_sum(self, [(row, c) for c in self.columns], (row, TOTAL))
        for column in [*self.columns, TOTAL]:
            _check_sum(self, [(r, column) for r in self.rows], (TOTAL, column))

    def positions(self) -> list[Key]:
        return [(r, c) for r in [*self.rows, TOTAL] for c in [*self.columns, TOTAL]]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, Mapping[int, float]]]) -> Table:
        """A one-way table (a breakdown of one figure) from each row's contributions by
        entity: its single column is the figure, its column total the row's."""
        rows = list(rows)
        return cls.from_entities(
            [key for key, _by_entity in rows],
            ["value"],
            {(key, "value"): by_entity for key, by_entity in rows},
        )

    @classmethod
    def from_entities(
        cls, rows: list[str], columns: list[str], cells: Mapping[Key, Mapping[int, float]]
    ) -> Table:
        """A table from each interior cell's contributions by entity. An entity present in
        several cells of a row (units in two voivodeships) is one contributor to the row's
        total, with its contributions added: the margins count entities, not cells."""

        def cell_of(by_entity: Mapping[int, float]) -> Cell:
            values = [float(v) for v in by_entity.values()]
            return Cell(float(sum(values)), len(values), max(values, default=0.0))

        def merged(keys: Iterable[Key]) -> dict[int, float]:
            total: dict[int, float] = {}
            for key in keys:
                for entity, value in cells.get(key, {}).items():
                    total[entity] = total.get(entity, 0.0) + float(value)
            return total

        built = {(r, c): cell_of(cells.get((r, c), {})) for r in rows for c in columns}
        # A row of one cell is its own total (a one-way table), and so is the column's.
        single = len(columns) == 1
        for r in rows:
            built[r, TOTAL] = (
                built[r, columns[0]] if single else cell_of(merged((r, c) for c in columns))
            )
        for c in columns:
            built[TOTAL, c] = cell_of(merged((r, c) for r in rows))
        built[TOTAL, TOTAL] = (
            built[TOTAL, columns[0]]
            if single
            else cell_of(merged((r, c) for r in rows for c in columns))
        )
        return cls(rows, columns, built)

    @classmethod
    def from_contributions(
        cls, rows: list[str], columns: list[str], contributions: Iterable[tuple[str, str, float]]
    ) -> Table:
        """A table from contributions (row, column, value), each of another entity."""
        cells: dict[Key, dict[int, float]] = {}
        for number, (row, column, value) in enumerate(contributions):
            cells.setdefault((row, column), {})[number] = value
        return cls.from_entities(rows, columns, cells)


def _check_sum(table: Table, parts: list[Key], total: Key) -> None:
    got = sum(table.cells[key].value for key in parts)
    expected = table.cells[total].value
    if not math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-6):
        raise ValueError(f"the cells of {total} sum to {got}, not {expected}")


def primary_reason(cell: Cell, rule: Rule) -> Reason | None:
    """Why a cell may not be shown on its own, or None."""
    if cell.count == 0:
        return None
    if cell.count < rule.min_count:
        return Reason.FEW
    if cell.value > 0 and cell.largest > rule.dominance * cell.value:
        return Reason.DOMINANT
    return None


@dataclass
class Suppression:
    """The hidden cells with why each is hidden, and what an attacker could tell of each: the
    least and greatest value consistent with the published cells."""

    hidden: dict[Key, Reason] = field(default_factory=dict)
    bounds: dict[Key, tuple[float, float]] = field(default_factory=dict)

    def is_hidden(self, key: Key) -> bool:
        return key in self.hidden


def protect(table: Table, rule: Rule | None = None) -> Suppression:
    """Choose the cells to hide: the sensitive ones, then complementary ones until every
    hidden cell is protected (module docstring)."""
    rule = rule or Rule()
    result = Suppression()
    for key in table.positions():
        reason = primary_reason(table.cells[key], rule)
        if reason is not None:
            result.hidden[key] = reason
    order = {key: number for number, key in enumerate(table.positions())}
    protected: set[Key] = set()
    while True:
        failing = None
        for key in sorted(result.hidden, key=order.__getitem__):
            if key in protected:
                continue
            bounds = attacker_bounds(table, result.hidden, [key])[key]
            if is_protected(table.cells[key].value, bounds, rule):
                protected.add(key)
                result.bounds[key] = bounds
            else:
                failing = key
                break
        if failing is None:
            return result
        for key in _complement(table, result.hidden, failing, rule):
            result.hidden.setdefault(key, Reason.COMPLEMENTARY)


def is_protected(value: float, bounds: tuple[float, float], rule: Rule) -> bool:
    low, high = bounds
    slack = _EPSILON * max(1.0, value)
    return (
        low <= (1 - rule.protection) * value + slack
        and high >= (1 + rule.protection) * value - slack
    )


def _complement(table: Table, hidden: Mapping[Key, Reason], failing: Key, rule: Rule) -> set[Key]:
    """The cheapest set of cells to hide with `failing` so that it is protected: the other
    three corners of a rectangle through it (its own row and column, margins included),
    cheapest first by the sum of what they hide; if no rectangle tried protects it, the one
    that widens its interval most; if every corner is hidden already, the rest of its row
    and column."""
    row, column = failing
    value = table.cells[failing].value
    candidates = []
    for other_row in [*table.rows, TOTAL]:
        for other_column in [*table.columns, TOTAL]:
            if other_row == row or other_column == column:
                continue
            corners = {(row, other_column), (other_row, column), (other_row, other_column)}
            added = {key for key in corners if key not in hidden}
            if added:
                cost = sum(table.cells[key].value for key in added)
                candidates.append((cost, len(added), sorted(added)))
    candidates.sort()
    best: tuple[float, set[Key]] | None = None
    for _cost, _size, added in candidates[:_MAX_CANDIDATES]:
        trial = {**hidden, **dict.fromkeys(added, Reason.COMPLEMENTARY)}
        bounds = attacker_bounds(table, trial, [failing])[failing]
        if is_protected(value, bounds, rule):
            return set(added)
        reach = min(
            (1 - rule.protection) * value - bounds[0] if value else 0.0,
            bounds[1] - (1 + rule.protection) * value,
        )
        if best is None or reach > best[0]:
            best = (reach, set(added))
    if best is not None:
        return best[1]
    open_cells = [key for key in table.positions() if key not in hidden]
    rest = {key for key in open_cells if key[0] == row or key[1] == column}
    return rest or set(open_cells)


def attacker_bounds(
    table: Table, hidden: Iterable[Key], asked: Iterable[Key] | None = None
) -> dict[Key, tuple[float, float]]:
    """For each hidden cell asked about (all by default), the least and the greatest value
    it can take given every published cell, the table's sums and non-negativity: two
    linear programs per cell."""
    hidden = set(hidden)
    variables = [key for key in table.positions() if key in hidden]
    index = {key: number for number, key in enumerate(variables)}
    equations: list[np.ndarray] = []
    constants: list[float] = []
    lines = [([(r, c) for c in table.columns], (r, TOTAL)) for r in [*table.rows, TOTAL]] + [
        ([(r, c) for r in table.rows], (TOTAL, c)) for c in [*table.columns, TOTAL]
    ]
    for parts, total in lines:
        coefficients = np.zeros(len(variables))
        constant = 0.0
        for key, sign in [*((part, 1.0) for part in parts), (total, -1.0)]:
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant -= sign * table.cells[key].value
        if coefficients.any():
            equations.append(coefficients)
            constants.append(constant)
    a_eq = np.array(equations) if equations else None
    b_eq = np.array(constants) if equations else None
    bounds: dict[Key, tuple[float, float]] = {}
    for key in variables if asked is None else asked:
        objective = np.zeros(len(variables))
        objective[index[key]] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status != 0:
            raise RuntimeError(f"the table's equations have no solution: {low.message}")
        bounds[key] = (
            float(low.fun),
            math.inf if high.status == 3 else float(-high.fun),
        )
    return bounds
