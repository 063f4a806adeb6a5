"""A rule written once for the rows (or columns) of a table: for_each makes one rule per row,
named after it, and every mistake in it is reported at the rule, in Polish and English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssoz.definitions.form import compile_definition
from ssoz.definitions.loader import DefinitionError, DefinitionProblem, parse_definition
from ssoz.definitions.rules import Status

from .conftest import definition, line_of

TABLE = """\
sections:
  - code: D1
    title: {pl: Dział 1, en: Section 1}
    table:
      columns:
        - {code: K1, label: {pl: Osoby, en: Persons}}
        - {code: K2, label: {pl: Umowa o pracę, en: Employment}}
  - code: D2
    title: {pl: Dział 2, en: Section 2}
    table:
      columns:
        - {code: K1, label: {pl: Osoby, en: Persons}}
        - {code: K2, label: {pl: Kobiety, en: Women}}
        - {code: K5, label: {pl: Etaty, en: FTE}, type: decimal}
      rows:
        - {code: W01, label: {pl: "Ogółem {w. 02–04}", en: "Total {rows 02–04}"}, total: "W02:W04"}
        - {code: W02, label: {pl: Lekarze, en: Physicians}}
        - {code: W03, label: {pl: Dentyści, en: Dentists}, blocked: [K5]}
        - {code: W04, label: {pl: Pielęgniarki, en: Nurses}}
  - code: A1
    title: {pl: Pytania, en: Questions}
    fields:
      - {code: Q1, type: integer, label: {pl: Pytanie, en: Question}}
"""
# D1 has the rows of D2 (a YAML anchor would do the same in a real definition).
TABLE = TABLE.replace(
    "        - {code: K2, label: {pl: Umowa o pracę, en: Employment}}\n",
    "        - {code: K2, label: {pl: Umowa o pracę, en: Employment}}\n"
    "      rows:\n"
    "        - {code: W01, label: {pl: Ogółem, en: Total}}\n"
    "        - {code: W02, label: {pl: Lekarze, en: Physicians}}\n"
    "        - {code: W03, label: {pl: Dentyści, en: Dentists}}\n"
    "        - {code: W04, label: {pl: Pielęgniarki, en: Nurses}}\n",
    1,
)

FTE = """\
rules:
  - id: D2.fte
    for_each: "D2.W01:W04"
    severity: warning
    expression: "D2.*.K5 <= D2.*.K1"
    message:
      pl: "Wiersz {*} „{*label}”: etaty ({D2.*.K5}) przekraczają liczbę osób ({D2.*.K1})."
      en: "Row {*} \\"{*label}\\": FTE ({D2.*.K5}) exceed persons ({D2.*.K1})."
"""


def compiled(rules: str):
    text = definition(TABLE + rules)
    return compile_definition(parse_definition(text, filename="t.yaml"), filename="t.yaml")


def problems_of(rules: str) -> tuple[str, list[DefinitionProblem]]:
    text = definition(TABLE + rules)
    with pytest.raises(DefinitionError) as caught:
        compile_definition(parse_definition(text, filename="t.yaml"), filename="t.yaml")
    return text, caught.value.problems


def only_problem(rules: str) -> tuple[str, DefinitionProblem]:
    text, problems = problems_of(rules)
    assert len(problems) == 1, problems
    return text, problems[0]


def test_a_repeating_rule_makes_one_rule_per_row_in_table_order_named_after_the_row():
    form = compiled(FTE)
    rules = {rule.rule_id: rule for rule in form.rules}
    assert list(rules) == ["D2.fte.W01", "D2.fte.W02", "D2.fte.W04"]
    assert rules["D2.fte.W02"].source == "D2.W02.K5 <= D2.W02.K1"
    assert rules["D2.fte.W02"].fields == ("D2.W02.K5", "D2.W02.K1")
    assert {rule.severity for rule in rules.values()} == {"warning"}


def test_a_row_whose_rule_would_read_a_blocked_cell_is_left_out():
    form = compiled(FTE)
    assert "D2.fte.W03" not in {rule.rule_id for rule in form.rules}


def test_each_rows_message_names_its_code_and_its_label_in_the_messages_language():
    form = compiled(FTE)
    result = form.check({"D2.W02.K1": "2", "D2.W02.K5": "3", "D2.W04.K1": "1"}, stage="verify")
    warnings = {w.rule_id: w for w in result.warnings}
    assert set(warnings) == {"D2.fte.W02"}  # the total: 3 FTE of 3 persons
    assert warnings["D2.fte.W02"].message_pl == (
        "Wiersz W02 „Lekarze”: etaty (3) przekraczają liczbę osób (2)."
    )
    assert warnings["D2.fte.W02"].message_en == 'Row W02 "Physicians": FTE (3) exceed persons (2).'


def test_braces_in_a_label_are_shown_as_they_are():
    form = compiled(FTE)
    result = form.check({"D2.W02.K1": "1", "D2.W02.K5": "3"}, stage="verify")
    total = next(w for w in result.warnings if w.rule_id == "D2.fte.W01")
    assert (
        total.message_pl
        == "Wiersz W01 „Ogółem {w. 02–04}”: etaty (3) przekraczają liczbę osób (1)."
    )
    assert total.message_en == 'Row W01 "Total {rows 02–04}": FTE (3) exceed persons (1).'


def test_a_repeating_rule_may_compare_two_tables_and_multiply():
    form = compiled(
        """\
