"""MZ-03, the quarterly report on the finances of an SP ZOZ: a balance sheet in złoty with
grosze, whose sums at every level compute and whose assets equal its liabilities."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ssoz.definitions.form import Period
from ssoz.definitions.rules import Severity, Status

from .test_shipped_forms import failed_ids, form, result_of

MZ03 = "mz-03/2025.yaml"

# (start of the year, end of the period) per row that is typed.
BALANCE = {
    "D1.W03": ("10 000,00", "9 500,00"),  # A.I.1 koszty prac rozwojowych
    "D1.W05": ("2 500,50", "2 300,25"),  # A.I.3 inne wartości niematerialne
    "D1.W09": ("150 000,00", "150 000,00"),  # A.II.1.a grunty
    "D1.W10": ("3 200 000,00", "3 150 000,00"),  # A.II.1.b budynki
    "D1.W11": ("850 000,75", "820 000,00"),  # A.II.1.c urządzenia
    "D1.W14": ("120 000,00", "240 000,00"),  # A.II.2 środki trwałe w budowie
    "D1.W30": ("45 000,00", "52 000,00"),  # B.I.1 materiały
    "D1.W38": ("600 000,00", "700 000,00"),  # B.II.3 należności od pozostałych
    "D1.W39": ("550 000,00", "640 000,00"),  # w tym od NFZ
    "D1.W41": ("300 000,00", "280 000,00"),  # B.III.1 krótkoterminowe aktywa finansowe
    "D1.W43": ("290 000,00", "275 000,00"),  # w tym środki pieniężne
    "D1.W44": ("12 000,00", "18 000,00"),  # B.IV rozliczenia międzyokresowe
    "D2.W02": ("3 769 501,25", "3 846 800,65"),  # A.I fundusz założycielski
    "D2.W03": ("200 000,00", "200 000,00"),  # A.II fundusz z aktualizacji wyceny
    "D2.W05": ("-150 000,00", "-150 000,00"),  # A.IV strata z lat ubiegłych
    "D2.W06": ("0,00", "-35 000,40"),  # A.V strata netto
    "D2.W09": ("40 000,00", "45 000,00"),  # B.I rezerwy
    "D2.W10": ("500 000,00", "480 000,00"),  # B.II zobowiązania długoterminowe
    "D2.W11": ("900 000,00", "1 010 000,00"),  # B.III zobowiązania krótkoterminowe
    "D2.W12": ("100 000,00", "120 000,00"),  # w tym wymagalne
    "D2.W13": ("30 000,00", "25 000,00"),  # B.IV rozliczenia międzyokresowe
}
Q3 = Period(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 9, 30))


def balance_sheet(**changes: str) -> dict[str, str]:
    raw = {}
    for row, (start, end) in BALANCE.items():
        raw[f"{row}.K1"] = start
        raw[f"{row}.K2"] = end
    raw.update({ref.replace("_", "."): value for ref, value in changes.items()})
    return raw


def test_mz03_is_a_cumulative_quarterly_form_for_financial_accounts() -> None:
    mz03 = form(MZ03)

    assert (mz03.period, mz03.accounts) == ("quarter", ("financial",))
    assert mz03.deadline.due(2025, 3).isoformat() == "2025-10-30"


def test_mz03_rows_show_the_balance_sheet_codes() -> None:
    rows = {row.code: row.number for row in form(MZ03).sections[0].table.rows}

    assert [rows[code] for code in ("W01", "W02", "W03", "W08", "W09", "W28")] == [
        "A",
        "A.I",
        "A.I.1",
        "A.II.1",
        "A.II.1.a",
        "B",
    ]
    assert rows["W39"] is None  # an "of which" row shows its code


def test_mz03_balance_sheet_that_balances_passes_verification() -> None:
    result = form(MZ03).check(balance_sheet(), stage="verify")

    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_mz03_sums_compute_at_every_level_with_grosze() -> None:
    values = form(MZ03).check(balance_sheet(), stage="verify").values

    assert values["D1.W02.K1"] == Decimal("12500.50")  # A.I
    assert values["D1.W08.K1"] == Decimal("4200000.75")  # A.II.1 from A.II.1.a–c
    assert values["D1.W07.K1"] == Decimal("4320000.75")  # A.II from A.II.1 and A.II.2
    assert values["D1.W01.K1"] == Decimal("4332501.25")  # A
    assert values["D1.W28.K1"] == Decimal("957000.00")  # B, without the "of which" rows
    assert values["D1.W45.K1"] == values["D2.W14.K1"] == Decimal("5289501.25")
    assert values["D1.W45.K2"] == values["D2.W14.K2"] == Decimal("5421800.25")


def test_mz03_assets_that_differ_from_liabilities_are_an_error_per_column() -> None:
    result = form(MZ03).check(balance_sheet(D1_W30_K2="52 000,01"), stage="verify")

    assert failed_ids(result) == {"BALANCE.K2"}
    balance = result_of(result, "BALANCE.K2")
    assert balance.severity == Severity.ERROR
    # Thousands are set apart by non-breaking spaces.
    assert balance.message_pl.replace("\xa0", " ") == (
        "Kolumna „Stan na koniec okresu”: aktywa razem (5 421 800,26 zł) nie są równe pasywom "
        "razem (5 421 800,25 zł). Bilans musi się bilansować – sprawdź kwoty w obu działach."
    )
    assert not result.is_sendable


def test_mz03_write_offs_from_profit_must_be_negative() -> None:
    raw = balance_sheet(D2_W07_K1="10,00", D2_W02_K1="3 769 491,25")
    result = form(MZ03).check(raw, stage="verify")

    assert failed_ids(result) == {"WRITE_OFFS.K1"}
    assert "podano 10,00 zł" in result_of(result, "WRITE_OFFS.K1").message_pl


def test_mz03_negative_liabilities_are_an_error_naming_the_row_by_its_code() -> None:
    raw = balance_sheet(D2_W09_K2="-45 000,00", D2_W02_K2="3 936 800,65")
    result = form(MZ03).check(raw, stage="verify")

    assert failed_ids(result) == {"D2.NOT_NEGATIVE.W09"}
    assert result_of(result, "D2.NOT_NEGATIVE.W09").message_pl.startswith(
        "Wiersz B.I „Rezerwy na zobowiązania”: kwota nie może być ujemna"
    )


def test_mz03_receivables_from_the_nfz_above_the_row_they_belong_to_are_an_error() -> None:
    result = form(MZ03).check(balance_sheet(D1_W39_K2="700 000,01"), stage="verify")

    assert failed_ids(result) == {"D1.W39.of_which.K2"}


def test_mz03_a_negative_own_fund_is_a_warning_to_explain() -> None:
    raw = balance_sheet(D2_W05_K2="-4 500 000,00", D2_W11_K2="5 360 000,00")
    result = form(MZ03).check(raw, stage="verify", period=Q3)

    fund = result_of(result, "NEGATIVE_FUND")
    assert fund.status == Status.FAILED
    assert fund.severity == Severity.WARNING
    assert "(-488\xa0199,75 zł)" in fund.message_pl
    assert result.errors == []


def test_mz03_amounts_take_at_most_two_decimals() -> None:
    result = form(MZ03).check(balance_sheet(D1_W03_K1="10 000,001"), stage="save")

    assert [p.code for p in result.field_problems["D1.W03.K1"]] == ["too_many_decimals"]


def test_mz03_assets_cannot_be_negative() -> None:
    result = form(MZ03).check(balance_sheet(D1_W44_K1="-1"), stage="save")

    assert [p.code for p in result.field_problems["D1.W44.K1"]] == ["below_min"]
