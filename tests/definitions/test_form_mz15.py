"""MZ-15 (outpatient psychiatric and addiction care) as shipped: a report whose clinics and
diagnoses agree passes, the totals leave the "of which" rows out, and each rule fails on the
figures it exists for, with its message."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ssoz.definitions.form import CheckResult, CompiledForm, compile_definition
from ssoz.definitions.loader import parse_definition
from ssoz.definitions.rules import Severity, Status

PATH = Path(__file__).resolve().parents[2] / "definitions" / "mz-15" / "2025.yaml"

# Dział 1 per kind of clinic: clinics, physicians' advice, psychologists' advice, advice at
# home, visits, visits at home.
CLINICS = {
    "W02": {"K1": "1", "K3": "3000", "K4": "800", "K5": "50", "K6": "400", "K7": "20"},
    "W04": {"K1": "1", "K3": "500", "K4": "300", "K6": "1200", "K7": "0"},
}
# Dział 2 per diagnosis: total, women, up to 18, first time, first-time women.
PATIENTS = {
    "W02": ("100", "60", "0", "20", "12"),  # F00–F09
    "W03": ("60", "40", "0", "10", "7"),  # w tym otępienia
    "W04": ("300", "60", "2", "80", "15"),  # F10
    "W05": ("200", "40", "0", "50", "10"),  # w tym F10.2
    "W09": ("400", "260", "20", "90", "60"),  # F30–F39
    "W10": ("300", "200", "10", "70", "45"),  # w tym F32–F33
    "W11": ("500", "330", "40", "150", "100"),  # F40–F48
}


@functools.cache
def mz15() -> CompiledForm:
    return compile_definition(
        parse_definition(PATH.read_text(encoding="utf-8"), filename=str(PATH)),
        filename=str(PATH),
    )


def report(**changes: str) -> dict[str, str]:
    raw: dict[str, str] = {"D1_FINANSOWANIE": "nfz"}
    for row, cells in CLINICS.items():
        raw.update({f"D1.{row}.{column}": value for column, value in cells.items()})
    for row, values in PATIENTS.items():
        for column, value in enumerate(values, start=1):
            raw[f"D2.{row}.K{column}"] = value
    raw.update({ref.replace("__", "."): value for ref, value in changes.items()})
    return raw


def check(raw: dict[str, str]) -> CheckResult:
    return mz15().check(raw, stage="verify")


def failed(result: CheckResult, rule_id: str) -> Any:
    found = next((r for r in result.rule_results if r.rule_id == rule_id), None)
    assert found is not None and found.status == Status.FAILED, f"{rule_id} did not fail"
    return found


def test_mz15_loads_as_a_form_that_can_be_sent_as_a_zero_report():
    ids = {rule.rule_id for rule in mz15().rules}

    assert mz15().zero_report
    assert {f"D2-WOMEN_FIRST.W{n:02}" for n in range(1, 19)} <= ids
    assert {f"D1-CLINICS.W{n:02}" for n in range(2, 9)} <= ids


def test_a_clinic_whose_advice_and_diagnoses_agree_passes():
    result = check(report())

    assert result.errors == [] and result.warnings == []
    assert result.is_sendable


def test_the_totals_add_the_diagnosis_groups_without_the_of_which_rows():
    values = check(report()).values

    assert values["D1.W02.K2"] == 3800
    assert values["D1.W01.K2"] == 4600 and values["D1.W01.K6"] == 1600
    assert values["D2.W01.K1"] == 1300  # 100 + 300 + 400 + 500, without rows 03, 05, 10
    assert values["D2.W01.K4"] == 340


def test_more_first_time_women_than_women_treated_is_an_error():
    result = check(report(D2__W11__K2="100", D2__W11__K5="120"))

    women = failed(result, "D2-WOMEN_FIRST.W11")
    assert women.severity == Severity.ERROR
    assert women.message_pl.startswith(
        "Wiersz W11 „Zaburzenia nerwicowe, związane ze stresem i pod postacią somatyczną "
        "(F40–F48)”: kobiet leczonych po raz pierwszy (kol. 5: 120) jest więcej niż kobiet "
        "leczonych ogółem (kol. 2: 100)."
    )


def test_more_first_time_men_than_men_treated_is_an_error():
    result = check(report(D2__W09__K2="380"))

    men = failed(result, "D2-MEN_FIRST.W09")
    assert "(kol. 4 − 5: 30)" in men.message_pl and "(kol. 1 − 2: 20)" in men.message_pl


def test_an_of_which_diagnosis_above_its_group_is_the_generated_error():
    result = check(report(D2__W10__K1="450"))

    assert failed(result, "D2.W10.of_which.K1").severity == Severity.ERROR


def test_children_treated_for_dementia_are_a_warning():
    result = check(report(D2__W02__K3="1", D2__W03__K3="1"))

    dementia = failed(result, "D2-DEMENTIA_CHILDREN")
    assert dementia.severity == Severity.WARNING
    assert dementia.message_pl.startswith(
        "Wykazano osoby w wieku do 18 lat leczone z powodu otępienia (w. 03, kol. 3: 1)."
    )


def test_advice_in_a_kind_of_clinic_the_unit_does_not_have_is_an_error():
    result = check(report(D1__W05__K3="100"))

    clinics = failed(result, "D1-CLINICS.W05")
    assert clinics.message_pl.startswith(
        "Wiersz W05 „Poradnie terapii uzależnienia od substancji psychoaktywnych”: wykazano "
        "porady lub wizyty (100), ale nie wykazano żadnej poradni tego rodzaju (kol. 1)."
    )


def test_more_patients_than_advice_and_visits_is_a_warning():
    result = check(
        report(
            D1__W02__K3="300",
            D1__W02__K4="0",
            D1__W02__K5="0",
            D1__W02__K6="0",
            D1__W02__K7="0",
            D1__W04__K3="100",
            D1__W04__K4="0",
            D1__W04__K6="0",
        )
    )

    advice = failed(result, "D2-PATIENTS_ADVICE")
    assert advice.severity == Severity.WARNING
    assert "(dział 2: 1300)" in advice.message_pl and "(dział 1: 400)" in advice.message_pl
