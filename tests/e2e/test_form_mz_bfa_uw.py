"""MZ-BFA-UW in a real browser, for the second quarter of 2025: Fiona types cumulative revenues
and costs with grosze, meets a financial result that is not revenues less costs (an error) and
costs above the year's plan (a warning) at „Weryfikuj bez wysyłania”, corrects them and sends
the information."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def test_fiona_fills_mz_bfa_uw_corrects_the_result_and_the_overrun_and_sends_it(
    page, fiona, open_shipped_form, wait_until_saved
):
    report = open_shipped_form(page, "mz-bfa-uw/2025.yaml", reporter=fiona, quarter=2)

    expect(page.get_by_text("2025 Q1–Q2").first).to_be_visible()
    wages = page.locator("tr", has=page.locator("[name='D1.W14.K1']"))
    expect(wages.locator(".grid__number")).to_have_text("B.I.4")

    fill_cells(
        page,
        {
            "D1.W03.K1": "1 000 000,00",
            "D1.W03.K2": "700 000,25",
            "D1.W14.K1": "800 000,00",
            "D1.W14.K2": "850 000,00",
            "D1.W18.K1": "200 000,00",
            "D1.W18.K2": "-100 000,00",
        },
    )
    wait_until_saved(page)
    expect(page.locator("#f-D1-W01-K2")).to_have_value("700\u00a0000,25")
    result = verify_without_sending(page)
    expect(result).to_contain_text("wynik finansowy (C: -100\u00a0000,00 zł) nie jest równy")
    expect(result).to_contain_text("Wiersz B.I.4 „Wynagrodzenia wraz z ubezpieczeniami")
    expect(result).to_contain_text("przekraczają plan finansowy na cały rok (800\u00a0000,00 zł)")

    fill_cells(page, {"D1.W14.K2": "780 000,00", "D1.W18.K2": "-79 999,75"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("nie jest równy")
    expect(result).not_to_contain_text("przekraczają plan finansowy")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D1.W18.K2"] == "-79999.75"