rules:
  - id: FTE
    for_each: "D2.W02:W04"
    expression: "D2.*.K5 <= D1.*.K2 * 1.5"
    missing: blank_as_zero
    fields: [D2.*.K5]
    message: {pl: "Wiersz {*}: {D2.*.K5} > {D1.*.K2} × 1,5.", en: "Row {*}: too many FTE."}
"""
    )
    rules = {rule.rule_id: rule for rule in form.rules}
    assert list(rules) == ["FTE.W02", "FTE.W04"]
    assert rules["FTE.W04"].source == "D2.W04.K5 <= D1.W04.K2 * 1.5"
    assert rules["FTE.W04"].fields == ("D2.W04.K5",)
    result = form.check({"D2.W04.K5": "2", "D1.W04.K2": "1"}, stage="verify")
    assert [e.message_pl for e in result.errors] == ["Wiersz W04: 2 > 1 × 1,5."]


def test_a_repeating_rule_over_columns_names_each_column():
    form = compiled(
        """\
rules:
  - id: D2.total
    for_each: "D2.K1:K2"
    expression: "D2.W02.* <= D2.W01.*"
    message: {pl: "Kolumna {*} „{*label}”.", en: "Column {*} \\"{*label}\\"."}
"""
    )
    rules = {rule.rule_id: rule for rule in form.rules}
    assert list(rules) == ["D2.total.K1", "D2.total.K2"]
    assert rules["D2.total.K2"].source == "D2.W02.K2 <= D2.W01.K2"
    assert rules["D2.total.K2"].message_pl.template == "Kolumna K2 „Kobiety”."


def test_the_rules_of_a_repeating_rule_in_a_section_belong_to_that_section():
    text = definition(TABLE).replace(
        "      - {code: Q1, type: integer, label: {pl: Pytanie, en: Question}}\n",
        "      - {code: Q1, type: integer, label: {pl: Pytanie, en: Question}}\n"
        "    rules:\n"
        "      - id: Q1.vs\n"
        '        for_each: "D2.W02:W04"\n'
        '        expression: "D2.*.K1 <= Q1"\n'
        "        message: {pl: 'Za dużo', en: 'Too many'}\n",
    )
    text = text.replace("  - code: A1\n", '  - code: A1\n    relevant: "D1.W01.K1 > 0"\n')
    form = compile_definition(parse_definition(text, filename="t.yaml"), filename="t.yaml")
    assert [rule.rule_id for rule in form.section("A1").rules] == [
        "Q1.vs.W02",
        "Q1.vs.W03",
        "Q1.vs.W04",
    ]
    result = form.check({"D2.W02.K1": "5"}, stage="verify")
    assert {r.rule_id for r in result.rule_results} == {"Q1.vs.W02", "Q1.vs.W03", "Q1.vs.W04"}
    assert all(r.status == Status.SKIPPED for r in result.rule_results)


# -- mistakes, each at its line, in Polish and English ------------------------------------------


def test_a_for_each_that_is_not_a_range_is_refused_by_the_schema():
    text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D2.W01"'))
    assert problem.line == line_of(text, "for_each:")
    assert problem.item == "rule D2.fte"
    assert problem.message_pl == (
        "Klucz „for_each”: niewłaściwa postać – podano tekst „D2.W01”; oczekiwano: zakres "
        "wierszy albo kolumn tabeli działu, np. D2.W02:W16 (wiersze) albo D2.K1:K5 (kolumny)."
    )
    assert problem.message_en.startswith('The key "for_each": wrong form')


def test_a_for_each_mixing_rows_and_columns_is_not_a_range():
    _text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D2.W01:K5"'))
    assert "niewłaściwa postać" in problem.message_pl


def test_a_for_each_over_a_section_without_a_table_is_reported():
    text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"A1.W01:W04"'))
    assert problem.line == line_of(text, "for_each:")
    assert problem.item == "rule D2.fte"
    assert problem.message_pl == (
        "Klucz „for_each”: „A1.W01:W04” nie jest zakresem tabeli, bo dział „A1” nie ma tabeli."
    )
    assert problem.message_en == (
        'Key "for_each": "A1.W01:W04" is not a range of a table: the section "A1" has no table.'
    )


def test_a_for_each_over_an_unknown_section_is_reported():
    _text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D9.W01:W04"'))
    assert problem.message_pl == (
        "Klucz „for_each”: „D9.W01:W04” nie jest zakresem tabeli, bo dział „D9” nie istnieje."
    )


def test_a_for_each_naming_a_missing_row_or_column_is_reported():
    _text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D2.W01:W09"'))
    assert problem.message_pl == "Klucz „for_each”: tabela działu „D2” nie ma wiersza „W09”."
    assert problem.message_en == 'Key "for_each": the table of section "D2" has no row "W09".'
    _text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D2.K1:K7"'))
    assert problem.message_pl == "Klucz „for_each”: tabela działu „D2” nie ma kolumny „K7”."


def test_a_reversed_for_each_is_reported():
    text, problem = only_problem(FTE.replace('"D2.W01:W04"', '"D2.W04:W02"'))
    assert problem.line == line_of(text, "for_each:")
    assert problem.message_pl == (
        "Klucz „for_each”: zakres „D2.W04:W02” jest odwrócony: „W04” stoi w tabeli za „W02”. "
        "Napisz go od pierwszego do ostatniego wiersza."
    )
    assert problem.message_en == (
        'Key "for_each": the range "D2.W04:W02" is reversed: "W04" comes after "W02" in the '
        "table. Write it from the first row to the last."
    )


def test_a_repeating_rule_without_a_star_in_its_expression_is_reported():
    text, problem = only_problem(FTE.replace('"D2.*.K5 <= D2.*.K1"', '"D2.W02.K5 <= D2.W02.K1"'))
    assert problem.line == line_of(text, "expression:")
    assert problem.item == "rule D2.fte"
    assert problem.message_pl == (
        "Reguła powtarzana dla wierszy (for_each) musi mieć w wyrażeniu „*” w miejscu kodu "
        "wiersza, np. D2.*.K1; bez niego każda jej kopia sprawdzałaby to samo."
    )
    assert problem.message_en.startswith('A rule repeated for rows (for_each) needs "*"')


def test_a_star_only_inside_a_text_does_not_count():
    _text, problem = only_problem(FTE.replace('"D2.*.K5 <= D2.*.K1"', "\"'D2.*.K5' != ''\""))
    assert problem.message_pl.startswith("Reguła powtarzana dla wierszy (for_each) musi mieć")


def test_a_star_in_a_rule_without_for_each_is_reported_where_it_stands():
    text, problem = only_problem(FTE.replace('    for_each: "D2.W01:W04"\n', ""))
    assert problem.line == line_of(text, "expression:")
    assert problem.item == "rule D2.fte"
    assert problem.message_pl == (
        "„*” (wiersz 1, kolumna 4) oznacza kod bieżącego wiersza lub kolumny tylko w regule "
        "powtarzanej, a ta reguła nie ma klucza „for_each”. Dodaj go z zakresem wierszy lub "
        'kolumn (np. for_each: "D2.W02:W16") albo wpisz kod wprost.'
    )
    assert problem.message_en.startswith('"*" (line 1, column 4) stands for the current row')


def test_a_row_placeholder_in_the_message_of_a_rule_without_for_each_is_reported():
    text, problem = only_problem(
        """\
