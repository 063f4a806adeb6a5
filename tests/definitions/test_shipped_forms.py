"""The form definitions shipped in definitions/ compile and check reports as intended."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ssoz.definitions.form import CheckResult, CompiledForm, Period, compile_definition
from ssoz.definitions.loader import parse_definition
from ssoz.definitions.rules import Severity, Status

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SHIPPED = sorted(DEFINITIONS.rglob("*.yaml"))


@functools.cache
def form(relative: str) -> CompiledForm:
    path = DEFINITIONS / relative
    return compile_definition(
        parse_definition(path.read_text(encoding="utf-8"), filename=str(path)),
        filename=str(path),
    )


def result_of(result: CheckResult, rule_id: str) -> Any:
    """The failed or skipped result of a rule, or None when it passed."""
    return next((r for r in result.rule_results if r.rule_id == rule_id), None)


def failed_ids(result: CheckResult) -> set[str]:
    return {r.rule_id for r in result.rule_results if r.status == Status.FAILED}


# ---------------------------------------------------------------------------------------------
# Every shipped file


def test_the_first_forms_are_shipped() -> None:
    shipped = {path.relative_to(DEFINITIONS).as_posix() for path in SHIPPED}
    assert {
        "ankieta-cyber/2023.yaml",
        "mz-88/2025.yaml",
        "mz-89/2025.yaml",
        "mz-11/2025.yaml",
    } <= shipped


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.relative_to(DEFINITIONS).as_posix())
def test_every_shipped_definition_compiles_without_problems(path: Path) -> None:
    compiled = form(path.relative_to(DEFINITIONS).as_posix())

    assert compiled.sections and compiled.rules
    # The folder is the code in lower case, a "/" (MZ/Szp-11B) written as "-".
    assert (path.parent.name, path.stem) == (
        compiled.code.lower().replace("/", "-"),
        compiled.version,
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.relative_to(DEFINITIONS).as_posix())
def test_an_empty_report_of_every_shipped_form_can_be_saved(path: Path) -> None:
    result = form(path.relative_to(DEFINITIONS).as_posix()).check({}, stage="save")

    assert result.field_problems == {}


# ---------------------------------------------------------------------------------------------
# The cybersecurity maturity survey

CYBER = "ankieta-cyber/2023.yaml"

SURVEY = {
    "A0_Q1": "Kierownik Działu Informatyki",
    "A0_Q2": "it@szpital.example.pl",
    "A0_Q3": "nie",
    "A0_Q4": "wazny",
    "A0_Q5": "420",
    "A1_Q1": "6,5",
    "A1_Q2": "tak",
    "A1_Q3": "1",
    "A1_Q4": "mieszany",
    "A1_Q5": "kierownik",
    "A1_Q6": "3",
    "A1_Q7": "2",
    "A1_Q8": "2",
    "A1_Q9": "tak",
    "A2_Q1": "3",
    "A2_Q2": "2023-05-15",
    "A2_Q3": "tak",
    "A2_Q4": "2",
    "A3_Q1": "3",
    "A3_Q2": "2",
    "A3_Q3": "nd",
    "A3_Q4": "tak",
    "A3_Q5": "14",
    "A4_Q1": "2",
    "A4_Q2": "tak",
    "A4_Q3": "4",
    "A4_Q4": "3",
    "A4_Q5": "2",
    "A4_Q6": "3",
    "A4_Q7": "3",
    "A4_Q8": "4",
    "A5_Q1": "3",
    "A5_Q2": "2",
    "A5_Q3": "edr_czesc",
    "A5_Q4": "2",
    "A5_Q5": "1",
    "A5_Q6": "3",
    "A5_Q7": "3",
    "A6_Q1": "4",
    "A6_Q2": "tak",
    "A6_Q3": "tak",
    "A6_Q4": "3",
    "A6_Q5": "2023-09-30",
    "A6_Q6": "2",
    "A6_Q7": "3",
    "A7_Q1": "tak",
    "A7_Q2": "2",
    "A7_Q3": "12",
    "A7_Q4": "usluga",
    "A7_Q5": "2",
    "A7_Q6": "24_7",
    "A8_Q1": "3",
    "A8_Q2": "3",
    "A8_Q3": "tak",
    "A8_Q4": "7",
    "A8_Q5": "1",
    "A8_Q6": "nie",
    "A8_Q7": "tak",
    "A8_Q8": "1",
    "A9_Q1": "2",
    "A9_Q2": "3",
    "A9_Q3": "4",
    "A9_Q4": "1",
    "A10_Q1": "2",
    "A10_Q2": "65",
    "A10_Q3": "1",
    "A10_Q4": "nie",
    "A10_Q5": "tak",
    "A10_Q6": "12,5",
    "A11_Q1": "2",
    "A11_Q2": "2022-11-30",
    "A11_Q3": "zewnetrzny",
    "A11_Q4": "2",
    "A11_Q6": "nie",
    "A12_Q1": "nie",
}


def survey(**changes: str | None) -> dict[str, str]:
    raw = dict(SURVEY)
    for ref, value in changes.items():
        if value is None:
            raw.pop(ref, None)
        else:
            raw[ref] = value
    return raw


def test_survey_answered_consistently_passes_verification() -> None:
    result = form(CYBER).check(survey(), stage="verify")

    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_survey_team_questions_are_not_required_when_nobody_does_the_teams_work() -> None:
    raw = survey(A1_Q2="nie", A1_Q3=None, A1_Q4="brak", A1_Q5=None)

    result = form(CYBER).check(raw, stage="verify")

    assert {"A1_Q3", "A1_Q5"} <= result.irrelevant
    assert "A1_Q5" not in result.field_problems
    assert result.is_sendable


def test_survey_team_reporting_line_is_required_when_there_is_a_team() -> None:
    result = form(CYBER).check(survey(A1_Q5=None), stage="verify")

    assert [p.code for p in result.field_problems["A1_Q5"]] == ["required"]


def test_survey_answer_to_an_irrelevant_question_is_dropped() -> None:
    result = form(CYBER).check(survey(A1_Q4="brak", A1_Q2="nie", A1_Q3=None), stage="verify")

    assert "A1_Q5" in result.irrelevant
    assert "A1_Q5" not in result.values


def test_survey_siem_questions_are_asked_only_when_logs_are_collected_centrally() -> None:
    raw = survey(A7_Q1="nie", A7_Q6="godziny_pracy")

    result = form(CYBER).check(raw, stage="verify")

    assert {"A7_Q3", "A7_Q4", "A7_Q5"} <= result.irrelevant
    assert result.values["A7_SCORE"] == Decimal("2.00")  # A7_Q2 alone
    assert result.is_sendable


def test_survey_operator_questions_are_asked_only_of_operators_of_essential_services() -> None:
    result = form(CYBER).check(survey(), stage="verify")
    assert {"A1_Q10", "A11_Q5"} <= result.irrelevant

    result = form(CYBER).check(survey(A0_Q3="tak"), stage="verify")
    assert [p.code for p in result.field_problems["A1_Q10"]] == ["required"]
    assert [p.code for p in result.field_problems["A11_Q5"]] == ["required"]


def test_survey_area_scores_are_averages_rounded_to_two_decimals() -> None:
    values = form(CYBER).check(survey(), stage="verify").values

    assert values["A1_SCORE"] == Decimal("2.33")  # (3 + 2 + 2) / 3
    assert values["A2_SCORE"] == Decimal("2.50")
    assert values["A4_SCORE"] == Decimal("2.83")  # (2 + 4 + 3 + 2 + 3 + 3) / 6
    assert values["A6_SCORE"] == Decimal("3.00")


def test_survey_area_score_leaves_out_not_applicable_answers() -> None:
    values = form(CYBER).check(survey(), stage="verify").values

    assert values["A3_SCORE"] == Decimal("2.50")  # (3 + 2) / 2; medical devices: nie dotyczy


def test_survey_area_without_any_rating_has_no_score_and_is_left_out_of_the_overall() -> None:
    values = form(CYBER).check(survey(), stage="verify").values

    assert "A12_SCORE" not in values  # no own server room
    areas = [values[f"A{n}_SCORE"] for n in range(1, 12)]
    assert values["SCORE"] == (sum(areas) / len(areas)).quantize(Decimal("0.01"))
    assert values["SCORE"] == Decimal("2.35")


def test_survey_backups_rated_defined_without_a_restore_test_date_is_a_warning() -> None:
    result = form(CYBER).check(survey(A6_Q5=None), stage="verify")

    restore = result_of(result, "A6-RESTORE_DATE")
    assert restore.status == Status.FAILED
    assert restore.severity == Severity.WARNING
    assert restore.fields == ("A6_Q5",)
    assert result.is_sendable


def test_survey_privileged_mfa_without_privileged_account_management_is_a_warning() -> None:
    result = form(CYBER).check(survey(A4_Q5="0"), stage="verify")

    assert failed_ids(result) == {"A4-PRIVILEGED"}


def test_survey_incident_procedure_without_reporting_to_csirt_is_a_warning() -> None:
    result = form(CYBER).check(survey(A8_Q2="0"), stage="verify")

    assert failed_ids(result) == {"A8-CSIRT"}


def test_survey_more_incidents_reported_than_recorded_is_a_warning() -> None:
    result = form(CYBER).check(survey(A8_Q5="9"), stage="verify")

    assert failed_ids(result) == {"A8-REPORTED"}
    assert "(9)" in result_of(result, "A8-REPORTED").message_pl


# The survey of 2023, to be sent by 31 March 2024.
SURVEY_PERIOD = Period(
    datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), datetime.date(2024, 3, 31)
)


def test_survey_restore_test_date_after_the_deadline_is_an_error() -> None:
    result = form(CYBER).check(survey(A6_Q5="2024-04-01"), stage="verify", period=SURVEY_PERIOD)

    assert failed_ids(result) == {"A6-DATE"}
    assert not result.is_sendable
    assert result_of(result, "A6-DATE").message_pl == (
        "Data ostatniego testu odtworzenia (01.04.2024) jest spoza możliwego zakresu (po "
        "terminie badania, 31.03.2024, lub przed 2000 r.). Sprawdź datę."
    )
    assert "after the survey's deadline, 2024-03-31," in result_of(result, "A6-DATE").message_en


def test_survey_dates_after_the_year_but_by_the_deadline_pass() -> None:
    answers = survey(A2_Q2="2024-03-31", A6_Q5="2024-01-15", A11_Q2="2024-02-29")
    result = form(CYBER).check(answers, stage="verify", period=SURVEY_PERIOD)

    assert not {"A2-DATE", "A6-DATE", "A11-DATE"} & failed_ids(result)


def test_survey_dates_are_checked_against_the_deadline_only_when_it_is_known() -> None:
    late = survey(A2_Q2="2031-01-15")
    assert "A2-DATE" in failed_ids(form(CYBER).check(late, stage="verify", period=SURVEY_PERIOD))
    assert "A2-DATE" not in failed_ids(form(CYBER).check(late, stage="verify"))
    early = survey(A2_Q2="1999-12-31")  # before 2000: wrong whatever the deadline
    assert "A2-DATE" in failed_ids(form(CYBER).check(early, stage="verify"))


def test_survey_dedicated_positions_with_zero_fte_is_an_error() -> None:
    result = form(CYBER).check(survey(A1_Q3="0"), stage="verify")

    assert failed_ids(result) == {"A1-FTE"}


def test_survey_negative_incident_count_is_refused() -> None:
    result = form(CYBER).check(survey(A8_Q4="-1"), stage="save")

    assert [p.code for p in result.field_problems["A8_Q4"]] == ["below_min"]


def rated(level: str, *areas: int) -> dict[str, str]:
    """Every control of the given areas (all, when none is named) rated at `level`."""
    compiled = form(CYBER)
    return {
        ref: level
        for ref, spec in compiled.fields.items()
        if any(choice.score is not None for choice in spec.choices)
        and (not areas or spec.section in {f"A{n}" for n in areas})
    }


def test_survey_optimised_everywhere_with_one_it_post_and_one_computer_is_a_warning() -> None:
    result = form(CYBER).check(survey(**rated("5"), A1_Q1="1", A0_Q5="1"), stage="verify")

    assert failed_ids(result) == {"P-OPTIMISED_SMALL"}
    warning = result_of(result, "P-OPTIMISED_SMALL")
    assert warning.severity == Severity.WARNING
    assert "Ogólny poziom dojrzałości wynosi 5,00" in warning.message_pl
    assert "11 z 11 obszarów" in warning.message_pl
    assert "liczbie komputerów: 1" in warning.message_pl
    assert "11 of 11 areas" in warning.message_en
    assert result.is_sendable  # a warning asks for an explanation; it does not refuse


def test_survey_optimised_in_most_areas_with_one_it_post_is_a_warning_too() -> None:
    # Seven areas of eleven at 5, the rest at 1: the mean (3.18) is not 5, the claim still is.
    answers = {**rated("1"), **rated("5", 1, 2, 3, 4, 5, 6, 7)}
    result = form(CYBER).check(survey(**answers, A1_Q1="0,5"), stage="verify")

    assert result.values["SCORE"] < Decimal("4.5")
    assert "P-OPTIMISED_SMALL" in failed_ids(result)


def test_survey_optimised_with_an_it_department_and_hundreds_of_computers_is_plausible() -> None:
    result = form(CYBER).check(survey(**rated("5")), stage="verify")  # 6.5 FTE, 420 computers

    assert "P-OPTIMISED_SMALL" not in failed_ids(result)


def test_survey_a_small_entity_at_modest_levels_is_plausible() -> None:
    answers = {**rated("2"), **rated("5", 1, 2)}  # two areas of eleven at 5
    result = form(CYBER).check(survey(**answers, A1_Q1="1", A0_Q5="3"), stage="verify")

    assert "P-OPTIMISED_SMALL" not in failed_ids(result)


def test_survey_managed_incident_handling_without_incidents_or_exercises_is_a_warning() -> None:
    result = form(CYBER).check(survey(A8_Q1="4", A8_Q4="0", A8_Q5="0", A8_Q8="0"), stage="verify")

    assert failed_ids(result) == {"A8-UNTESTED"}
    warning = result_of(result, "A8-UNTESTED")
    assert "na poziomie 4" in warning.message_pl
    assert "no incident was recorded" in warning.message_en


def test_survey_incident_handling_is_plausible_once_it_is_exercised_or_tested_by_incidents():
    exercised = survey(A8_Q1="4", A8_Q4="0", A8_Q5="0", A8_Q8="2")
    with_incidents = survey(A8_Q1="4", A8_Q8="0")  # seven incidents recorded
    defined = survey(A8_Q4="0", A8_Q5="0", A8_Q8="0")  # procedure and reporting at 3

    for answers in (exercised, with_incidents, defined):
        assert "A8-UNTESTED" not in failed_ids(form(CYBER).check(answers, stage="verify"))


def test_survey_managed_backups_never_restored_from_is_a_warning() -> None:
    result = form(CYBER).check(survey(A6_Q1="5", A6_Q4="0"), stage="verify")

    assert "A6-UNTESTED_BACKUPS" in failed_ids(result)
    warning = result_of(result, "A6-UNTESTED_BACKUPS")
    assert "na poziomie 5" in warning.message_pl
    assert "never been restored from" in warning.message_en


def test_survey_managed_backups_with_restore_tests_are_plausible() -> None:
    result = form(CYBER).check(survey(A6_Q1="4", A6_Q4="1"), stage="verify")

    assert "A6-UNTESTED_BACKUPS" not in failed_ids(result)
    lower = form(CYBER).check(survey(A6_Q1="3", A6_Q4="0"), stage="verify")
    assert "A6-UNTESTED_BACKUPS" not in failed_ids(lower)
