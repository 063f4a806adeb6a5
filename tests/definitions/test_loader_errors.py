"""Every kind of definition error is reported with its file, line and item, all at once."""

from __future__ import annotations

import pytest

from ssoz.definitions.form import compile_definition
from ssoz.definitions.loader import DefinitionError, DefinitionProblem, parse_definition

from .conftest import definition, line_of

TABLE = """\
sections:
  - code: D1
    title: {pl: Dział 1, en: Section 1}
    table:
      columns:
        - {code: K1, label: {pl: Ogółem, en: Total}, total: "K2:K3"}
        - {code: K2, label: {pl: Umowa o pracę, en: Employment}}
        - {code: K3, label: {pl: Inne, en: Other}}
        - {code: K4, label: {pl: Etaty, en: FTE}, type: decimal}
      rows:
        - {code: W01, label: {pl: Ogółem, en: Total}, total: [W02, W04]}
        - {code: W02, label: {pl: Lekarze, en: Physicians}}
        - {code: W03, label: {pl: w tym specjaliści, en: of which specialists}, of_which: W02}
        - {code: W04, label: {pl: Dentyści, en: Dentists}, blocked: [K4]}
"""


def problems_of(text: str) -> list[DefinitionProblem]:
    """Every problem of a definition, from the loader or, if it passes, the compiler."""
    with pytest.raises(DefinitionError) as caught:
        compile_definition(parse_definition(text, filename="mz-88.yaml"), filename="mz-88.yaml")
    return caught.value.problems


def only_problem(text: str) -> DefinitionProblem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_valid_table_definition_compiles():
    form = compile_definition(parse_definition(definition(TABLE), filename="t.yaml"), filename="t")
    assert form.field("D1.W01.K1").computed


def test_a_yaml_syntax_error_gives_its_line_and_column():
    text = definition("sections:\n  - code: D1\n    title: {pl: a, en: b\n")
    problem = only_problem(text)
    assert problem.file == "mz-88.yaml"
    assert problem.line == line_of(text, "title: {pl: a, en: b") + 1
    assert problem.message_pl.startswith("Błąd składni YAML: brak przecinka albo nawiasu")
    assert problem.message_en.startswith("YAML syntax error:")


def test_a_tab_in_the_indentation_is_named():
    text = definition("sections:\n\t- code: D1\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "- code: D1")
    assert "tabulacji" in problem.message_pl


def test_a_repeated_key_is_reported_with_both_lines():
    text = definition(TABLE).replace(
        "title: {pl: Dział 1, en: Section 1}",
        "title: {pl: Dział 1, en: Section 1}\n    title: {pl: Dział 1, en: Section 1}",
    )
    problem = only_problem(text)
    first = line_of(text, "title: {pl: Dział 1")
    assert problem.line == first + 1
    assert problem.item == "section D1"
    assert f"pierwszy raz w wierszu {first}" in problem.message_pl


def test_an_unknown_key_is_reported_at_its_line_with_a_suggestion():
    text = definition(TABLE).replace(
        "- {code: K2, label: {pl: Umowa o pracę, en: Employment}}",
        "- {code: K2, lable: {pl: Umowa o pracę, en: Employment}}",
    )
    problems = problems_of(text)
    unknown = next(p for p in problems if "Nieznany klucz" in p.message_pl)
    assert unknown.line == line_of(text, "lable:")
    assert unknown.item == "column D1.K2"
    assert unknown.message_pl == "Nieznany klucz „lable”. Czy chodziło o „label”?"
    assert unknown.message_en == 'Unknown key "lable". Did you mean "label"?'
    missing = next(p for p in problems if "Brak wymaganego klucza" in p.message_pl)
    assert missing.message_pl == "Brak wymaganego klucza „label”."


def test_a_value_outside_the_schema_names_the_allowed_ones():
    text = definition(TABLE).replace("type: decimal", "type: decimall")
    problem = only_problem(text)
    assert problem.line == line_of(text, "type: decimall")
    assert problem.item == "column D1.K4"
    assert "dozwolone: integer, decimal, percentage, money" in problem.message_pl
    assert "Czy chodziło o „decimal”?" in problem.message_pl


def test_an_unquoted_yes_gets_the_advice_to_quote_it():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            fields:
              - code: Q1
                type: single_choice
                label: {pl: a, en: b}
                choices:
                  - {code: yes, label: {pl: tak, en: yes}}
        """
    )
    problems = problems_of(text)
    assert {p.line for p in problems} == {line_of(text, "- {code: yes")}
    assert any("Ujmij wartość w cudzysłów" in p.message_pl for p in problems)


def test_keys_that_do_not_fit_the_field_type_are_refused():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            fields:
              - code: Q1
                type: integer
                label: {pl: a, en: b}
                choices:
                  - {code: a, label: {pl: a, en: b}}
        """
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "choices:")
    assert problem.item == "field Q1"
    assert "tylko przy polach single_choice i multiple_choice" in problem.message_pl


