"""The engine: what a clerk typed becomes typed values, problems, relevance, totals and rules."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssoz.definitions.form import CompiledForm, FieldType, Period
from ssoz.definitions.rules import Severity, Status

from .conftest import definition

QUESTIONS = definition(
    """\
    sections:
      - code: A1
        title: {pl: Pytania, en: Questions}
        fields:
          - {code: INT, type: integer, label: {pl: Liczba, en: Number}, min: 0, max: 5000}
          - {code: DEC, type: decimal, label: {pl: Etaty, en: FTE}, precision: 2}
          - {code: PCT, type: percentage, label: {pl: Odsetek, en: Share}}
          - {code: PLN, type: money, label: {pl: Kwota, en: Amount}}
          - {code: TXT, type: text, label: {pl: Nazwa, en: Name}, max_length: 20}
          - {code: LONG, type: long_text, label: {pl: Opis, en: Description}}
          - code: ONE
            type: single_choice
            label: {pl: Zespół, en: Team}
            choices:
              - {code: wewnetrzny, label: {pl: wewnętrzny, en: internal}}
              - {code: brak, label: {pl: brak, en: none}}
          - code: MANY
            type: multiple_choice
            label: {pl: Zabezpieczenia, en: Safeguards}
            choices:
              - {code: av, label: {pl: antywirus, en: antivirus}}
              - {code: fw, label: {pl: zapora, en: firewall}}
              - {code: inne, label: {pl: inne, en: other}}
          - {code: YN, type: yes_no, label: {pl: Czy, en: Whether}}
          - {code: DAY, type: date, label: {pl: Data, en: Date}, min: 2020-01-01, max: 2025-12-31}
          - {code: MAIL, type: email, label: {pl: E-mail, en: E-mail}}
          - {code: TEL, type: phone, label: {pl: Telefon, en: Phone}}
    """
)

SURVEY = definition(
    """\
    sections:
      - code: A1
        title: {pl: Organizacja, en: Organisation}
        fields:
          - code: A1_Q1
            type: single_choice
            label: {pl: Zespół ds. cyberbezpieczeństwa, en: Cybersecurity team}
            required: true
            choices:
              - {code: tak, label: {pl: tak, en: "yes"}}
              - {code: nie, label: {pl: nie, en: "no"}}
          - code: A1_Q2
            type: multiple_choice
            label: {pl: Zabezpieczenia, en: Safeguards}
            required: true
            relevant: "selected(A1_Q1, 'tak')"
            choices:
              - {code: av, label: {pl: antywirus, en: antivirus}}
              - {code: inne, label: {pl: inne, en: other}}
          - code: A1_Q2_inne
            type: text
            label: {pl: Inne – jakie, en: Other – which}
            relevant: "selected(A1_Q2, 'inne')"
          - code: A1_Q3
            type: integer
            label: {pl: Etaty, en: FTE}
            required: true
          - code: A1_Q4
            type: integer
            label: {pl: Etaty zewnętrzne, en: External FTE}
          - code: A1_TOTAL
            type: integer
            label: {pl: Razem, en: Total}
            calculation: "sum(A1_Q3, A1_Q4)"
          - code: A1_SHARE
            type: decimal
            precision: 1
            label: {pl: Udział, en: Share}
            calculation: "A1_Q3 * 100 / A1_TOTAL"
        rules:
          - id: A1.inne
            expression: "if selected(A1_Q2, 'inne') then filled(A1_Q2_inne)"
            message: {pl: "Opisz inne zabezpieczenia.", en: "Describe the other safeguards."}
      - code: A2
        title: {pl: Szpital, en: Hospital}
        relevant: "A1_Q3 > 0"
        fields:
          - {code: A2_Q1, type: integer, label: {pl: Łóżka, en: Beds}, required: true}
        rules:
          - id: A2.beds
            expression: "A2_Q1 > 0"
            message: {pl: "Podaj łóżka.", en: "Give the beds."}
    rules:
      - id: R.trend
        severity: warning
        expression: "A1_Q3 <= prev(A1_Q3) * 2"
        message:
          pl: "Etaty wzrosły ponad dwukrotnie (było {prev(A1_Q3)}, jest {A1_Q3})."
          en: "FTE more than doubled (was {prev(A1_Q3)}, now {A1_Q3})."
      - id: R.info
        severity: info
        expression: "A1_Q3 < 100"
        message: {pl: "Dużo etatów.", en: "Many FTE."}
    """
)

TABLE = definition(
    """\
    sections:
      - code: D1
        title: {pl: Pracujący, en: Staff}
        table:
          min: 0
          columns:
            - {code: K1, label: {pl: Ogółem, en: Total}, total: "K2:K3"}
            - {code: K2, label: {pl: Umowa o pracę, en: Employment}}
            - {code: K3, label: {pl: Inne, en: Other}}
            - {code: K4, label: {pl: w tym kobiety, en: of which women}, of_which: K1}
            - {code: K5, label: {pl: Etaty, en: FTE}, type: decimal, max: 1000}
          rows:
            - {code: W01, label: {pl: Ogółem, en: Total}, total: [W02, W04]}
            - {code: W02, label: {pl: Lekarze, en: Physicians}}
            - {code: W03, label: {pl: w tym specjaliści, en: of which specialists}, of_which: W02}
            - {code: W04, label: {pl: Dentyści, en: Dentists}, blocked: [K5]}
    """
)


@pytest.fixture
def questions(compile_yaml) -> CompiledForm:
    return compile_yaml(QUESTIONS)


@pytest.fixture
def survey(compile_yaml) -> CompiledForm:
    return compile_yaml(SURVEY)


@pytest.fixture
def table(compile_yaml) -> CompiledForm:
    return compile_yaml(TABLE)


def one(form: CompiledForm, ref: str, typed, stage: str = "save"):
    """(value, problem code) for one typed value."""
    result = form.check({ref: typed}, stage=stage)
    problems = result.field_problems.get(ref, [])
    return result.values.get(ref), problems[0].code if problems else None


@pytest.mark.parametrize(
    ("ref", "typed", "value"),
    [
        ("INT", "1 234", Decimal(1234)),
        ("INT", "1\u00a0234", Decimal(1234)),
        ("INT", " 17 ", Decimal(17)),
        ("INT", "12,0", Decimal(12)),
        ("INT", "-0", None),  # below min 0? no: zero is fine
        ("DEC", "12,5", Decimal("12.5")),
        ("DEC", "12.25", Decimal("12.25")),
        ("DEC", "0,50", Decimal("0.50")),
        ("PCT", "45 %", Decimal(45)),
        ("PCT", "99,99", Decimal("99.99")),
        ("PLN", "1 234 567 zł", Decimal(1234567)),
        ("PLN", "-500", Decimal(-500)),
        ("TXT", "  Szpital  ", "Szpital"),
        ("LONG", "wiersz 1\nwiersz 2", "wiersz 1\nwiersz 2"),
        ("ONE", "brak", "brak"),
        ("MANY", ["av", "fw"], frozenset({"av", "fw"})),
        ("MANY", "av, inne", frozenset({"av", "inne"})),
        ("YN", "tak", True),
        ("YN", "NIE", False),
        ("YN", True, True),
        ("DAY", "2024-02-29", datetime.date(2024, 2, 29)),
        ("DAY", "31.12.2025", datetime.date(2025, 12, 31)),
        ("MAIL", "sekretariat@szpital.pl", "sekretariat@szpital.pl"),
        ("TEL", "+48 22 123-45-67", "+48 22 123-45-67"),
        ("INT", 42, Decimal(42)),
        ("INT", ["7"], Decimal(7)),
    ],
)
def test_typed_text_becomes_a_typed_value(questions, ref, typed, value):
    got, problem = one(questions, ref, typed)
    assert problem is None
    if value is None:
        assert got == Decimal(0) and str(got) == "0"
    else:
        assert got == value
        assert type(got) is type(value)


@pytest.mark.parametrize(
    ("ref", "typed", "code"),
    [
        ("INT", "abc", "not_a_number"),
        ("INT", "12,5", "not_whole"),
        ("INT", "1.234,5", "not_a_number"),
        ("INT", "-1", "below_min"),
        ("INT", "5001", "above_max"),
        ("INT", "9" * 16, "too_large"),
        ("INT", "١٢", "not_a_number"),  # Arabic-Indic digits are not Polish digits
        ("DEC", "12,345", "too_many_decimals"),
        ("PCT", "100,5", "above_max"),
        ("PLN", "12,50", "not_whole"),
        ("TXT", "x" * 21, "too_long"),
        ("TXT", "a\x00b", "invalid_characters"),
        ("TXT", "dwa\nwiersze", "invalid_characters"),
        ("ONE", "może", "unknown_option"),
        ("ONE", ["brak", "wewnetrzny"], "several_values"),
        ("MANY", ["av", "zzz"], "unknown_option"),
        ("MANY", [1, 2], "unknown_option"),
        ("YN", "może", "invalid_yes_no"),
        ("DAY", "2025-02-30", "invalid_date"),
        ("DAY", "jutro", "invalid_date"),
        ("DAY", "2019-12-31", "below_min"),
        ("DAY", "2026-01-01", "above_max"),
        ("MAIL", "nie-adres", "invalid_email"),
        ("TEL", "12", "invalid_phone"),
        ("TEL", "dzwoń", "invalid_phone"),
        ("INT", {"a": 1}, "invalid"),
        ("INT", float("nan"), "invalid"),
    ],
)
def test_what_cannot_be_a_value_becomes_a_problem(questions, ref, typed, code):
    got, problem = one(questions, ref, typed)
    assert got is None
    assert problem == code


def test_problems_are_written_in_polish_and_english(questions):
    result = questions.check({"DEC": "1,234", "INT": "-3", "TXT": "y" * 30}, stage="save")
    assert result.field_problems["DEC"][0].message_pl == "Wpisz najwyżej 2 cyfry po przecinku."
    assert result.field_problems["DEC"][0].message_en == (
        "Enter at most 2 digits after the decimal point."
    )
    assert result.field_problems["INT"][0].message_pl == "Wartość nie może być mniejsza niż 0."
    assert result.field_problems["TXT"][0].message_pl == (
        "Tekst jest za długi: 30 znaków, a można najwyżej 20."
    )


def test_blanks_are_left_out_of_the_values(questions):
    result = questions.check({"INT": "", "TXT": "   ", "MANY": [], "YN": None}, stage="save")
    assert result.values == {}
    assert result.field_problems == {}


def test_required_fields_are_checked_only_when_verifying(survey):
    saved = survey.check({}, stage="save")
    assert saved.field_problems == {}
    verified = survey.check({}, stage="verify")
    assert {
        ref: [p.code for p in problems] for ref, problems in verified.field_problems.items()
    } == {
        "A1_Q1": ["required"],
        "A1_Q3": ["required"],
    }
    assert not verified.is_sendable


def test_an_unknown_ref_is_a_problem_and_a_computed_one_is_ignored(survey):
    result = survey.check({"A1_Q9": "1", "A1_TOTAL": "999", "A1_Q3": "2"}, stage="save")
    assert result.field_problems["A1_Q9"][0].code == "unknown_field"
    assert result.values["A1_TOTAL"] == Decimal(2)


def test_irrelevant_fields_are_ignored_and_named(survey):
    result = survey.check(
        {"A1_Q1": "nie", "A1_Q2": ["zzz"], "A1_Q2_inne": "x", "A1_Q3": "0"}, stage="verify"
    )
    assert {"A1_Q2", "A1_Q2_inne"} <= result.irrelevant
    assert "A1_Q2" not in result.field_problems  # neither its bad option nor "required"
    assert "A1_Q2_inne" not in result.values


def test_a_relevance_condition_sees_the_fields_it_depends_on(survey):
    result = survey.check({"A1_Q1": "tak", "A1_Q2": ["av", "inne"], "A1_Q3": "1"}, stage="verify")
    assert "A1_Q2_inne" not in result.irrelevant
    assert [r.rule_id for r in result.rule_results if r.status == Status.FAILED] == ["A1.inne"]
    assert result.errors[-1].message_pl == "Opisz inne zabezpieczenia."


def test_an_irrelevant_section_hides_its_fields_and_skips_its_rules(survey):
    result = survey.check({"A1_Q1": "nie", "A1_Q3": "0", "A2_Q1": "-5"}, stage="verify")
    assert "A2_Q1" in result.irrelevant
    assert "A2_Q1" not in result.values and "A2_Q1" not in result.field_problems
    skipped = {r.rule_id: r.status for r in result.rule_results}
    assert skipped["A2.beds"] == Status.SKIPPED
    assert result.is_sendable


def test_a_relevant_section_is_checked(survey):
    result = survey.check({"A1_Q1": "nie", "A1_Q3": "3", "A2_Q1": "0"}, stage="verify")
    assert "A2_Q1" not in result.irrelevant
    assert [f.rule_id for f in result.errors] == ["A2.beds"]


def test_calculations_are_computed_in_order_and_rounded_to_the_fields_precision(survey):
    result = survey.check({"A1_Q3": "1", "A1_Q4": "2"}, stage="save")
    assert result.values["A1_TOTAL"] == Decimal(3)
    assert result.values["A1_SHARE"] == Decimal("33.3")
    assert survey.computed_order == ("A1_TOTAL", "A1_SHARE")
    blank = survey.check({}, stage="save")
    assert "A1_TOTAL" not in blank.values and "A1_SHARE" not in blank.values


def test_rules_run_only_when_verifying(survey):
    typed = {"A1_Q1": "nie", "A1_Q3": "500", "A2_Q1": "10"}
    assert survey.check(typed, stage="save").rule_results == []
    assert not survey.check(typed, stage="save").is_sendable
    verified = survey.check(typed, stage="verify")
    assert [f.rule_id for f in verified.infos] == ["R.info"]
    assert verified.is_sendable  # an info does not block sending


def test_the_previous_period_feeds_prev_and_a_warning_allows_sending(survey):
    typed = {"A1_Q1": "nie", "A1_Q3": "50", "A2_Q1": "10"}
    result = survey.check(typed, {"A1_Q3": Decimal(20)}, stage="verify")
    [warning] = result.warnings
    assert warning.rule_id == "R.trend"
    assert warning.message_pl == "Etaty wzrosły ponad dwukrotnie (było 20, jest 50)."
    assert warning.severity == Severity.WARNING
    assert result.is_sendable
    # Values of the wrong type from the previous period are treated as blank, never raised.
    odd = survey.check(typed, {"A1_Q3": 20.0, "nonsense": object()}, stage="verify")
    assert {r.rule_id: r.status for r in odd.rule_results}["R.trend"] == Status.SKIPPED


DATED = definition(
    """\
    sections:
      - code: A1
        title: {pl: Pytania, en: Questions}
        fields:
          - {code: SINCE, type: date, label: {pl: Od kiedy, en: Since}}
          - code: LATE
            type: text
            label: {pl: Dlaczego po terminie?, en: Why after the deadline?}
            relevant: "SINCE > deadline()"
    rules:
      - id: R.since
        expression: "SINCE <= period_end()"
        message: {pl: "Po końcu okresu ({period_end()}).", en: "After the period."}
    """
)
PERIOD_2024 = Period(
    datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), datetime.date(2025, 3, 31)
)


def test_the_period_feeds_the_period_functions_and_is_never_a_field(compile_yaml):
    form = compile_yaml(DATED)
    late = form.check({"SINCE": "2025-01-01"}, stage="verify", period=PERIOD_2024)
    [error] = late.errors
    assert (error.rule_id, error.fields) == ("R.since", ("SINCE",))
    assert error.message_pl == "Po końcu okresu (31.12.2024)."
    assert "@period_end" not in late.values
    assert form.check({"SINCE": "2024-12-31"}, stage="verify", period=PERIOD_2024).is_sendable


def test_without_a_period_a_rule_reading_it_is_skipped(compile_yaml):
    result = compile_yaml(DATED).check({"SINCE": "2025-01-01"}, stage="verify")
    assert {r.rule_id: r.status for r in result.rule_results} == {"R.since": Status.SKIPPED}
    assert result.is_sendable


def test_a_relevance_condition_may_read_the_period_so_a_save_needs_it(compile_yaml):
    form = compile_yaml(DATED)
    assert form.needs_period("save") and form.needs_period("verify")
    typed = {"SINCE": "2025-04-01", "LATE": "Korekta"}
    assert form.check(typed, stage="save", period=PERIOD_2024).values["LATE"] == "Korekta"
    assert "LATE" in form.check(typed, stage="save").irrelevant  # not known: not asked


def test_a_form_that_reads_no_dates_needs_no_period(survey):
    assert not survey.needs_period("save")
    assert not survey.needs_period("verify")


def test_table_totals_of_rows_and_columns(table):
    result = table.check(
        {"D1.W02.K2": "10", "D1.W02.K3": "2", "D1.W04.K2": "3", "D1.W02.K5": "11,5"},
        stage="save",
    )
    values = result.values
    assert values["D1.W02.K1"] == 12  # K2 + K3
    assert values["D1.W04.K1"] == 3
    assert values["D1.W01.K2"] == 13  # W02 + W04
    assert values["D1.W01.K1"] == 15  # the corner: sum of rows, equal to the sum of columns
    assert values["D1.W01.K5"] == Decimal("11.5")  # W04.K5 is blocked and left out
    assert "D1.W01.K3" in values and values["D1.W01.K3"] == 2
    assert "D1.W01.K4" not in values  # nothing to add up: blank, not zero
    assert table.field("D1.W01.K1").computed and not table.field("D1.W02.K2").computed


def test_a_value_in_a_blocked_cell_is_a_problem(table):
    result = table.check({"D1.W04.K5": "3", "D1.W02.K5": ""}, stage="save")
    assert [p.code for p in result.field_problems["D1.W04.K5"]] == ["blocked"]
    assert table.check({"D1.W04.K5": " "}, stage="save").field_problems == {}


def test_of_which_rows_and_columns_generate_error_rules(table):
    result = table.check(
        {"D1.W02.K2": "10", "D1.W03.K2": "12", "D1.W02.K4": "20", "D1.W02.K3": "1"},
        stage="verify",
    )
    failed = {f.rule_id: f for f in result.errors}
    # K1 of each row is computed (K2 + K3), and W01 adds up W02 and W04: the rules see those too.
    assert set(failed) == {
        "D1.W03.of_which.K2",
        "D1.W03.of_which.K1",
        "D1.K4.of_which.W02",
        "D1.K4.of_which.W01",
    }
    row_rule = failed["D1.W03.of_which.K2"]
    assert row_rule.fields == ("D1.W03.K2", "D1.W02.K2")
    assert row_rule.message_pl == (
        "Dział D1, kolumna K2: wiersz W03 „w tym specjaliści” (12) nie może być większy niż "
        "wiersz W02 „Lekarze” (10)."
    )
    assert failed["D1.K4.of_which.W02"].message_en == (
        'Section D1, row W02: column K4 "of which women" (20) cannot exceed column K1 "Total" (11).'
    )
    assert not result.is_sendable


def test_field_types_and_structure_are_exposed(table, questions):
    cell = table.field("D1.W02.K5")
    assert (cell.type, cell.precision, cell.max, cell.min) == (
        FieldType.DECIMAL,
        2,
        Decimal(1000),
        Decimal(0),
    )
    assert table.field("D1.W04.K5").blocked
    assert "D1.W04.K5" not in table.refs and "D1.W01.K1" not in table.refs
    [section] = table.sections
    assert [row.code for row, _cells in section.table.grid] == ["W01", "W02", "W03", "W04"]
    assert questions.field("PCT").max == 100 and questions.field("TXT").max_length == 20
    assert [c.code for c in questions.field("ONE").choices] == ["wewnetrzny", "brak"]


def test_a_stage_other_than_save_or_verify_is_a_programming_error(questions):
    with pytest.raises(ValueError, match="stage"):
        questions.check({}, stage="send")  # type: ignore[arg-type]


def test_ten_megabytes_in_any_field_are_refused_quickly(questions):
    huge = "9" * 10_000_000
    started = time.perf_counter()
    result = questions.check(dict.fromkeys(questions.refs, huge), stage="verify")
    assert time.perf_counter() - started < 1.0
    assert set(result.field_problems) == set(questions.refs)


def test_checking_a_thousand_cells_takes_milliseconds(compile_yaml):
    columns = "\n".join(f"        - {{code: K{c}, label: {{pl: k, en: c}}}}" for c in range(2, 21))
    rows = "\n".join(f"        - {{code: W{r:02d}, label: {{pl: w, en: r}}}}" for r in range(2, 51))
    rules = "\n".join(
        f'  - {{id: R{i}, expression: "D1.W{2 + i % 49:02d}.K{2 + i % 19} <= D1.W01.K{2 + i % 19}",'
        " message: {pl: a, en: b}}"
        for i in range(500)
    )
    text = definition(
        f"""\
