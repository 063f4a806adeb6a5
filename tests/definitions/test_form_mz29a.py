"""MZ-29A, the report on long-term inpatient care (ZOL, ZPO, inpatient hospices), checks a year
of a facility as its rules say, MZ-11's long-term home nursing included."""

from __future__ import annotations

from ssoz.definitions.form import OtherReports
from ssoz.definitions.rules import Severity, Status

from .test_shipped_forms import failed_ids, form, result_of

MZ29A = "mz-29a/2025.yaml"

# A 40-bed zakład opiekuńczo-leczniczy (code 5160) and a 10-bed inpatient hospice (code 5180).
YEAR = {
    "CZ1_AKREDYTACJA": "nie",
    "CZ1_JAKOSC": "tak",
    "D1.W02.K1": "3",
    "D1.W02.K4": "3",
    "D1.W03.K1": "22",
    "D1.W03.K2": "18",
    "D1.W03.K3": "15",
    "D1.W03.K4": "4",
    "D1.W05.K1": "3",
    "D1.W05.K2": "3",
    "D1.W05.K3": "2",
    "D1.W06.K1": "15",
    "D1.W06.K2": "15",
    "D1.W06.K3": "15",
    "D1.W07.K1": "1",
    "D1.W07.K4": "1",
    "D2.W02.K1": "40",
    "D2.W02.K3": "36",
    "D2.W02.K4": "70",
    "D2.W02.K5": "52",
    "D2.W02.K6": "16",
    "D2.W02.K7": "38",
    "D2.W02.K8": "13500",
    "D2.W09.K1": "10",
    "D2.W09.K3": "8",
    "D2.W09.K4": "140",
    "D2.W09.K5": "12",
    "D2.W09.K6": "127",
    "D2.W09.K7": "9",
    "D2.W09.K8": "3300",
}

# MZ-11 of the same entity and year, sent: 2 500 visits of long-term home nursing.
MZ11_SENT = OtherReports("2025", {"MZ-11": {"D3.W04.K3": "2500"}})


def year(**changes: str | None) -> dict[str, str]:
    raw = dict(YEAR)
    for ref, value in changes.items():
        ref = ref if ref.startswith("CZ1") else ref.replace("_", ".")
        if value is None:
            raw.pop(ref, None)
        else:
            raw[ref] = value
    return raw


def check(raw: dict[str, str], others: OtherReports | None = MZ11_SENT, stage: str = "verify"):
    return form(MZ29A).check(raw, stage=stage, others=others)


def test_mz29a_a_year_whose_figures_agree_passes_verification() -> None:
    result = check(year())

    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_mz29a_rows_are_the_rpwdl_codes_that_fill_the_form() -> None:
    labels = [row.label.pl for row in form(MZ29A).section("D2").table.rows]
    codes = ["5160", "5161", "5162", "5163", "5170", "5171", "5172", "5180", "5182", "5260"]
    codes += ["5272", "5360"]

    assert [label.split()[1] for label in labels[1:]] == codes


def test_mz29a_patients_treated_are_those_staying_on_1_january_and_those_admitted() -> None:
    values = check(year()).values

    assert values["D2.W02.K2"] == 106  # 36 + 70
    assert values["D2.W09.K2"] == 148
    assert values["D2.W01.K2"] == 254
    assert values["D2.W01.K8"] == 16800
    assert values["D1.W01.K1"] == 44


def test_mz29a_the_certificate_questions_must_be_answered() -> None:
    result = check(year(CZ1_JAKOSC=None))

    assert [p.code for p in result.field_problems["CZ1_JAKOSC"]] == ["required"]
    assert not result.is_sendable


def test_mz29a_patients_treated_who_are_not_discharged_dead_or_staying_is_an_error() -> None:
    result = check(year(D2_W02_K5="50"))

    assert failed_ids(result) == {"D2-FLOW.W02"}
    flow = result_of(result, "D2-FLOW.W02")
    assert flow.severity == Severity.ERROR
    assert flow.message_pl.startswith(
        "Wiersz W02 „kod 5160 – zakład opiekuńczo-leczniczy”: leczonych jest 106"
    )
    assert "razem 104 (50 + 16 + 38)" in flow.message_pl
    assert not result.is_sendable


