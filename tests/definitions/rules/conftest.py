"""Shared schema and helpers for the rule language tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from ssoz.definitions.rules import MissingValues, Schema, TableLayout, Type, compile_expression

ROWS = ["W01", "W02", "W03", "W04", "W05"]
COLUMNS = ["K1", "K2", "K3"]


def make_schema() -> Schema:
    return Schema(
        refs={
            "Q1": Type.NUMBER,
            "Q2": Type.NUMBER,
            "Q3": Type.NUMBER,
            "name": Type.STRING,
            "kind": Type.CHOICE,
            "tools": Type.MULTI,
            "agree": Type.BOOLEAN,
            "start": Type.DATE,
            "end": Type.DATE,
            "A3.q4": Type.NUMBER,
            "D2.W01.K1": Type.STRING,  # a text cell in a table
        },
        tables={
            "D1": TableLayout(ROWS, COLUMNS),
            "D2": TableLayout(["W01", "W02"], ["K1", "K2"]),
        },
        choices={"kind": {"public", "private"}, "tools": {"av", "fw", "siem"}},
        scores={"kind": {"public": 2, "private": "0.5"}},
    )


@pytest.fixture(scope="session")
def schema() -> Schema:
    return make_schema()


def d(text: str | int) -> Decimal:
    return Decimal(str(text))


Evaluate = Callable[..., Any]


@pytest.fixture(scope="session")
def ev(schema: Schema) -> Evaluate:
    """ev(source, values, previous=None, missing=...) -> value."""

    def evaluate(
        source: str,
        values: Mapping[str, Any] | None = None,
        previous: Mapping[str, Any] | None = None,
        missing: MissingValues = MissingValues.SKIP_IF_ANY_BLANK,
    ) -> Any:
        expression = compile_expression(source, schema)
        return expression.evaluate(values or {}, previous, missing)

    return evaluate


DATE = datetime.date
