"""MZ-BFA UW, the quarterly information on an SP ZOZ's revenues, costs and selected assets and
liabilities: cumulative figures in złoty with grosze, sums at every level, a result that is
revenues less costs, and overruns of the plan and overdue liabilities to explain."""

from __future__ import annotations

from decimal import Decimal

from ssoz.definitions.rules import Severity, Status

from .test_shipped_forms import failed_ids, form, result_of

BFA = "mz-bfa-uw/2025.yaml"

# (plan for the year, actual from 1 January) per row that is typed.
PLAN_AND_ACTUAL = {
    "D1.W03": ("40 000 000,00", "29 500 000,00"),  # A.I.1 NFZ
    "D1.W04": ("1 200 000,00", "950 000,50"),  # A.I.2 pozostałe świadczenia
    "D1.W05": ("300 000,00", "210 000,00"),  # A.I.3 pozostała sprzedaż
    "D1.W06": ("500 000,00", "380 000,00"),  # A.II pozostałe przychody operacyjne
    "D1.W07": ("20 000,00", "15 000,00"),  # A.III przychody finansowe
    "D1.W10": ("2 000 000,00", "1 500 000,00"),  # B.I.1 amortyzacja
    "D1.W11": ("9 000 000,00", "6 800 000,00"),  # B.I.2 materiały i energia
    "D1.W12": ("6 500 000,00", "4 900 000,00"),  # w tym leki
    "D1.W13": ("5 000 000,00", "3 700 000,00"),  # B.I.3 usługi obce
    "D1.W14": ("25 000 000,00", "18 600 000,00"),  # B.I.4 wynagrodzenia
    "D1.W15": ("400 000,00", "290 000,00"),  # B.I.5 pozostałe koszty rodzajowe
    "D1.W16": ("100 000,00", "60 000,00"),  # B.II pozostałe koszty operacyjne
    "D1.W17": ("50 000,00", "40 000,00"),  # B.III koszty finansowe
    "D1.W18": ("470 000,00", "65 000,50"),  # C wynik finansowy
}
POSITIONS = {
    "D2.W02.K1": "4 100 000,00",  # należności krótkoterminowe
    "D2.W03.K1": "0,00",
    "D2.W04.K1": "50 000,00",  # w tym wymagalne
    "D2.W05.K1": "1 250 000,35",  # środki pieniężne
    "D2.W07.K1": "2 000 000,00",  # zobowiązania długoterminowe
    "D2.W08.K1": "5 300 000,00",  # zobowiązania krótkoterminowe
    "D2.W09.K1": "0,00",  # w tym wymagalne
}


def information(**changes: str) -> dict[str, str]:
    raw = {}
    for row, (plan, actual) in PLAN_AND_ACTUAL.items():
        raw[f"{row}.K1"] = plan
        raw[f"{row}.K2"] = actual
    raw.update(POSITIONS)
    raw.update({ref.replace("_", "."): value for ref, value in changes.items()})
    return raw


def test_mz_bfa_uw_is_a_cumulative_quarterly_form_for_financial_accounts() -> None:
    bfa = form(BFA)

    assert (bfa.period, bfa.accounts) == ("quarter", ("financial",))
    assert bfa.deadline.due(2025, 1).isoformat() == "2025-04-30"


def test_mz_bfa_uw_information_whose_figures_agree_passes_verification() -> None:
    result = form(BFA).check(information(), stage="verify")

    assert result.errors == []
    assert result.warnings == []
    assert result.is_sendable


def test_mz_bfa_uw_sums_compute_at_every_level_without_the_of_which_rows() -> None:
    values = form(BFA).check(information(), stage="verify").values

    assert values["D1.W02.K2"] == Decimal("30660000.50")  # A.I
    assert values["D1.W01.K2"] == Decimal("31055000.50")  # A
    assert values["D1.W09.K2"] == Decimal("30890000.00")  # B.I, medicines not counted twice
    assert values["D1.W08.K2"] == Decimal("30990000.00")  # B
    assert values["D2.W06.K1"] == Decimal("7300000.00")  # C zobowiązania ogółem


def test_mz_bfa_uw_a_result_other_than_revenues_less_costs_is_an_error() -> None:
    result = form(BFA).check(information(D1_W18_K2="65 000,00"), stage="verify")

    assert failed_ids(result) == {"D1.RESULT.K2"}
    message = result_of(result, "D1.RESULT.K2").message_pl.replace("\xa0", " ")
    assert message == (
        "Kolumna „Wykonanie narastająco od początku roku”: wynik finansowy (C: 65 000,00 zł) nie "
        "jest równy przychodom ogółem (31 055 000,50 zł) pomniejszonym o koszty ogółem "
        "(30 990 000,00 zł). Popraw wynik albo kwoty przychodów i kosztów."
    )


def test_mz_bfa_uw_a_loss_is_entered_with_a_minus_sign() -> None:
    raw = information(D1_W14_K2="18 700 000,00", D1_W18_K2="-34 999,50")
    result = form(BFA).check(raw, stage="verify")

    assert result.errors == []


def test_mz_bfa_uw_negative_costs_are_an_error() -> None:
    raw = information(D1_W16_K2="-60 000,00", D1_W18_K2="185 000,50")
    result = form(BFA).check(raw, stage="verify")

    assert failed_ids(result) == {"D1.NOT_NEGATIVE.W16"}
    assert result_of(result, "D1.NOT_NEGATIVE.W16").message_pl.startswith(
        "Wiersz B.II „Pozostałe koszty operacyjne”: kwota nie może być ujemna"
    )


def test_mz_bfa_uw_costs_above_the_plan_are_a_warning_naming_the_row() -> None:
    raw = information(D1_W13_K2="5 100 000,00", D1_W18_K2="-1 334 999,50")
    result = form(BFA).check(raw, stage="verify")

    overrun = result_of(result, "D1.PLAN.W13")
    assert overrun.status == Status.FAILED
    assert overrun.severity == Severity.WARNING
    assert overrun.message_pl.replace("\xa0", " ").startswith(
        "Wiersz B.I.3 „Usługi obce”: koszty wykonane narastająco (5 100 000,00 zł) przekraczają "
        "plan finansowy na cały rok (5 000 000,00 zł)."
    )
    # The sums above it keep within their plans; revenues are never compared with the plan.
    assert failed_ids(result) == {"D1.PLAN.W13"}
    assert result.errors == []


def test_mz_bfa_uw_overdue_liabilities_are_a_warning() -> None:
    result = form(BFA).check(information(D2_W09_K1="12 500,00"), stage="verify")

    assert failed_ids(result) == {"D2.OVERDUE"}
    assert result_of(result, "D2.OVERDUE").severity == Severity.WARNING


def test_mz_bfa_uw_overdue_liabilities_above_all_liabilities_are_an_error() -> None:
    result = form(BFA).check(information(D2_W09_K1="7 300 000,01"), stage="verify")

    assert "D2.W09.of_which.K1" in failed_ids(result)
    assert not result.is_sendable
