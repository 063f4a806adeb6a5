"""MZ-11, the report on the activity of and persons working in outpatient health care, checks
a year of a clinic as its rules say."""

from __future__ import annotations

from decimal import Decimal

from ssoz.definitions.rules import Severity, Status

from .test_shipped_forms import failed_ids, form, result_of

MZ11 = "mz-11/2025.yaml"

# A year of a primary care clinic with a gynaecologist, a dentist, a laboratory and an X-ray unit.
YEAR = {
    "D1A.W01.K2": "40",
    "D1A.W01.K3": "900",
    "D1A.W01.K4": "160",
    "D1A.W02.K3": "700",
    "D1B.W01.K1": "2400",
    "D1B.W03.K1": "180",
    "D1B.W04.K1": "60",
    "D1B.W05.K1": "30",
    "D1B.W06.K1": "10",
    "D1C.W02.K2": "120",
    "D1C.W02.K3": "90",
    "D1C.W02.K4": "70",
    "D1C.W02.K5": "640",
    "D1C.W02.K6": "410",
    "D1C.W03.K2": "35",
    "D1C.W03.K7": "150",
    "D1C.W03.K8": "110",
    "D1C.W03.K9": "95",
    "D2.W02.K2": "30000",
    "D2.W02.K3": "600",
    "D2.W02.K4": "4000",
    "D2.W04.K2": "8000",
    "D2.W06.K2": "5000",
    "D2.W13.K2": "2000",
    "D2.W16.K2": "4000",
    "D3.W02.K2": "6000",
    "D3.W02.K3": "1500",
    "D3.W03.K3": "400",
    "D3.W03.K4": "300",
    "D3.W04.K3": "2500",
    "D4.W01.K1": "1",
    "D4.W01.K2": "52000",
    "D4.W02.K1": "1",
    "D4.W02.K2": "3100",
    "D4.W02.K3": "40",
    "D5.W02.K2": "9",
    "D5.W02.K3": "6",
    "D5.W02.K4": "5",
    "D5.W03.K5": "1",
    "D5.W04.K2": "12",
    "D5.W04.K3": "12",
    "D5.W05.K2": "2",
    "D5.W05.K3": "2",
    "D5.W07.K4": "1",
    "D5.W08.K2": "2",
    "D5.W08.K3": "2",
}


def year(**changes: str | None) -> dict[str, str]:
    raw = dict(YEAR)
    for ref, value in changes.items():
        if value is None:
            raw.pop(ref.replace("_", "."), None)
        else:
            raw[ref.replace("_", ".")] = value
    return raw


def check(raw: dict[str, str], stage: str = "verify"):
    return form(MZ11).check(raw, stage=stage)


def test_mz11_has_the_real_title_and_may_be_sent_as_a_zero_report() -> None:
    compiled = form(MZ11)

    assert compiled.title.pl == (
        "Sprawozdanie o działalności i pracujących w ambulatoryjnej opiece zdrowotnej"
    )
    assert compiled.zero_report


def test_mz11_a_year_whose_figures_agree_passes_verification() -> None:
    result = check(year())

    assert result.errors == []
    assert result.warnings == []
    assert result.infos == []
    assert result.is_sendable


def test_mz11_has_no_rule_against_the_previous_year() -> None:
    assert not [rule for rule in form(MZ11).rules if rule.rule_id.startswith("PREV")]
    assert not form(MZ11).needs_previous("verify")


def test_mz11_totals_are_worked_out_in_every_section() -> None:
    values = check(year()).values

    assert values["D1A.W01.K1"] == 1100
    assert values["D1B.W02.K1"] == 280  # rows 03–06
    assert values["D2.W03.K1"] == 15000  # specialist care: rows 04–15
    assert values["D2.W01.K1"] == 49600  # POZ + specialist care + dental care
    assert values["D3.W01.K1"] == 10400  # nurses, midwives, long-term home care
    assert values["D5.W02.K1"] == 14  # 9 employed + 5 civil-law
    assert values["D5.W01.K1"] == 32


def test_mz11_first_consultations_of_children_are_the_sum_of_the_age_columns() -> None:
    values = check(year()).values

    assert values["D1C.W02.K1"] == 280  # 120 + 90 + 70
    assert values["D1C.W03.K1"] == 35
    assert values["D1C.W01.K1"] == 315
    assert values["D1C.W01.K5"] == 640


def test_mz11_more_repeat_consultations_under_1_than_repeat_consultations_is_an_error() -> None:
    result = check(year(D1C_W02_K6="700"))

    # The clinic's row and the total row above it.
    assert failed_ids(result) == {"D1C.K6.of_which.W02", "D1C.K6.of_which.W01"}
    under_one = result_of(result, "D1C.K6.of_which.W02")
    assert under_one.severity == Severity.ERROR
    assert under_one.fields == ("D1C.W02.K6", "D1C.W02.K5")
    assert not result.is_sendable


