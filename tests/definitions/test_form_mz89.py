"""MZ-89, specialists by specialty by main place of work, as shipped: each specialty at most
the specialists, the specialists at most MZ-88's physicians (dentists) in column 4, read from
MZ-88's sent version and waited for before sending, and a zero report when there are none."""

from __future__ import annotations

import datetime

from definitions.test_shipped_forms import failed_ids, form, result_of
from ssoz.definitions.form import OtherReports
from ssoz.definitions.rules import Severity, Status

MZ89 = "mz-89/2025.yaml"

# MZ-88 as sent: 45 physicians and 3 dentists with the entity as main place of work.
MZ88_SENT = OtherReports("2025", {"MZ-88": {"D1.W01.K4": "45", "D1.W02.K4": "3"}})
MZ88_NOT_SENT = OtherReports("2025", {})


def specialists(**changes: str | None) -> dict[str, str]:
    """20 specialist physicians and 2 specialist dentists: internal medicine (W15), cardiology
    (W35), family medicine (W43), paediatrics (W61); orthodontics (D2 W04)."""
    raw = {
        "L_SPECJALISCI": "20",
        "D1.W15.K2": "6",
        "D1.W15.K3": "2",
        "D1.W35.K3": "3",
        "D1.W43.K2": "1",
        "D1.W43.K3": "5",
        "D1.W61.K2": "4",
        "D1.W61.K4": "1",
        "LD_SPECJALISCI": "2",
        "D2.W04.K3": "2",
    }
    for ref, value in changes.items():
        ref = ref.replace("_", ".") if ref.startswith(("D1_", "D2_")) else ref
        if value is None:
            raw.pop(ref, None)
        else:
            raw[ref] = value
    return raw


def test_the_specialty_lists_are_rows_of_the_regulation() -> None:
    tables = {section.code: section.table for section in form(MZ89).sections}

    assert len(tables["D1"].rows) == 77
    assert len(tables["D2"].rows) == 9
    assert tables["D1"].rows[42].label.pl == "Medycyna rodzinna"
    assert tables["D2"].rows[3].label.pl == "Ortodoncja"


def test_a_report_whose_figures_agree_with_mz88_passes_verification() -> None:
    result = form(MZ89).check(specialists(), stage="verify", others=MZ88_SENT)

    assert result.field_problems == {}
    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_the_total_of_a_specialty_adds_second_degree_and_new_procedure_titles() -> None:
    values = form(MZ89).check(specialists(), stage="verify", others=MZ88_SENT).values

    assert values["D1.W15.K1"] == 8
    assert values["D1.W61.K1"] == 4  # first-degree only (K4) is not counted in K1


def test_the_deadline_is_10_april_of_the_following_year_and_zero_reports_are_allowed() -> None:
    compiled = form(MZ89)

    assert compiled.zero_report
    assert compiled.deadline.due(2025) == datetime.date(2026, 4, 10)
    assert compiled.deadline.due(2030) == datetime.date(2031, 4, 10)


def test_a_specialty_with_more_physicians_than_the_specialists_is_an_error() -> None:
    result = form(MZ89).check(specialists(D1_W35_K2="18"), stage="verify", others=MZ88_SENT)

    assert failed_ids(result) == {"D1.SPECIALTY.W35"}
    specialty = result_of(result, "D1.SPECIALTY.W35")
    assert specialty.severity == Severity.ERROR
    assert specialty.fields == ("D1.W35.K2", "D1.W35.K3")
    assert specialty.message_pl.startswith(
        "Wiersz W35 „Kardiologia”: lekarzy z tą specjalizacją (21) jest więcej niż lekarzy ze "
        "specjalizacją w ogóle (20)."
    )


def test_a_specialty_filled_without_the_number_of_persons_is_an_error() -> None:
    raw = specialists(L_SPECJALISCI=None)

    result = form(MZ89).check(raw, stage="verify", others=MZ88_SENT)

    assert {"D1.SPECIALTY.W15", "D1.SPECIALTY.W35"} <= failed_ids(result)
    assert "(0)" in result_of(result, "D1.SPECIALTY.W15").message_pl


