"""period_start(), period_end() and deadline(): the report period's own dates, values of the
context like prev(), never fields."""

from __future__ import annotations

import datetime

import pytest

from ssoz.definitions.rules import (
    MissingValues,
    RuleTypeError,
    Schema,
    Severity,
    Type,
    compile_expression,
    compile_message,
    compile_rule,
    period_values,
)

from .conftest import DATE, Evaluate, d

YEAR_2024 = period_values(DATE(2024, 1, 1), DATE(2024, 12, 31), DATE(2025, 3, 31))


def test_the_period_functions_give_the_dates_of_the_period(ev: Evaluate) -> None:
    assert ev("period_start()", {}, YEAR_2024) == DATE(2024, 1, 1)
    assert ev("period_end()", {}, YEAR_2024) == DATE(2024, 12, 31)
    assert ev("deadline()", {}, YEAR_2024) == DATE(2025, 3, 31)


def test_they_are_dates(schema: Schema) -> None:
    for name in ("period_start", "period_end", "deadline"):
        assert compile_expression(f"{name}()", schema).type == Type.DATE


def test_not_after_the_end_of_the_period_is_written_as_such(ev: Evaluate) -> None:
    rule = "if filled(start) then start <= period_end()"
    assert ev(rule, {"start": DATE(2024, 12, 31)}, YEAR_2024) is True
    assert ev(rule, {"start": DATE(2025, 1, 1)}, YEAR_2024) is False
    assert ev(rule, {}, YEAR_2024) is None  # skipped: nothing entered


def test_without_a_period_they_are_blank_and_what_depends_on_them_is_skipped(
    ev: Evaluate,
) -> None:
    assert ev("period_end()", {}, None) is None
    for missing in MissingValues:
        assert ev("start <= period_end()", {"start": DATE(2024, 5, 1)}, {}, missing) is None
        assert ev("start <= deadline()", {"start": DATE(2024, 5, 1)}, None, missing) is None


def test_a_blank_period_never_skips_a_rule_by_itself(ev: Evaluate) -> None:
    # Three-valued logic decides without it, as with prev().
    assert ev("Q1 > 0 or start <= period_end()", {"Q1": d(1), "start": DATE(2030, 1, 1)}) is True
    assert ev("Q1 > 0 and start <= period_end()", {"Q1": d(-1), "start": DATE(2030, 1, 1)}) is False


def test_filled_tells_whether_the_period_is_known(ev: Evaluate) -> None:
    assert ev("filled(period_end())", {}, YEAR_2024) is True
    assert ev("filled(period_end())", {}, {}) is False
    assert ev("coalesce(deadline(), date('2030-01-01'))", {}, {}) == DATE(2030, 1, 1)


def test_they_are_not_fields_read_nor_highlighted(schema: Schema) -> None:
    expression = compile_expression("start <= period_end() and end >= period_start()", schema)
    assert expression.references == {"start", "end"}
    assert expression.prev_references == frozenset()
    assert expression.current_references == ("start", "end")
    assert expression.uses_period
    rule = compile_rule(
        "R1",
        "start <= deadline()",
        schema,
        severity=Severity.ERROR,
        message_pl="Po terminie ({deadline()}).",
        message_en="After the deadline ({deadline()}).",
    )
    assert rule.fields == ("start",)
    assert rule.prev_references == frozenset()
    assert rule.uses_period


def test_a_message_may_show_them_as_dates(schema: Schema) -> None:
    message = compile_message("Data {start} jest po końcu okresu ({period_end()}).", schema)
    values = {"start": DATE(2025, 1, 2)}
    assert message.render(values, YEAR_2024) == "Data 02.01.2025 jest po końcu okresu (31.12.2024)."
    assert message.render(values, YEAR_2024, language="en").endswith("(2024-12-31).")
    assert message.render(values) == "Data 02.01.2025 jest po końcu okresu (—)."
    assert message.uses_period


def test_a_message_alone_uses_the_period(schema: Schema) -> None:
    rule = compile_rule(
        "R1",
        "start <= end",
        schema,
        severity=Severity.WARNING,
        message_pl="{period_end()}",
        message_en="{period_end()}",
    )
    assert not rule.expression.uses_period
    assert rule.uses_period
    assert rule.check(
        {"start": DATE(2025, 2, 1), "end": DATE(2025, 1, 1)}, YEAR_2024
    ).message_pl == ("31.12.2024")


def test_the_current_values_cannot_pose_as_the_period(ev: Evaluate) -> None:
    assert ev("period_end()", {"@period_end": DATE(2024, 12, 31)}, None) is None


def test_blank_as_zero_never_reads_a_missing_period_as_anything(ev: Evaluate) -> None:
    assert ev("start <= period_end()", {"start": DATE(2024, 1, 1)}, {}, "blank_as_zero") is None


def test_period_values_leaves_blank_dates_out_and_refuses_other_types() -> None:
    assert period_values(end=DATE(2024, 12, 31)) == {"@period_end": DATE(2024, 12, 31)}
    assert period_values() == {}
    with pytest.raises(TypeError):
        period_values(end=datetime.datetime(2024, 12, 31))  # noqa: DTZ001
    with pytest.raises(TypeError):
        period_values(start="2024-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "period_end(1) > start",
            "Funkcja period_end nie przyjmuje argumentów, a podano 1 (wiersz 1, kolumna 1). "
            "Zapis: period_end().",
        ),
        (
            "prev(deadline()) > start",
            "Funkcji deadline nie można użyć wewnątrz prev() (wiersz 1, kolumna 6). Znane są "
            "tylko daty bieżącego okresu.",
        ),
        (
            "period_end > start",
            "Nieznane pole „period_end” w wyrażeniu (wiersz 1, kolumna 1). „period_end” to nazwa "
            "funkcji — pisze się ją z nawiasem: period_end().",
        ),
        (
            "period_start() + 1 > 0",
            "Nie można dodać liczby do daty: „period_start() + 1” (wiersz 1, kolumna 1).",
        ),
        (
            "deadline() > 5",
            "Nie można porównać datę z liczbą: „deadline() > 5” (wiersz 1, kolumna 1).",
        ),
    ],
)
def test_mistakes_with_the_period_functions_are_explained_in_polish(
    schema: Schema, source: str, message: str
) -> None:
    with pytest.raises(RuleTypeError) as caught:
        compile_expression(source, schema)
    assert caught.value.message == message