def test_mz11_midwife_visits_up_to_day_14_and_in_weeks_2_to_6_are_parts_of_all_visits() -> None:
    # The two periods overlap in the 2nd week: together they may exceed the total, each may not.
    assert check(year(D1C_W03_K8="140", D1C_W03_K9="120")).is_sendable

    result = check(year(D1C_W03_K9="151"))
    assert failed_ids(result) == {"D1C.K9.of_which.W03", "D1C.K9.of_which.W01"}


def test_mz11_midwife_visits_to_children_above_the_midwives_patronage_visits_is_a_warning() -> None:
    result = check(year(D3_W03_K4="120"))

    visits = result_of(result, "D1C-MIDWIFE_VISITS")
    assert visits.status == Status.FAILED
    assert visits.severity == Severity.WARNING
    assert "(150)" in visits.message_pl and "kol. 4: 120" in visits.message_pl
    assert result.is_sendable


def test_mz11_patronage_visits_are_not_reported_for_long_term_home_care() -> None:
    result = check(year(D3_W04_K4="10"), stage="save")

    assert [p.code for p in result.field_problems["D3.W04.K4"]] == ["blocked"]


def test_mz11_staff_full_time_above_the_employed_is_an_error() -> None:
    result = check(year(D5_W04_K3="13"))

    assert failed_ids(result) == {"D5.K3.of_which.W04"}


def test_mz11_consultations_by_dentists_without_a_dentist_on_the_staff_is_a_warning() -> None:
    result = check(year(D5_W03_K5=None))

    assert failed_ids(result) == {"D5-DENTISTS"}
    dentists = result_of(result, "D5-DENTISTS")
    assert dentists.fields == ("D5.W03.K1",)
    assert dentists.message_pl.startswith("W dziale 2 wykazano 4000 porad lekarzy dentystów")


def test_mz11_visits_without_nurses_or_midwives_on_the_staff_are_warnings() -> None:
    result = check(year(D5_W04_K2=None, D5_W04_K3=None, D5_W05_K2=None, D5_W05_K3=None))

    assert failed_ids(result) == {"D5-NURSES", "D5-MIDWIVES"}
    assert "10\u00a0000 wizyt pielęgniarek" in result_of(result, "D5-NURSES").message_pl


def test_mz11_consultations_without_physicians_on_the_staff_is_a_warning() -> None:
    result = check(year(D5_W02_K2=None, D5_W02_K3=None, D5_W02_K4=None))

    assert failed_ids(result) == {"D5-PHYSICIANS"}


def test_mz11_psychologists_without_their_consultations_is_only_a_note() -> None:
    result = check(year(D2_W13_K2=None))

    assert failed_ids(result) == {"D5-PSYCHOLOGISTS"}
    assert result.warnings == [] and len(result.infos) == 1
    assert result.is_sendable


def test_mz11_more_pregnant_women_under_care_than_consultations_is_a_warning() -> None:
    result = check(year(D1B_W01_K1="250"))

    assert failed_ids(result) == {"D1B-UNDER_CARE"}
    assert result_of(result, "D1B-UNDER_CARE").severity == Severity.WARNING


def test_mz11_consultations_to_pregnant_women_above_poz_and_gynaecology_is_a_warning() -> None:
    result = check(year(D1B_W01_K1="40000"))

    assert failed_ids(result) == {"D1B-CONSULTATIONS"}


def test_mz11_tests_without_a_unit_of_that_kind_is_an_error_for_that_row() -> None:
    result = check(year(D4_W05_K2="1200"))

    assert failed_ids(result) == {"D4-UNITS.W05"}
    units = result_of(result, "D4-UNITS.W05")
    assert units.fields == ("D4.W05.K1",)
    assert units.message_pl.startswith(
        "Wiersz W05 „Pracownie tomografii komputerowej (TK)”: wykazano 1200 badań"
    )
    assert not result.is_sendable


def test_mz11_the_units_rule_repeats_for_every_kind_of_unit() -> None:
    ids = {rule.rule_id for rule in form(MZ11).rules if rule.rule_id.startswith("D4-UNITS")}

    assert ids == {f"D4-UNITS.W0{n}" for n in range(1, 8)}


def test_mz11_contrast_is_not_reported_for_laboratories() -> None:
    result = check(year(D4_W01_K3="5"), stage="save")

    assert [p.code for p in result.field_problems["D4.W01.K3"]] == ["blocked"]


def test_mz11_an_fte_like_decimal_is_not_a_head_count() -> None:
    result = check(year(D5_W06_K2="1,5"), stage="save")

    assert "D5.W06.K2" in result.field_problems
    assert check(year()).values["D5.W01.K3"] == Decimal(22)