def test_mz29a_the_flow_rule_repeats_for_every_code_but_not_for_the_total() -> None:
    ids = {rule.rule_id for rule in form(MZ29A).rules if rule.rule_id.startswith("D2-FLOW")}

    assert len(ids) == 12
    assert "D2-FLOW.W02" in ids and "D2-FLOW.W13" in ids and "D2-FLOW.W01" not in ids


def test_mz29a_occupancy_above_100_per_cent_is_a_warning_not_an_error() -> None:
    result = check(year(D2_W09_K8="3700"))

    occupancy = result_of(result, "D2-OCCUPANCY.W09")
    assert failed_ids(result) == {"D2-OCCUPANCY.W09"}
    assert occupancy.status == Status.FAILED
    assert occupancy.severity == Severity.WARNING
    assert "3700 osobodni przy 10 łóżkach to wykorzystanie łóżek 101,4%" in occupancy.message_pl
    assert result.is_sendable


def test_mz29a_patient_days_without_beds_is_a_warning() -> None:
    result = check(year(D2_W09_K1=None, D2_W09_K7="0"))

    assert failed_ids(result) == {"D2-DAYS_WITHOUT_BEDS.W09", "D2-FLOW.W09"}
    assert result_of(result, "D2-DAYS_WITHOUT_BEDS.W09").severity == Severity.WARNING


def test_mz29a_more_patients_staying_than_beds_is_a_warning() -> None:
    result = check(year(D2_W02_K7="42", D2_W02_K5="48"))

    assert failed_ids(result) == {"D2-STAYING_BEDS.W02"}


def test_mz29a_employed_and_civil_law_above_all_persons_is_an_error_for_that_row() -> None:
    result = check(year(D1_W03_K4="5"))

    assert failed_ids(result) == {"D1-EMPLOYMENT.W03"}
    employment = result_of(result, "D1-EMPLOYMENT.W03")
    assert employment.fields == ("D1.W03.K1", "D1.W03.K2", "D1.W03.K4")
    assert "razem 23 osób, więcej niż udzielających świadczeń ogółem (22)" in (
        employment.message_pl
    )


def test_mz29a_full_time_above_the_employed_is_an_error() -> None:
    result = check(year(D1_W05_K3="4"))

    assert "D1.K3.of_which.W05" in failed_ids(result)


def test_mz29a_patients_without_any_staff_is_a_warning() -> None:
    result = check({ref: value for ref, value in YEAR.items() if not ref.startswith("D1.")})

    assert failed_ids(result) == {"D1-STAFF_FOR_PATIENTS"}


def test_mz29a_home_nursing_visits_in_mz11_as_many_as_the_patient_days_is_a_warning() -> None:
    sent = OtherReports("2025", {"MZ-11": {"D3.W04.K3": "16800"}})

    result = check(year(), others=sent)

    assert failed_ids(result) == {"MZ11-LONG_TERM_NURSING"}
    twice = result_of(result, "MZ11-LONG_TERM_NURSING")
    assert twice.severity == Severity.WARNING
    assert twice.message_pl.startswith(
        "W sprawozdaniu MZ-11 wykazano 16\u00a0800 wizyt pielęgniarek długoterminowej opieki "
        "domowej (dział 3, wiersz 04, kol. 3), nie mniej niż osobodni opieki stacjonarnej w tym "
        "sprawozdaniu (16\u00a0800)."
    )
    assert result.is_sendable


def test_mz29a_waits_for_mz11_and_reads_nothing_from_a_zero_report() -> None:
    waiting = check(year(), others=OtherReports("2025", {}))
    assert [(w.rule_id, w.awaiting) for w in waiting.warnings] == [
        ("MZ11-LONG_TERM_NURSING", "MZ-11")
    ]
    assert waiting.is_sendable  # MZ-11 is due later; the rule is checked once it is sent

    zero = check(year(), others=OtherReports("2025", {"MZ-11": {}}))
    assert zero.warnings == []
    assert result_of(zero, "MZ11-LONG_TERM_NURSING").status == Status.SKIPPED


def test_mz29a_an_entity_without_home_nursing_in_mz11_passes_the_rule() -> None:
    sent = OtherReports("2025", {"MZ-11": {"D3.W04.K3": "0"}})

    assert "MZ11-LONG_TERM_NURSING" not in failed_ids(check(year(), others=sent))
