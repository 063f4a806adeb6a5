"""MZ-29 (general hospital) as shipped: a hospital whose wards add up passes, the bed use
indicators are computed, each rule fails on the figures it exists for, and psychiatric wards
already reported in the entity's MZ-30 are warned about as counted twice."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

from ssoz.definitions.form import CheckResult, CompiledForm, OtherReports, compile_definition
from ssoz.definitions.loader import parse_definition
from ssoz.definitions.rules import Severity, Status

PATH = Path(__file__).resolve().parents[2] / "definitions" / "mz-29" / "2025.yaml"

# Per ward row: beds 31 XII, average beds, patients, of which from other wards, discharged,
# transferred to other wards, deceased, remaining 31 XII, patient-days.
WARDS = {
    "W02": ("40", "40", "1500", "100", "1300", "120", "50", "30", "12000"),  # choroby wewnętrzne
    "W12": ("30", "30", "1200", "120", "1050", "100", "20", "30", "8000"),  # chirurgia ogólna
}
PSYCHIATRIC_WARD = {
    "D2.W19.K1": "10",
    "D2.W19.K2": "10",
    "D2.W19.K3": "200",
    "D2.W19.K5": "190",
    "D2.W19.K8": "10",
    "D2.W19.K9": "3000",
}
# MZ-30's sent values hold its ward rows only: its total row is computed, never stored.
MZ30_SENT = OtherReports(
    "2025",
    {"MZ-30": {"D2.W02.K1": "60", "D2.W02.K6": "540", "D2.W07.K1": "20", "D2.W07.K6": "160"}},
)


@functools.cache
def mz29() -> CompiledForm:
    return compile_definition(
        parse_definition(PATH.read_text(encoding="utf-8"), filename=str(PATH)),
        filename=str(PATH),
    )


def report(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "D1_RODZAJ": "3",
        "D1_AKREDYTACJA": "tak",
        "D1_ISO": "nie",
        "D1_FINANSOWANIE": "nfz",
    }
    for row, values in WARDS.items():
        for column, value in enumerate(values, start=1):
            raw[f"D2.{row}.K{column}"] = value
    raw.update({ref.replace("__", "."): value for ref, value in changes.items()})
    return raw


def check(raw: dict[str, Any], others: OtherReports = MZ30_SENT) -> CheckResult:
    return mz29().check(raw, stage="verify", others=others)


def failed(result: CheckResult, rule_id: str) -> Any:
    found = next((r for r in result.rule_results if r.rule_id == rule_id), None)
    assert found is not None and found.status == Status.FAILED, f"{rule_id} did not fail"
    return found


def failed_ids(result: CheckResult) -> set[str]:
    return {r.rule_id for r in result.rule_results if r.status == Status.FAILED}


def test_mz29_reads_mz30_and_has_one_flow_rule_per_ward_row():
    ids = {rule.rule_id for rule in mz29().rules}

    assert [read.form for read in mz29().reads] == ["MZ-30"]
    assert {f"D2-FLOW.W{n:02}" for n in range(1, 20)} <= ids
    assert mz29().needs_others("verify")


def test_a_hospital_whose_wards_add_up_passes():
    result = check(report())

    assert result.errors == [] and result.warnings == []
    assert result.is_sendable


def test_the_bed_use_indicators_are_computed_from_the_total_row():
    values = check(report()).values

    assert values["D2.W01.K3"] == 2700 and values["D2.W01.K9"] == 20000
    assert values["D3_POBYT"] == Decimal("7.4")
    assert values["D3_NA_LOZKO"] == Decimal("38.6")
    assert values["D3_DNI"] == Decimal("285.7")
    assert values["D3_PROCENT"] == Decimal("78.3")


def test_patients_who_neither_leave_nor_remain_in_the_ward_are_an_error():
    result = check(report(D2__W02__K5="1290"))

    flow = failed(result, "D2-FLOW.W02")
    assert flow.severity == Severity.ERROR
    assert flow.message_pl.startswith(
        "Wiersz W02 „Choroby wewnętrzne”: leczeni (kol. 3: 1500) muszą być sumą wypisanych, "
        "przeniesionych na inne oddziały, zmarłych i pozostałych w dniu 31 XII (kol. 5–8: 1490)."
    )
    assert "D2-FLOW.W12" not in failed_ids(result)


def test_more_admitted_from_other_wards_than_treated_is_the_generated_of_which_error():
    result = check(report(D2__W12__K4="1300"))

    assert failed(result, "D2.K4.of_which.W12").severity == Severity.ERROR


def test_patient_days_beyond_the_beds_of_the_year_are_a_warning_with_the_occupancy():
    result = check(report(D2__W12__K9="12000"))

    occupancy = failed(result, "D2-OCCUPANCY.W12")
    assert occupancy.severity == Severity.WARNING
    assert "wykorzystanie łóżek wynosi 109,6%" in occupancy.message_pl
    assert result.is_sendable


def test_patients_without_days_and_days_without_beds_are_errors():
    result = check(report(D2__W06__K3="4", D2__W06__K5="4", D2__W07__K9="50"))

    assert {"D2-DAYS.W06", "D2-BEDS.W07"} <= failed_ids(result)


def test_more_patients_on_31_december_than_beds_is_a_warning():
    result = check(report(D2__W12__K5="1040", D2__W12__K8="40"))

    assert failed(result, "D2-REMAINING.W12").severity == Severity.WARNING
    assert "D2-FLOW.W12" not in failed_ids(result)


def test_transfers_out_of_wards_that_no_ward_admitted_are_a_warning():
    result = check(report(D2__W02__K6="130", D2__W02__K5="1290"))

    transfers = failed(result, "D2-TRANSFERS")
    assert transfers.severity == Severity.WARNING
    assert "(w. 01, kol. 4: 220)" in transfers.message_pl
    assert "(w. 01, kol. 6: 230)" in transfers.message_pl


def test_psychiatric_beds_and_patients_also_in_the_sent_mz30_are_warned_as_counted_twice():
    result = check(report(**{ref.replace(".", "__"): v for ref, v in PSYCHIATRIC_WARD.items()}))

    beds = failed(result, "MZ30-BEDS")
    assert beds.severity == Severity.WARNING
    assert beds.message_pl.startswith(
        "W wierszu 19 wykazano łóżka oddziałów psychiatrycznych i leczenia uzależnień "
        "(kol. 1: 10), a w sprawozdaniu MZ-30 za ten sam rok podmiot wykazał łóżka "
        "psychiatryczne (razem: 80)."
    )
    patients = failed(result, "MZ30-PATIENTS")
    assert "(kol. 3: 200)" in patients.message_pl
    assert "podmiot wykazał leczonych (razem: 700)" in patients.message_pl
    assert beds.fields == ("D2.W19.K1",)


def test_a_psychiatric_ward_is_reported_in_mz29_when_mz30_has_none():
    psychiatric = report(**{ref.replace(".", "__"): v for ref, v in PSYCHIATRIC_WARD.items()})

    zero_mz30 = check(psychiatric, others=OtherReports("2025", {"MZ-30": {}}))
    assert zero_mz30.warnings == [] and zero_mz30.errors == []
    without_psychiatric_ward = check(report())
    assert not {"MZ30-BEDS", "MZ30-PATIENTS"} & failed_ids(without_psychiatric_ward)


def test_the_double_counting_rules_wait_for_an_unsent_mz30_without_blocking():
    result = check(report(), others=OtherReports("2025", {}))

    waiting = [warning for warning in result.warnings if warning.awaiting == "MZ-30"]
    assert len(waiting) == 2
    assert "MZ-30 za 2025, które nie zostało jeszcze wysłane" in waiting[0].message_pl
    assert result.errors == [] and result.is_sendable