rules:
  - id: R1
    expression: "D2.W02.K5 <= D2.W02.K1"
    message: {pl: "Wiersz {*}", en: "Row"}
"""
    )
    assert problem.line == line_of(text, "message:")
    assert problem.message_pl.startswith("„*” (wiersz 1, kolumna 8) oznacza kod bieżącego")


def test_a_star_in_a_relevance_condition_is_explained():
    text = definition(TABLE).replace(
        "  - code: A1\n", '  - code: A1\n    relevant: "D2.*.K1 > 0"\n'
    )
    with pytest.raises(DefinitionError) as caught:
        compile_definition(parse_definition(text, filename="t.yaml"), filename="t.yaml")
    (problem,) = caught.value.problems
    assert problem.message_pl == (
        "Niedozwolony znak „.” (wiersz 1, kolumna 3). „*” w miejscu kodu wiersza lub kolumny "
        "(np. D2.*.K5) ma znaczenie tylko w regule powtarzanej, z kluczem for_each."
    )


def test_an_expanded_id_taken_by_an_earlier_rule_is_reported():
    rules = """\
rules:
  - id: D2.fte.W02
    expression: "Q1 >= 0"
    message: {pl: "Q1", en: "Q1"}
""" + FTE.removeprefix("rules:\n")
    text, problem = only_problem(rules)
    assert problem.line == line_of(text, "- id: D2.fte", occurrence=2)
    assert problem.item == "rule D2.fte.W02"
    first = line_of(text, "- id: D2.fte.W02")
    assert problem.message_pl == (
        f"Reguła „D2.fte” powtarzana dla wiersza W02 dostaje identyfikator „D2.fte.W02”, który "
        f"ma już inna reguła (wiersz {first}). Zmień identyfikator jednej z nich."
    )
    assert problem.message_en == (
        f'The rule "D2.fte" repeated for row W02 gets the id "D2.fte.W02", which another rule '
        f"already has (line {first}). Change the id of one of them."
    )


def test_an_id_taken_by_an_earlier_repeating_rule_is_reported():
    rules = (
        FTE
        + """\
  - id: D2.fte.W04
    expression: "Q1 >= 0"
    message: {pl: "Q1", en: "Q1"}
