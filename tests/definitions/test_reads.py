"""A definition declares the other forms its rules read (`reads:`); each mistake in the
declaration, and other() where it cannot stand, is reported at its line in Polish and English."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ssoz.definitions.dumper import dump_yaml
from ssoz.definitions.form import FieldType, OtherReports, Read, compile_definition
from ssoz.definitions.loader import DefinitionError, DefinitionProblem, parse_definition

from .conftest import definition, line_of

READS = """\
reads:
  - form: MZ-88
    as: MZ88
    cells: {D1.W02.K1: integer, A_OD: date}
"""
SECTIONS = """\
sections:
  - code: D1
    title: {pl: Dział 1, en: Section 1}
    fields:
      - {code: Q1, type: integer, label: {pl: Q1, en: Q1}}
    table:
      columns:
        - {code: K1, label: {pl: Ogółem, en: Total}}
        - {code: K2, label: {pl: Etaty, en: FTE}}
      rows:
        - {code: W01, label: {pl: Specjaliści, en: Specialists}, blocked: [K2]}
        - {code: W02, label: {pl: Lekarze, en: Physicians}}
"""
RULE = """\
rules:
  - id: R3
    expression: "D1.W01.K1 <= other(MZ88, D1.W02.K1)"
    message: {pl: "Za dużo ({other(MZ88, D1.W02.K1)}).", en: "Too many."}
