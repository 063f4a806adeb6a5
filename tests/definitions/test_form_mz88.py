"""MZ-88, the staff report, as shipped: physicians in row 1, the main place of work in column 4,
education as "of which" rows, women where the statistical office asks for sex, and the FTE
rules written once for every profession."""

from __future__ import annotations

import datetime
from decimal import Decimal

from definitions.test_shipped_forms import failed_ids, form, result_of
from ssoz.definitions.rules import Severity, Status

MZ88 = "mz-88/2025.yaml"

# Per profession row of Dział 1: stosunek pracy (K2), umowy cywilnoprawne i inne (K3), main
# place of work (K4), women (K5, only where asked), of which full-time (K6), FTE in Dział 2.
STAFF = {
    "W01": ("40", "27", "45", "35", "30", "36,50"),  # lekarze
    "W02": ("2", "1", "3", "2", "1", "1,50"),  # lekarze dentyści
    "W03": ("10", "8", "12", None, "10", "10"),  # ratownicy medyczni
    "W05": ("120", "10", "118", None, "110", "115,25"),  # pielęgniarki
    "W07": ("15", "2", "15", None, "14", "14,50"),  # położne
    "W09": ("6", "0", "6", None, "6", "6"),  # diagności laboratoryjni
    "W13": ("3", "0", "3", "3", "2", "2,75"),  # farmaceuci
    "W14": ("12", "5", "14", None, "10", "11"),  # fizjoterapeuci
    "W16": ("3", "2", "4", None, "1", "2"),  # psycholodzy
}
# The "of which" education rows: K2, K3, K4, K6.
EDUCATION = {
    "W04": ("4", "3", "6", "4"),  # ratownicy z wykształceniem wyższym
    "W06": ("70", "5", "70", "65"),  # pielęgniarki z wykształceniem wyższym
    "W08": ("10", "1", "10", "9"),  # położne z wykształceniem wyższym
    "W10": ("5", "0", "5", "5"),  # diagności z wykształceniem magisterskim
    "W15": ("9", "3", "11", "8"),  # fizjoterapeuci z wykształceniem wyższym
}


def staff_report(**changes: str) -> dict[str, str]:
    raw: dict[str, str] = {}
    for row, (contract, civil, main, women, full_time, fte) in STAFF.items():
        raw[f"D1.{row}.K2"] = contract
        raw[f"D1.{row}.K3"] = civil
        raw[f"D1.{row}.K4"] = main
        if women is not None:
            raw[f"D1.{row}.K5"] = women
        raw[f"D1.{row}.K6"] = full_time
        raw[f"D2.{row}.K1"] = fte
    for row, (contract, civil, main, full_time) in EDUCATION.items():
        raw[f"D1.{row}.K2"] = contract
        raw[f"D1.{row}.K3"] = civil
        raw[f"D1.{row}.K4"] = main
        raw[f"D1.{row}.K6"] = full_time
    raw.update({ref.replace("_", "."): value for ref, value in changes.items()})
    return raw


def test_a_staff_report_whose_figures_agree_passes_verification() -> None:
    result = form(MZ88).check(staff_report(), stage="verify")

    assert result.field_problems == {}
    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_row_1_is_physicians_and_there_is_no_total_row_nor_a_specialists_row() -> None:
    table = form(MZ88).check(staff_report(), stage="verify").values

    assert table["D1.W01.K1"] == 67  # 40 + 27: physicians, not everyone
    [table] = [section.table for section in form(MZ88).sections if section.code == "D1"]
    assert table.rows[0].label.pl == "Lekarze" and table.rows[0].total == ()
    assert not [row.code for row in table.rows if "specjali" in row.label.pl]


def test_column_1_adds_employment_and_the_other_forms() -> None:
    values = form(MZ88).check(staff_report(), stage="verify").values

    assert values["D1.W05.K1"] == 130
    assert values["D1.W06.K1"] == 75


def test_a_total_typed_by_hand_is_ignored_and_worked_out_again() -> None:
    result = form(MZ88).check(staff_report(D1_W01_K1="999"), stage="verify")

    assert result.values["D1.W01.K1"] == 67
    assert result.errors == []


def test_women_are_asked_only_for_physicians_dentists_and_pharmacists() -> None:
    result = form(MZ88).check(staff_report(D1_W05_K5="100"), stage="save")

    assert [p.code for p in result.field_problems["D1.W05.K5"]] == ["blocked"]
    fields = form(MZ88).fields
    asked = {spec.row for ref, spec in fields.items() if ref.endswith(".K5") and spec.is_input}
    assert asked == {"W01", "W02", "W13"}


def test_more_women_than_persons_is_an_error_on_the_women_cell() -> None:
    result = form(MZ88).check(staff_report(D1_W13_K5="4"), stage="verify")

    women = result_of(result, "D1.K5.of_which.W13")
    assert women.status == Status.FAILED
    assert women.severity == Severity.ERROR
    assert women.fields == ("D1.W13.K5", "D1.W13.K1")
    assert not result.is_sendable


def test_more_persons_by_main_place_of_work_than_working_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D1_W01_K4="68"), stage="verify")

    assert failed_ids(result) == {"D1.K4.of_which.W01"}
    assert result_of(result, "D1.K4.of_which.W01").fields == ("D1.W01.K4", "D1.W01.K1")


