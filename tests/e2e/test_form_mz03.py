"""MZ-03 in a real browser, for the third quarter of 2025: Fiona, authorised for financial
reports, sees the balance sheet's row numbers, types amounts with grosze, meets an amount with
too many decimals, an unbalanced balance sheet (an error) and a negative own fund (a warning)
at „Weryfikuj bez wysyłania”, corrects them and sends the report."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def test_fiona_balances_mz03_for_the_third_quarter_and_sends_it(
    page, fiona, open_shipped_form, wait_until_saved, screenshot
):
    report = open_shipped_form(page, "mz-03/2025.yaml", reporter=fiona, quarter=3)

    expect(page.get_by_text("2025 Q1–Q3").first).to_be_visible()
    land = page.locator("tr", has=page.locator("[name='D1.W09.K1']"))
    expect(land.locator(".grid__number")).to_have_text("A.II.1.a")
    expect(land.locator(".grid__rowref")).to_have_text("W09")

    fill_cells(page, {"D1.W03.K1": "1 000,555"})
    expect(
        page.get_by_text("Wpisz kwotę w złotych i najwyżej 2 cyfry po przecinku")
    ).to_be_visible()

    fill_cells(
        page,
        {
            "D1.W03.K1": "1 000,50",
            "D1.W03.K2": "1 000,50",
            "D2.W02.K1": "500,50",
            "D2.W02.K2": "500,50",
            "D2.W05.K2": "-600,00",
        },
    )
    wait_until_saved(page)
    # A.I, A and „Aktywa razem” add up, grosze and all.
    expect(page.locator("#f-D1-W45-K1")).to_have_value("1000,50")
    screenshot(page, "form-mz03-balance-sheet")
    result = verify_without_sending(page)
    expect(result).to_contain_text("nie są równe pasywom razem (500,50 zł)")
    expect(result).to_contain_text("Fundusz własny na koniec okresu jest ujemny (-99,50 zł)")

    fill_cells(page, {"D2.W02.K1": "1 000,50", "D2.W02.K2": "1 000,50", "D2.W05.K2": "0"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("nie są równe pasywom razem")
    expect(result).not_to_contain_text("Fundusz własny na koniec okresu jest ujemny")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D1.W03.K2"] == "1000.50"
    assert report.publication.quarter == 3 and report.publication.cumulative
