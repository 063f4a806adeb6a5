"""STR-ZOB UW, the quarterly structure of an SP ZOZ's liabilities by kind and by how long they
are overdue: sums of sums in both directions, totals that must match MZ-BFA UW for the same
quarter, and long-overdue wages and public charges to explain."""

from __future__ import annotations

from decimal import Decimal

from ssoz.definitions.form import OtherReports
from ssoz.definitions.rules import Severity, Status

from .test_shipped_forms import failed_ids, form, result_of

STR_ZOB = "str-zob-uw/2025.yaml"

# Not yet due (K2) and overdue up to 3 months, 3–6, 6–12 and over 12 months (K4–K7).
LIABILITIES = {
    "W03": ("1 500 000,00", "0", "0", "0", "0"),  # A.I.1 kredyty długoterminowe
    "W04": ("500 000,00", "0", "0", "0", "0"),  # A.I.2 leasing
    "W07": ("3 000 000,00", "40 000,00", "10 000,50", "0", "0"),  # A.II.1 dostawy i usługi
    "W08": ("2 100 000,00", "30 000,00", "10 000,50", "0", "0"),  # w tym leki
    "W09": ("250 000,00", "0", "0", "0", "0"),  # A.II.2 kredyty krótkoterminowe
    "W10": ("1 400 000,00", "0", "0", "0", "0"),  # A.II.3 wynagrodzenia
    "W11": ("599 999,50", "0", "0", "0", "0"),  # A.II.4 podatki i ZUS
}
# MZ-BFA UW for the same quarter: total liabilities (C) and of which overdue.
BFA_SENT = OtherReports(
    "2025 Q1–Q3", {"MZ-BFA-UW": {"D2.W06.K1": "7300000.00", "D2.W09.K1": "50000.50"}}
)


def structure(**changes: str) -> dict[str, str]:
    raw = {}
    for row, amounts in LIABILITIES.items():
        for column, amount in zip(("K2", "K4", "K5", "K6", "K7"), amounts, strict=True):
            raw[f"D1.{row}.{column}"] = amount
    raw.update({ref.replace("_", "."): value for ref, value in changes.items()})
    return raw


def test_str_zob_uw_is_a_cumulative_quarterly_form_for_financial_accounts() -> None:
    str_zob = form(STR_ZOB)

    assert (str_zob.period, str_zob.accounts) == ("quarter", ("financial",))
    assert [read.form for read in str_zob.reads] == ["MZ-BFA-UW"]


def test_str_zob_uw_structure_that_matches_mz_bfa_uw_passes_verification() -> None:
    result = form(STR_ZOB).check(structure(), stage="verify", others=BFA_SENT)

    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_str_zob_uw_sums_of_sums_compute_in_both_directions() -> None:
    values = form(STR_ZOB).check(structure(), stage="verify", others=BFA_SENT).values

    assert values["D1.W07.K3"] == Decimal("50000.50")  # overdue, from K4–K7
    assert values["D1.W07.K1"] == Decimal("3050000.50")  # total, from K2 and the sum K3
    assert values["D1.W02.K1"] == Decimal("2000000.00")  # A.I
    assert values["D1.W06.K1"] == Decimal("5300000.00")  # A.II, medicines not counted twice
    assert values["D1.W01.K1"] == Decimal("7300000.00")  # A, a sum of sums of sums
    assert values["D1.W01.K3"] == Decimal("50000.50")


def test_str_zob_uw_total_other_than_in_mz_bfa_uw_is_an_error() -> None:
    result = form(STR_ZOB).check(structure(D1_W09_K2="250 000,01"), stage="verify", others=BFA_SENT)

    assert failed_ids(result) == {"BFA.TOTAL"}
    total = result_of(result, "BFA.TOTAL")
    assert total.severity == Severity.ERROR
    assert total.message_pl.replace("\xa0", " ").startswith(
        "Zobowiązania ogółem (7 300 000,01 zł) nie są równe zobowiązaniom ogółem wykazanym "
        "w MZ-BFA UW za ten sam okres (7 300 000,00 zł, dział 2, wiersz C)."
    )


def test_str_zob_uw_overdue_total_other_than_in_mz_bfa_uw_is_an_error() -> None:
    raw = structure(D1_W07_K4="40 000,01", D1_W07_K2="2 999 999,99")
    result = form(STR_ZOB).check(raw, stage="verify", others=BFA_SENT)

    assert failed_ids(result) == {"BFA.OVERDUE"}


def test_str_zob_uw_waits_for_mz_bfa_uw_without_blocking_the_report() -> None:
    result = form(STR_ZOB).check(structure(), stage="verify", others=OtherReports("2025 Q3", {}))

    assert {finding.awaiting for finding in result.warnings} == {"MZ-BFA-UW"}
    assert result.errors == []


def test_str_zob_uw_medicines_above_trade_payables_are_an_error() -> None:
    raw = structure(D1_W08_K2="3 000 000,01")
    result = form(STR_ZOB).check(raw, stage="verify", others=BFA_SENT)

    assert "D1.W08.of_which.K2" in failed_ids(result)


def test_str_zob_uw_wages_overdue_for_over_a_year_are_a_warning() -> None:
    raw = structure(D1_W10_K7="12 000,00", D1_W10_K2="1 388 000,00")
    result = form(STR_ZOB).check(raw, stage="verify", others=BFA_SENT)

    overdue = result_of(result, "D1.LONG_OVERDUE.W10")
    assert overdue.status == Status.FAILED
    assert overdue.severity == Severity.WARNING
    assert overdue.message_pl.startswith("Wiersz A.II.3 „z tytułu wynagrodzeń”")
    assert "BFA.OVERDUE" in failed_ids(result)  # 12 000,00 more overdue than in MZ-BFA UW