def test_a_dental_specialty_with_more_dentists_than_the_specialists_is_an_error() -> None:
    result = form(MZ89).check(specialists(D2_W04_K2="1"), stage="verify", others=MZ88_SENT)

    assert failed_ids(result) == {"D2.SPECIALTY.W04"}
    assert "„Ortodoncja”" in result_of(result, "D2.SPECIALTY.W04").message_pl


def test_more_specialists_than_specialisations_in_the_table_is_an_error() -> None:
    result = form(MZ89).check(specialists(L_SPECJALISCI="22"), stage="verify", others=MZ88_SENT)

    assert failed_ids(result) == {"D1.PERSONS"}
    assert result_of(result, "D1.PERSONS").message_pl.startswith(
        "Wykazano 22 lekarzy ze specjalizacją, a w tabeli działu 1 tylko 21 specjalizacji."
    )


def test_more_specialist_dentists_than_dental_specialisations_is_an_error() -> None:
    result = form(MZ89).check(specialists(LD_SPECJALISCI="3"), stage="verify", others=MZ88_SENT)

    assert "D2.PERSONS" in failed_ids(result)


def test_a_physician_with_two_specialties_is_counted_under_each_and_once_as_a_person() -> None:
    raw = specialists(L_SPECJALISCI="18")  # 21 specialisations of 18 persons

    assert form(MZ89).check(raw, stage="verify", others=MZ88_SENT).is_sendable


def test_specialists_above_the_physicians_of_mz88_are_an_error() -> None:
    fewer = OtherReports("2025", {"MZ-88": {"D1.W01.K4": "19", "D1.W02.K4": "3"}})

    result = form(MZ89).check(specialists(), stage="verify", others=fewer)

    assert failed_ids(result) == {"MZ88.PHYSICIANS"}
    physicians = result_of(result, "MZ88.PHYSICIANS")
    assert physicians.severity == Severity.ERROR
    assert physicians.message_pl.startswith(
        "Lekarzy ze specjalizacją (20) jest więcej niż lekarzy, dla których podmiot jest "
        "podstawowym miejscem pracy, w sprawozdaniu MZ-88 (wiersz 1, kolumna 4: 19)."
    )
    assert not result.is_sendable


def test_specialist_dentists_above_the_dentists_of_mz88_are_an_error() -> None:
    fewer = OtherReports("2025", {"MZ-88": {"D1.W01.K4": "45", "D1.W02.K4": "1"}})

    result = form(MZ89).check(specialists(), stage="verify", others=fewer)

    assert failed_ids(result) == {"MZ88.DENTISTS"}
    assert "(wiersz 2, kolumna 4: 1)" in result_of(result, "MZ88.DENTISTS").message_pl


def test_the_rules_reading_mz88_wait_for_it_and_keep_mz89_from_being_sent() -> None:
    result = form(MZ89).check(specialists(), stage="verify", others=MZ88_NOT_SENT)

    waiting = {finding.rule_id: finding for finding in result.errors}
    assert set(waiting) == {"MZ88.PHYSICIANS", "MZ88.DENTISTS"}
    assert {finding.awaiting for finding in waiting.values()} == {"MZ-88"}
    assert "Najpierw wyślij sprawozdanie MZ-88" in waiting["MZ88.PHYSICIANS"].message_pl
    assert not result.is_sendable


def test_a_report_without_any_specialist_is_an_error_that_points_to_the_zero_report() -> None:
    raw = {"L_SPECJALISCI": "0", "LD_SPECJALISCI": "0"}

    result = form(MZ89).check(raw, stage="verify", others=MZ88_SENT)

    assert failed_ids(result) == {"ZERO"}
    zero = result_of(result, "ZERO")
    assert zero.severity == Severity.ERROR
    assert "„Wyślij jako sprawozdanie zerowe”" in zero.message_pl
    assert result_of(form(MZ89).check({}, stage="verify", others=MZ88_SENT), "ZERO").status == (
        Status.FAILED
    )


def test_only_dentists_with_a_specialisation_is_a_report_not_a_zero_report() -> None:
    raw = {"LD_SPECJALISCI": "2", "D2.W04.K3": "2"}

    result = form(MZ89).check(raw, stage="verify", others=MZ88_SENT)

    assert result.errors == []