def test_a_rule_naming_an_unknown_cell_is_reported_at_its_expression():
    text = definition(
        TABLE
        + """\
rules:
  - id: R01
    expression: "D1.W01.K1 >= 0"
    message: {pl: a, en: b}
  - id: R03
    expression: "D1.W10.K1 > 0"
    message: {pl: a, en: b}
"""
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "D1.W10.K1")
    assert problem.item == "rule R03"
    assert "„D1.W10.K1”" in problem.message_pl
    assert "(wiersz 1, kolumna 1)" in problem.message_pl
    assert str(problem) == f"mz-88.yaml:{problem.line} (rule R03): {problem.message_pl}"


def test_a_type_mismatch_is_reported():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            fields:
              - {code: Q1, type: yes_no, label: {pl: a, en: b}}
              - {code: Q2, type: integer, label: {pl: a, en: b}, relevant: "Q1 + 1"}
        """
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, 'relevant: "Q1 + 1"')
    assert problem.item == "field Q2"
    assert "wartości logicznej" in problem.message_pl


def test_a_syntax_error_in_a_multi_line_expression_points_at_its_own_line():
    text = definition(
        TABLE
        + """\
rules:
  - id: R02
    expression: |
      D1.W01.K2 <= D1.W01.K1 and
      D1.W01.K3 <=
    message: {pl: a, en: b}
"""
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "D1.W01.K3 <=")
    assert problem.item == "rule R02"
    assert "(wiersz 2, kolumna" in problem.message_pl


def test_an_error_in_a_message_points_at_the_message():
    text = definition(
        TABLE
        + """\
rules:
  - id: R04
    expression: "D1.W01.K2 <= D1.W01.K1"
    message:
      pl: "Za dużo: {D1.W01.K9}"
      en: "Too many"
"""
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "Za dużo")
    assert problem.message_pl.startswith("W komunikacie:")


@pytest.mark.parametrize(
    ("old", "new", "marker", "item"),
    [
        (
            "- {code: W04, label: {pl: Dentyści",
            "- {code: W02, label: {pl: Dentyści",
            "- {code: W02, label: {pl: Dentyści",
            "row D1.W02",
        ),
        (
            "- {code: K3, label: {pl: Inne",
            "- {code: K2, label: {pl: Inne",
            "- {code: K2, label: {pl: Inne",
            "column D1.K2",
        ),
    ],
)
def test_a_repeated_row_or_column_code_is_reported(old, new, marker, item):
    text = definition(TABLE).replace(old, new)
    problems = problems_of(text)
    repeated = [p for p in problems if "powtarza się" in p.message_pl]
    assert repeated and repeated[0].line == line_of(text, marker)
    assert repeated[0].item == item


def test_a_repeated_field_code_is_reported_with_the_first_line():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            fields:
              - {code: Q1, type: integer, label: {pl: a, en: b}}
          - code: A2
            title: {pl: a, en: b}
            fields:
              - {code: Q1, type: text, label: {pl: a, en: b}}
        """
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "code: Q1", 2)
    assert problem.item == "field Q1"
    assert f"pierwszy raz w wierszu {line_of(text, 'code: Q1')}" in problem.message_pl


def test_a_repeated_rule_id_is_reported():
    rule = '  - {id: R01, expression: "D1.W01.K2 >= 0", message: {pl: a, en: b}}\n'
    text = definition(TABLE + "rules:\n" + rule + rule)
    problem = only_problem(text)
    assert problem.line == line_of(text, "id: R01", 2)
    assert problem.item == "rule R01"


def test_a_total_over_a_missing_row_is_reported():
    text = definition(TABLE).replace("total: [W02, W04]", 'total: "W02:W09"')
    problems = problems_of(text)
    missing = next(p for p in problems if "nieistniejącego wiersza" in p.message_pl)
    assert missing.line == line_of(text, 'total: "W02:W09"')
    assert missing.item == "row D1.W01"
    assert "„W09”" in missing.message_pl


