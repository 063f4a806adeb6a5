"""MZ-30 (inpatient psychiatric and addiction care) as shipped: a report whose wards add up
passes, and each rule of the form fails on the figures it exists for, with its message."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

from ssoz.definitions.form import CheckResult, CompiledForm, compile_definition
from ssoz.definitions.loader import parse_definition
from ssoz.definitions.rules import Severity, Status

PATH = Path(__file__).resolve().parents[2] / "definitions" / "mz-30" / "2025.yaml"

# Per ward row: beds 31 XII, average beds, bed-days closed, patients without transfers,
# patient-days, patients with transfers, discharged, transferred, deceased, remaining 31 XII.
WARDS = {
    "W02": ("60", "58,5", "0", "500", "20000", "540", "480", "30", "2", "28"),  # ogólne
    "W07": ("20", "20", "120", "150", "6500", "160", "140", "10", "0", "10"),  # uzależnienia
    "W13": ("15", "15", "0", "90", "3000", "90", "80", "0", "0", "10"),  # oddział dzienny
}


@functools.cache
def mz30() -> CompiledForm:
    return compile_definition(
        parse_definition(PATH.read_text(encoding="utf-8"), filename=str(PATH)),
        filename=str(PATH),
    )


def report(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "D1_RODZAJ": "1",
        "D1_FINANSOWANIE": "nfz",
        "D1_CERTYFIKAT": ["akredytacja"],
    }
    for row, values in WARDS.items():
        for column, value in enumerate(values, start=1):
            raw[f"D2.{row}.K{column}"] = value
    raw.update({ref.replace("__", "."): value for ref, value in changes.items()})
    return raw


def check(raw: dict[str, Any]) -> CheckResult:
    return mz30().check(raw, stage="verify")


def failed(result: CheckResult, rule_id: str) -> Any:
    found = next((r for r in result.rule_results if r.rule_id == rule_id), None)
    assert found is not None and found.status == Status.FAILED, f"{rule_id} did not fail"
    return found


def failed_ids(result: CheckResult) -> set[str]:
    return {r.rule_id for r in result.rule_results if r.status == Status.FAILED}


def test_mz30_loads_with_one_flow_rule_per_ward_row():
    ids = {rule.rule_id for rule in mz30().rules}

    assert mz30().code == "MZ-30" and mz30().version == "2025"
    assert {f"D2-FLOW.W{n:02}" for n in range(1, 14)} <= ids
    assert {f"D2-OCCUPANCY.W{n:02}" for n in range(1, 14)} <= ids


def test_a_psychiatric_hospital_whose_wards_add_up_passes():
    result = check(report())

    assert result.errors == [] and result.warnings == []
    assert result.is_sendable


def test_the_total_adds_the_wards_but_not_the_day_wards():
    values = check(report()).values

    assert values["D2.W01.K1"] == 80
    assert values["D2.W01.K2"] == Decimal("78.50")
    assert values["D2.W01.K6"] == 700


def test_patients_with_transfers_that_do_not_leave_the_ward_in_any_way_are_an_error():
    result = check(report(D2__W02__K7="470"))

    flow = failed(result, "D2-FLOW.W02")
    assert flow.severity == Severity.ERROR
    assert flow.message_pl.startswith(
        "Wiersz W02 „Oddziały psychiatryczne ogólne”: leczeni z ruchem międzyoddziałowym "
        "(kol. 6: 540) muszą być sumą wypisanych, przeniesionych, zmarłych i pozostałych w dniu "
        "31 XII (kol. 7–10: 530)."
    )
    assert "D2-FLOW.W07" not in failed_ids(result)


def test_fewer_patients_with_transfers_than_without_is_an_error():
    result = check(report(D2__W07__K4="170"))

    transfers = failed(result, "D2-TRANSFERS.W07")
    assert transfers.severity == Severity.ERROR
    assert "(kol. 6: 160)" in transfers.message_pl and "(kol. 4: 170)" in transfers.message_pl


def test_patient_days_beyond_the_beds_of_the_year_are_a_warning_with_the_occupancy():
    result = check(report(D2__W02__K5="23000"))

    occupancy = failed(result, "D2-OCCUPANCY.W02")
    assert occupancy.severity == Severity.WARNING
    assert "(58,5 × 365 = 21\u00a0352,5)" in occupancy.message_pl
    assert "wykorzystanie łóżek wynosi 107,7%" in occupancy.message_pl
    assert result.is_sendable


def test_patients_without_patient_days_and_patient_days_without_beds_are_errors():
    result = check(report(D2__W03__K6="5", D2__W03__K7="5", D2__W04__K5="100", D2__W04__K4="2"))

    assert {"D2-DAYS.W03", "D2-BEDS.W04"} <= failed_ids(result)
    assert failed(result, "D2-BEDS.W04").message_pl.startswith(
        "Wiersz W04 „Oddziały psychogeriatryczne”: wykazano osobodni leczenia (kol. 5: 100), ale "
        "średnia liczba łóżek (kol. 2) wynosi 0."
    )


def test_more_patients_on_31_december_than_beds_is_a_warning():
    result = check(report(D2__W02__K7="443", D2__W02__K10="65"))

    remaining = failed(result, "D2-REMAINING.W02")
    assert remaining.severity == Severity.WARNING
    assert "(65)" in remaining.message_pl and "(60)" in remaining.message_pl
    assert "D2-FLOW.W02" not in failed_ids(result)


def test_no_certificate_together_with_a_certificate_is_an_error():
    result = check(report(D1_CERTYFIKAT=["brak", "iso"]))

    assert failed(result, "D1-CERTYFIKAT").severity == Severity.ERROR


def test_a_psychiatric_hospital_without_psychiatric_ward_beds_is_a_warning():
    result = check(report(D1_RODZAJ="1", D2__W02__K1="", D2__W02__K10="0", D2__W02__K7="508"))

    assert failed(result, "D2-HOSPITAL_WARDS").severity == Severity.WARNING
    assert "D2-HOSPITAL_WARDS" not in failed_ids(check(report(D1_RODZAJ="2", D2__W02__K1="")))


def test_another_source_of_financing_must_be_named():
    assert "D1_FINANSOWANIE_INNE" in check(report(D1_FINANSOWANIE="inne")).field_problems
    named = check(report(D1_FINANSOWANIE="inne", D1_FINANSOWANIE_INNE="budżet wojewody"))
    assert named.field_problems == {} and named.is_sendable