"""
    )
    text, problem = only_problem(rules)
    assert problem.line == line_of(text, "- id: D2.fte.W04")
    first = line_of(text, "- id: D2.fte")
    assert problem.message_pl == (
        f"Identyfikator reguły „D2.fte.W04” ma już reguła „D2.fte” powtarzana dla wiersza W04 "
        f"(wiersz {first}). Zmień identyfikator jednej z nich."
    )


def test_an_error_in_the_expression_for_one_row_names_the_row_and_the_written_position():
    text, problem = only_problem(FTE.replace('"D2.*.K5 <= D2.*.K1"', '"D2.*.K5 <= D1.*.K9"'))
    assert problem.line == line_of(text, "expression:")
    assert problem.item == "rule D2.fte"
    assert problem.message_pl == (
        "Reguła dla wiersza W01: Nieznana komórka „D1.W01.K9” w wyrażeniu (wiersz 1, kolumna "
        "12). Dział „D1” nie ma kolumny „K9”."
    )
    assert problem.message_en == (
        'The rule for row W01: Unknown cell "D1.W01.K9" in the expression (line 1, column 12). '
        'Section "D1" has no column "K9".'
    )


def test_an_error_in_a_message_for_one_column_names_the_column():
    text, problem = only_problem(
        """\
rules:
  - id: D2.cols
    for_each: "D2.K1:K2"
    expression: "D2.W02.* <= D2.W01.*"
    message: {pl: "Kolumna {*}: {D2.W02.* + 'a'}", en: "Column {*}"}