def test_more_nurses_with_higher_education_than_nurses_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D1_W06_K2="121"), stage="verify")

    assert failed_ids(result) == {"D1.W06.of_which.K2"}
    assert result_of(result, "D1.W06.of_which.K2").fields == ("D1.W06.K2", "D1.W05.K2")


def test_more_diagnosticians_with_a_masters_degree_than_diagnosticians_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D1_W10_K4="7"), stage="verify")

    assert "D1.W10.of_which.K4" in failed_ids(result)


def test_full_time_persons_above_persons_in_employment_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D1_W09_K6="7"), stage="verify")

    assert "D1.K6.of_which.W09" in failed_ids(result)


def test_the_rules_are_written_once_and_repeated_for_every_profession() -> None:
    ids = {rule.rule_id for rule in form(MZ88).rules}
    professions = ["W01", "W02", "W03", "W05", "W07", "W09", "W11", "W13", "W14", "W16"]
    professions += ["W17", "W18", "W19", "W20"]

    for rule in ("FTE", "FTE_PERSONS", "FTE_FULL_TIME"):
        assert {rule_id for rule_id in ids if rule_id.startswith(f"{rule}.")} == {
            f"{rule}.{row}" for row in professions
        }
    every_row = {f"MAIN_WORKPLACE.W{row:02d}" for row in range(1, 21)}
    assert {rule_id for rule_id in ids if rule_id.startswith("MAIN_WORKPLACE.")} == every_row


def test_fte_above_persons_in_employment_is_a_warning_naming_the_profession() -> None:
    result = form(MZ88).check(staff_report(D2_W05_K1="121,5"), stage="verify")

    fte = result_of(result, "FTE.W05")
    assert fte.status == Status.FAILED
    assert fte.severity == Severity.WARNING
    assert fte.fields == ("D2.W05.K1",)
    assert fte.message_pl.startswith(
        "Wiersz W05 „Pielęgniarki”: etaty (121,5) przekraczają liczbę osób zatrudnionych na "
        "podstawie stosunku pracy (dział 1, kol. 2: 120)."
    )
    assert result.errors == []
    assert result.is_sendable


def test_fte_without_anyone_in_employment_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D2_W18_K1="0,5"), stage="verify")

    persons = result_of(result, "FTE_PERSONS.W18")
    assert persons.status == Status.FAILED
    assert persons.severity == Severity.ERROR
    assert persons.message_pl == (
        "Wiersz W18 „Dietetycy”: w dziale 2 wykazano etaty (0,5), a w dziale 1 nie wykazano "
        "osób zatrudnionych na podstawie stosunku pracy (kol. 2). Uzupełnij dział 1 albo usuń "
        "etaty."
    )
    assert not result.is_sendable


def test_fte_below_the_full_time_persons_is_a_warning() -> None:
    result = form(MZ88).check(staff_report(D2_W14_K1="9,5"), stage="verify")

    assert failed_ids(result) == {"FTE_FULL_TIME.W14"}
    full_time = result_of(result, "FTE_FULL_TIME.W14")
    assert full_time.severity == Severity.WARNING
    assert "(9,5)" in full_time.message_pl and "kol. 6: 10" in full_time.message_pl


def test_fte_must_be_given_with_at_most_two_decimals() -> None:
    result = form(MZ88).check(staff_report(D2_W05_K1="115,255"), stage="save")

    assert [p.code for p in result.field_problems["D2.W05.K1"]] == ["too_many_decimals"]
    assert form(MZ88).check(staff_report(), stage="save").values["D2.W05.K1"] == Decimal("115.25")


def test_a_negative_head_count_is_refused() -> None:
    result = form(MZ88).check(staff_report(D1_W07_K3="-2"), stage="save")

    assert [p.code for p in result.field_problems["D1.W07.K3"]] == ["below_min"]


def test_the_deadline_is_10_april_of_the_following_year_whatever_the_year() -> None:
    deadline = form(MZ88).deadline

    assert deadline.due(2025) == datetime.date(2026, 4, 10)
    assert deadline.due(2019) == datetime.date(2020, 4, 10)
    assert deadline.due(2027) == datetime.date(2028, 4, 10)


def test_a_profession_with_persons_but_column_4_left_empty_is_an_error() -> None:
    result = form(MZ88).check(staff_report(D1_W16_K4=""), stage="verify")

    assert failed_ids(result) == {"MAIN_WORKPLACE.W16"}
    main = result_of(result, "MAIN_WORKPLACE.W16")
    assert main.severity == Severity.ERROR
    assert main.fields == ("D1.W16.K4",)
    assert main.message_pl.startswith(
        "Wiersz W16 „Psycholodzy”: wykazano pracujących (5), a kolumna 4 (według podstawowego "
        "miejsca pracy) jest pusta."
    )


def test_column_4_may_be_0_and_is_not_asked_of_a_profession_without_persons() -> None:
    result = form(MZ88).check(staff_report(D1_W16_K4="0"), stage="verify")

    assert result.errors == []
    assert result_of(result, "MAIN_WORKPLACE.W17").status == Status.SKIPPED  # no logopedzi
