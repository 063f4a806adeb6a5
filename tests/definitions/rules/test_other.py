"""other(ALIAS, ref): a value of another form the definition reads, of the type it declares;
every mistake reported with its line and column, in Polish and English."""

from decimal import Decimal

import pytest

from ssoz.definitions.rules import (
    MissingValues,
    RuleEngineError,
    RuleUnknownReferenceError,
    RuleValueError,
    Schema,
    Severity,
    TableLayout,
    Type,
    compile_expression,
    compile_rule,
    other_values,
)

SCHEMA = Schema(
    {"Q1": Type.NUMBER},
    {"D1": TableLayout(["W01", "W02"], ["K1"])},
    others={"MZ88": {"D1.W02.K1": Type.NUMBER, "A_OD": Type.DATE, "A_OK": Type.BOOLEAN}},
)


def error_of(source: str) -> RuleEngineError:
    with pytest.raises(RuleEngineError) as caught:
        compile_expression(source, SCHEMA, expect=Type.BOOLEAN)
    return caught.value


def test_a_value_of_another_form_is_of_its_declared_type():
    assert compile_expression("other(MZ88, D1.W02.K1)", SCHEMA).type == Type.NUMBER
    assert compile_expression("other(MZ88, A_OD)", SCHEMA).type == Type.DATE
    assert compile_expression("other(MZ88, A_OK)", SCHEMA).type == Type.BOOLEAN


def test_it_is_no_field_of_this_report():
    rule = compile_rule(
        "R3", "D1.W01.K1 <= other(MZ88, D1.W02.K1)", SCHEMA, severity=Severity.ERROR,
        message_pl="{other(MZ88, D1.W02.K1)}", message_en="x",
        missing=MissingValues.BLANK_AS_ZERO,
    )  # fmt: skip
    assert rule.fields == ("D1.W01.K1",)
    assert rule.references == {"D1.W01.K1"}
    assert rule.reads_other == ("MZ88",)
    assert not rule.prev_references


def test_blank_is_never_zero_even_under_blank_as_zero():
    rule = compile_rule(
        "R3", "D1.W01.K1 <= other(MZ88, D1.W02.K1)", SCHEMA, severity=Severity.ERROR,
        message_pl="{D1.W01.K1} > {other(MZ88, D1.W02.K1)}", message_en="x",
        missing=MissingValues.BLANK_AS_ZERO,
    )  # fmt: skip
    assert rule.check({"D1.W01.K1": Decimal(5)}, {}).status == "skipped"
    failed = rule.check({"D1.W01.K1": Decimal(5)}, other_values("MZ88", {"D1.W02.K1": Decimal(4)}))
    assert failed.status == "failed" and failed.message_pl == "5 > 4"
    assert rule.check({}, other_values("MZ88", {"D1.W02.K1": Decimal(4)})).status == "passed"


@pytest.mark.parametrize("function", ["sum", "min", "max", "avg"])
def test_a_blank_passed_in_for_another_forms_value_is_blank_in_every_function(function):
    rule = compile_rule(
        "R4", f"{function}(other(MZ88, D1.W02.K1)) = 1", SCHEMA, severity=Severity.ERROR,
        message_pl="x", message_en="x",
    )  # fmt: skip
    # A caller that passes the blank itself, not leaving it out, gets the same: skipped.
    assert rule.check({}, {"@MZ88:D1.W02.K1": None}).status == "skipped"
    assert rule.check({}, other_values("MZ88", {"D1.W02.K1": Decimal(1)})).status == "passed"


def test_a_value_of_the_wrong_type_for_another_form_is_refused():
    rule = compile_rule(
        "R5", "other(MZ88, D1.W02.K1) > 0", SCHEMA, severity=Severity.ERROR,
        message_pl="x", message_en="x",
    )  # fmt: skip
    with pytest.raises(RuleValueError, match="D1.W02.K1"):
        rule.check({}, {"@MZ88:D1.W02.K1": "7"})


@pytest.mark.parametrize(
    ("source", "pl", "en"),
    [
        (
            "other(MZ8, D1.W02.K1) > 0",
            "Definicja nie czyta formularza nazwanego „MZ8” (brak go w „reads”) (wiersz 1, "
            "kolumna 7). Czy chodziło o „MZ88”?",
            'The definition reads no form named "MZ8" (it is not in "reads") (line 1, column 7). '
            'Did you mean "MZ88"?',
        ),
        (
            "other(MZ88, D1.W09.K1) > 0",
            "Formularz „MZ88” nie ma w „reads” komórki „D1.W09.K1” (wiersz 1, kolumna 13). Czy "
            "chodziło o „D1.W02.K1”?",
            'The form "MZ88" has no cell "D1.W09.K1" in "reads" (line 1, column 13). Did you mean '
            '"D1.W02.K1"?',
        ),
        (
            "other(D1.W01.K1, D1.W02.K1) > 0",
            "Pierwszym argumentem funkcji other musi być nazwa czytanego formularza z „reads” "
            "(as), a podano „D1.W01.K1” (wiersz 1, kolumna 7). Znane nazwy: MZ88.",
            'The first argument of other must be the name of a form read in "reads" (as), but '
            '"D1.W01.K1" was given (line 1, column 7). Known names: MZ88.',
        ),
        (
            "other(MZ88, 2) > 0",
            "Drugim argumentem funkcji other musi być kod komórki albo pola czytanego formularza, "
            "a podano „2” (wiersz 1, kolumna 13). Na przykład other(MZ88, D1.W01.K1).",
            "The second argument of other must be the code of a cell or field of the form read, "
            'but "2" was given (line 1, column 13). For example other(MZ88, D1.W01.K1).',
        ),
        (
            "prev(other(MZ88, D1.W02.K1)) > 0",
            "Funkcji other nie można użyć wewnątrz prev() (wiersz 1, kolumna 6). Inny formularz "
            "czyta się tylko za bieżący okres.",
            "other cannot be used inside prev() (line 1, column 6). Another form is read for the "
            "current period only.",
        ),
        (
            "other(MZ88, A_OD) > 0",
            "Nie można porównać datę z liczbą: „other(MZ88, A_OD) > 0” (wiersz 1, kolumna 1).",
            'Cannot compare a date with a number: "other(MZ88, A_OD) > 0" (line 1, column 1).',
        ),
        (
            "other(MZ88) > 0",
            "Funkcja other przyjmuje dokładnie 2 argumenty, a podano 1 (wiersz 1, kolumna 1). "
            "Zapis: other(ALIAS, D1.W01.K1).",
            "The function other takes exactly 2 arguments, but 1 were given (line 1, column 1). "
            "Usage: other(ALIAS, D1.W01.K1).",
        ),
    ],
)
def test_every_mistake_is_reported_with_its_position(source, pl, en):
    error = error_of(source)
    assert (error.message, error.message_en) == (pl, en)


def test_an_unknown_name_or_cell_is_an_unknown_reference():
    assert isinstance(error_of("other(X, D1.W02.K1) > 0"), RuleUnknownReferenceError)
    assert isinstance(error_of("other(MZ88, Q1) > 0"), RuleUnknownReferenceError)


def test_without_reads_no_name_is_known():
    with pytest.raises(RuleEngineError) as caught:
        compile_expression("other(MZ88, D1.W02.K1) > 0", Schema({}), expect=Type.BOOLEAN)
    assert caught.value.message.endswith("Znane nazwy: —.")


def test_it_prints_back_as_written():
    expression = compile_expression("other( MZ88 , D1.W02.K1 )<=1", SCHEMA)
    assert expression.to_source() == "other(MZ88, D1.W02.K1) <= 1"