"""
    )
    assert problem.line == line_of(text, "message:")
    assert problem.message_pl.startswith(
        "Reguła dla kolumny K1: W komunikacie: Nie można dodać tekstu do liczby: "
        "„D2.W02.K1 + 'a'” (wiersz 1, kolumna 15)."
    )
    assert problem.message_en.startswith("The rule for column K1: In the message:")


def test_a_repeating_rule_and_its_fields_in_the_loaders_schema():
    _text, problem = only_problem(FTE.replace('    for_each: "D2.W01:W04"\n', "    for_each: 3\n"))
    assert problem.message_pl.startswith("Klucz „for_each”: oczekiwano tekstu")


# -- the same as the rules written out, whatever the values ------------------------------------

EXPRESSIONS = [
    ("D2.*.K5 <= D2.*.K1", "skip_if_any_blank"),
    ("D2.*.K5 * 2 <= D2.*.K1 + D1.*.K2", "blank_as_zero"),
    ("if D2.*.K1 > 0 then D2.*.K2*1 <= D2.*.K1", "skip_if_all_blank"),
    ("sum(D2.*.K1:K2) >= D2.*.K5 or blank(D1.*.K1)", "skip_if_any_blank"),
]
ROWS = ("W01", "W02", "W03", "W04")
CELLS = [f"{s}.{r}.{c}" for s in ("D1", "D2") for r in ROWS for c in ("K1", "K2", "K5")]
INPUTS = [
    cell
    for cell in CELLS
    if cell not in {"D1.W01.K5", "D1.W02.K5", "D1.W03.K5", "D1.W04.K5", "D2.W03.K5"}
    and not cell.startswith("D2.W01.")
]


def _written_out(expression: str, missing: str) -> str:
    rules = ["rules:"]
    for row in ROWS:
        if row == "W03" and "K5" in expression:
            continue  # D2.W03.K5 is blocked
        rules += [
            f"  - id: R.{row}",
            f'    expression: "{expression.replace(".*.", f".{row}.")}"',
            f"    missing: {missing}",
            "    message: {pl: 'Wiersz " + row + ": {D2." + row + ".K1}', en: 'Row " + row + "'}",
        ]
    return "\n".join(rules) + "\n"


def _repeating(expression: str, missing: str) -> str:
    return (
        "rules:\n"
        "  - id: R\n"
        '    for_each: "D2.W01:W04"\n'
        f'    expression: "{expression}"\n'
        f"    missing: {missing}\n"
        "    message: {pl: 'Wiersz {*}: {D2.*.K1}', en: 'Row {*}'}\n"
    )


FORMS = [(compiled(_repeating(*e)), compiled(_written_out(*e))) for e in EXPRESSIONS]
values = st.dictionaries(
    st.sampled_from(INPUTS),
    st.one_of(st.integers(-3, 30).map(str), st.just(""), st.just("1,5")),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(FORMS))), values)
def test_a_repeating_rule_gives_what_the_rules_written_out_give(which, raw):
    repeating, written_out = FORMS[which]
    assert [r.rule_id for r in repeating.rules] == [r.rule_id for r in written_out.rules]
    one = repeating.check(raw, stage="verify")
    other = written_out.check(raw, stage="verify")
    assert one.rule_results == other.rule_results
    assert one.rules_passed == other.rules_passed
    assert one.values == other.values


def test_the_rules_written_out_and_repeated_compare_real_values():
    repeating, _written = FORMS[0]
    result = repeating.check({"D2.W02.K1": "1", "D2.W02.K5": "1,5"}, stage="verify")
    assert {r.rule_id for r in result.rule_results if r.status == Status.FAILED} == {
        "R.W01",
        "R.W02",
    }
    assert result.values["D2.W01.K5"] == Decimal("1.5")