sections:
  - code: D1
    title: {{pl: a, en: b}}
    table:
      columns:
        - {{code: K1, label: {{pl: razem, en: total}}, total: "K2:K20"}}
{columns}
      rows:
        - {{code: W01, label: {{pl: razem, en: total}}, total: "W02:W50"}}
{rows}
rules:
{rules}
"""
    )
    form = compile_yaml(text)
    assert len(form.fields) == 1000
    raw = {ref: str(n % 50) for n, ref in enumerate(form.refs)}
    form.check(raw, stage="verify")
    started = time.perf_counter()
    for _ in range(10):
        result = form.check(raw, stage="verify")
    # A few milliseconds on a laptop; the bound leaves room for a busy CI machine.
    assert (time.perf_counter() - started) / 10 < 0.05
    assert result.values["D1.W01.K1"] == sum(result.values[ref] for ref in form.refs)


RAW_VALUES = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(alphabet="0123456789 ,.-+%złPLN\u00a0", max_size=30),
    st.lists(st.text(max_size=10), max_size=5),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.dates(),
    st.binary(max_size=10),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    typed=st.dictionaries(
        st.sampled_from(
            [
                "INT",
                "DEC",
                "PCT",
                "PLN",
                "TXT",
                "LONG",
                "ONE",
                "MANY",
                "YN",
                "DAY",
                "MAIL",
                "TEL",
                "XX",
            ]
        ),
        RAW_VALUES,
    )
)
def test_random_input_into_any_field_never_raises(questions, typed):
    for stage in ("save", "verify"):
        result = questions.check(typed, stage=stage)
        for ref, value in result.values.items():
            assert value is not None
            assert questions.field(ref).is_input
        assert set(result.values).isdisjoint(result.field_problems)


def test_a_sent_report_keeps_each_value_the_one_way_of_its_type(questions):
    typed = {
        "INT": " 1 234 ",
        "DEC": "12,50",
        "PCT": "7,5 %",
        "PLN": "1 000 zł",
        "TXT": "  Szpital  ",
        "ONE": "brak",
        "MANY": ["inne", "av"],
        "YN": "TAK",
        "DAY": "31.12.2024",
        "MAIL": "sekretariat@szpital.pl",
        "TEL": "22  123 45 67",
        "LONG": "",
    }
    assert questions.stored(typed) == {
        "INT": "1234",
        "DEC": "12.50",
        "PCT": "7.5",
        "PLN": "1000",
        "TXT": "Szpital",
        "ONE": "brak",
        "MANY": ["av", "inne"],
        "YN": "tak",
        "DAY": "2024-12-31",
        "MAIL": "sekretariat@szpital.pl",
        "TEL": "22 123 45 67",
    }


def test_a_value_the_form_refuses_is_not_stored_and_an_unknown_key_stays(questions):
    # A value the converter refuses is not kept; the form's reading of the rest is the same.
    typed = {"INT": "1 234", "DEC": "abc", "XX": "kept as it is"}
    stored = questions.stored(typed)
    assert stored == {"INT": "1234", "XX": "kept as it is"}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    typed=st.dictionaries(
        st.sampled_from(
            ["INT", "DEC", "PCT", "PLN", "TXT", "LONG", "ONE", "MANY", "YN", "DAY", "MAIL", "TEL"]
        ),
        RAW_VALUES,
    )
)
def test_stored_values_mean_what_was_typed_and_store_as_themselves(questions, typed):
    stored = questions.stored(typed)
    as_typed = questions.check(typed, stage="save")
    assert questions.check(stored, stage="save").values == as_typed.values
    assert questions.stored(stored) == stored
    for ref in stored:
        assert ref in as_typed.values