"""


def compiled(text: str):
    return compile_definition(parse_definition(text, filename="t.yaml"), filename="t.yaml")


def problems_of(text: str) -> list[DefinitionProblem]:
    with pytest.raises(DefinitionError) as caught:
        compiled(text)
    return caught.value.problems


def test_the_reads_are_compiled_with_their_types():
    form = compiled(definition(READS + SECTIONS + RULE))
    assert form.reads == (
        Read("MZ-88", "MZ88", (("D1.W02.K1", FieldType.INTEGER), ("A_OD", FieldType.DATE))),
    )
    assert form.needs_others("verify") and not form.needs_others("save")
    assert not compiled(definition(SECTIONS)).needs_others("verify")


def test_a_rule_reads_the_sent_value_and_waits_for_an_unsent_report():
    form = compiled(definition(READS + SECTIONS + RULE))
    sent = OtherReports("2025", {"MZ-88": {"D1.W02.K1": "4"}})
    result = form.check({"D1.W01.K1": "5"}, stage="verify", others=sent)
    assert [e.message_pl for e in result.errors] == ["Za dużo (4)."]
    assert result.errors[0].fields == ("D1.W01.K1",)
    waiting = form.check({"D1.W01.K1": "5"}, stage="verify", others=OtherReports("2025", {}))
    assert not waiting.errors
    assert [(w.rule_id, w.awaiting) for w in waiting.warnings] == [("R3", "MZ-88")]
    assert waiting.warnings[0].message_en == (
        "The rule R3 reads the MZ-88 report for 2025, which has not been sent yet: it will be "
        "checked once that report is sent."
    )
    assert waiting.is_sendable
    (warning,) = waiting.to_dict("pl")["warnings"]
    assert warning["awaiting"] == "MZ-88" and warning["fields"] == []
    assert (
        "awaiting"
        not in form.check({"D1.W01.K1": "5"}, stage="verify", others=sent).to_dict("pl")["errors"][
            0
        ]
    )


def test_a_stored_value_that_does_not_read_as_its_type_is_blank():
    form = compiled(definition(READS + SECTIONS + RULE))
    for stored in ("abc", "NaN", "Infinity", True, ["1"], {"x": 1}, "1" * 60):
        sent = OtherReports("2025", {"mz-88": {"D1.W02.K1": stored}})
        result = form.check({"D1.W01.K1": "5"}, stage="verify", others=sent)
        assert not result.errors and not result.warnings, stored
    sent = OtherReports("2025", {"mz-88": {"D1.W02.K1": Decimal("7")}})
    assert form.check({"D1.W01.K1": "5"}, stage="verify", others=sent).rules_passed == 1


def test_before_sending_with_no_rule_reading_it_still_blocks_sending():
    reads = READS.replace("cells:", "before_sending: true\n    cells:")
    form = compiled(definition(reads + SECTIONS))
    result = form.check({}, stage="verify", others=OtherReports("2025 Q1", {}))
    assert [(e.rule_id, e.awaiting) for e in result.errors] == [("reads.MZ88", "MZ-88")]
    assert "Najpierw wyślij sprawozdanie MZ-88" in result.errors[0].message_pl
    assert not result.is_sendable
    assert form.check({}, stage="verify", others=OtherReports("2025 Q1", {"MZ-88": {}})).is_sendable


def test_a_blocked_cell_of_this_form_may_be_a_cell_of_the_other():
    reads = READS.replace("A_OD: date", "D1.W01.K2: integer")
    rule = RULE.replace("other(MZ88, D1.W02.K1)", "other(MZ88, D1.W01.K2)")
    assert compiled(definition(reads + SECTIONS + rule)).rules


@pytest.mark.parametrize(
    ("change", "fragment", "pl"),
    [
        (
            lambda t: t.replace("form: MZ-88", "form: TEST-1"),
            "form: TEST-1",
            "Formularz nie może czytać samego siebie („TEST-1”). Wartości z poprzedniego okresu "
            "czyta funkcja prev().",
        ),
        (
            lambda t: t.replace(
                "reads:\n", "reads:\n  - {form: MZ-11, as: MZ88, cells: {Q: text}}\n"
            ),
            "    as: MZ88",
            "Nazwa „MZ88” powtarza się w „reads” (pierwszy raz w wierszu 9).",
        ),
        (
            lambda t: t.replace("reads:\n", "reads:\n  - {form: mz-88, as: X, cells: {Q: text}}\n"),
            "form: MZ-88",
            "Formularz „MZ-88” powtarza się w „reads” (pierwszy raz w wierszu 9).",
        ),
        (
            lambda t: t.replace("A_OD: date", "D1..K1: date"),
            "cells:",
            "„D1..K1” nie jest kodem pola ani komórki (litery bez polskich znaków, cyfry, _ i "
            "kropki, np. D1.W02.K1).",
        ),
        (
            lambda t: t.replace("(MZ88, D1.W02.K1)", "(MZ89, D1.W02.K1)", 1),
            "expression:",
            "Definicja nie czyta formularza nazwanego „MZ89” (brak go w „reads”) (wiersz 1, "
            "kolumna 20). Czy chodziło o „MZ88”?",
        ),
        (
            lambda t: t.replace(
                "{code: Q1, type: integer, label: {pl: Q1, en: Q1}}",
                '{code: Q1, type: integer, label: {pl: Q1, en: Q1}, relevant: "other(MZ88, A_OD) '
                "> date('2025-01-01')\"}",
            ),
            "code: Q1",
            "Funkcji other (wartości innego formularza) można używać tylko w regułach, nie w "
            "warunkach (relevant) ani w polach obliczanych (calculation).",
        ),
    ],
)
def test_every_mistake_is_reported_at_its_line(change, fragment, pl):
    text = change(definition(READS + SECTIONS + RULE))
    (problem,) = problems_of(text)
    assert problem.message_pl == pl
    assert problem.line == line_of(text, fragment)
    assert problem.message_en


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda t: t.replace("as: MZ88", "as: MZ-88"), "as: MZ-88"),
        (lambda t: t.replace("A_OD: date", "A_OD: datum"), "A_OD: datum"),
        (lambda t: t.replace("    as: MZ88\n", ""), "- form: MZ-88"),
        (
            lambda t: t.replace("    cells:", "    before_sending: tak\n    cells:"),
            "before_sending",
        ),
    ],
)
def test_the_schema_refuses_a_malformed_declaration(change, fragment):
    text = change(definition(READS + SECTIONS + RULE))
    problems = problems_of(text)
    assert problems and problems[0].line == line_of(text, fragment)


def test_the_yaml_writes_reads_before_the_sections():
    data = parse_definition(definition(SECTIONS + RULE + READS), filename="t.yaml")
    keys = [line.split(":")[0] for line in dump_yaml(data).splitlines() if line[:1].isalpha()]
    assert keys.index("reads") == keys.index("sections") - 1