def test_a_total_that_counts_an_of_which_row_twice_is_reported():
    text = definition(TABLE).replace("total: [W02, W04]", 'total: "W02:W04"')
    problem = only_problem(text)
    assert problem.item == "row D1.W01"
    assert "„W03”" in problem.message_pl


@pytest.mark.parametrize(
    ("item", "changed", "message"),
    [
        (
            "blocked: [K4]}",
            "blocked: [K4], of_which: W99}",
            "Wiersz „w tym” wskazuje nieistniejący wiersz nadrzędny „W99”.",
        ),
        (
            "label: {pl: Inne, en: Other}}",
            "label: {pl: Inne, en: Other}, of_which: K99}",
            "Kolumna „w tym” wskazuje nieistniejącą kolumnę nadrzędną „K99”.",
        ),
    ],
)
def test_a_total_over_an_item_with_an_unknown_parent_is_blamed_only_on_the_parent(
    item, changed, message
):
    problem = only_problem(definition(TABLE).replace(item, changed))
    assert problem.message_pl == message


def test_a_cycle_among_computed_fields_is_reported_with_its_path():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            fields:
              - {code: Q1, type: integer, label: {pl: a, en: b}}
              - {code: Q2, type: integer, label: {pl: a, en: b}, calculation: "Q3 + Q1"}
              - {code: Q3, type: integer, label: {pl: a, en: b}, calculation: "Q4 * 2"}
              - {code: Q4, type: integer, label: {pl: a, en: b}, calculation: "Q2 - 1"}
        """
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "code: Q2")
    assert problem.item == "field Q2"
    assert "cykl: Q2 → Q3 → Q4 → Q2" in problem.message_pl
    assert "cycle: Q2 → Q3 → Q4 → Q2" in problem.message_en


def test_a_cycle_through_a_relevance_condition_is_reported():
    text = definition(
        """\
        sections:
          - code: A1
            title: {pl: a, en: b}
            relevant: "Q1 > 0"
            fields:
              - {code: Q1, type: integer, label: {pl: a, en: b}}
        """
    )
    problem = only_problem(text)
    assert "Q1 → warunek działu A1 → Q1" in problem.message_pl


def test_a_cycle_between_total_columns_is_reported_once():
    text = definition(TABLE).replace(
        "- {code: K3, label: {pl: Inne, en: Other}}",
        "- {code: K3, label: {pl: Inne, en: Other}, total: [K1]}",
    )
    problem = only_problem(text)
    assert problem.item == "column D1.K1"
    assert problem.line == line_of(text, 'total: "K2:K3"')
    assert "cykl" in problem.message_pl


def test_a_blocked_cell_named_in_a_rule_is_reported():
    text = definition(
        TABLE
        + """\
rules:
  - id: R05
    expression: "sum(D1.W01:W04.K4) >= 0 and D1.W04.K4 >= 0"
    message: {pl: a, en: b}
"""
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "D1.W04.K4 >= 0")
    assert problem.item == "rule R05"
    assert "„D1.W04.K4”" in problem.message_pl
    assert "przekreślona" in problem.message_pl


def test_a_field_code_shaped_like_a_cell_is_refused():
    text = definition(
        TABLE
        + """\
  - code: D2
    title: {pl: a, en: b}
    fields:
      - {code: D1.W01.K7, type: integer, label: {pl: a, en: b}}
"""
    )
    problem = only_problem(text)
    assert problem.item == "field D1.W01.K7"
    assert "adres komórki" in problem.message_pl


def test_every_problem_is_reported_together_sorted_by_line():
    text = definition(
        TABLE.replace("total: [W02, W04]", 'total: "W02:W09"')
        + """\
  - code: D2
    title: {pl: a, en: b}
    fields:
      - {code: Q1, type: integer, label: {pl: a, en: b}, relevant: "Q9 > 0"}
rules:
  - id: R01
    expression: "D1.W01.K1 >"
    message: {pl: a, en: b}
"""
    )
    problems = problems_of(text)
    assert [p.item for p in problems] == ["row D1.W01", "field Q1", "rule R01"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_an_empty_file_and_a_list_are_not_definitions():
    assert only_problem("").message_pl == "Plik jest pusty."
    assert "mapę klucz: wartość" in only_problem("- a\n- b\n").message_pl


def test_an_alias_bomb_is_refused_without_expanding_it():
    bomb = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 9):
        bomb.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]")
    problem = only_problem("\n".join(bomb) + "\n")
    assert "ponad" in problem.message_pl
