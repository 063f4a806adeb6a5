"""MZ-30 in a real browser: a psychiatric hospital's clerk answers the general questions, fills
a ward whose patients do not add up and whose patient-days exceed its beds, sees the repeated
flow error and the occupancy warning at „Weryfikuj bez wysyłania”, corrects both and sends."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]

GENERAL_WARD = {
    "D2.W02.K1": "60",
    "D2.W02.K2": "58,5",
    "D2.W02.K4": "500",
    "D2.W02.K5": "23000",
    "D2.W02.K6": "540",
    "D2.W02.K7": "470",
    "D2.W02.K8": "30",
    "D2.W02.K9": "2",
    "D2.W02.K10": "28",
}


def test_a_clerk_fills_mz30_corrects_the_ward_flow_and_occupancy_and_sends_it(
    page, alice, open_shipped_form, wait_until_saved
):
    report = open_shipped_form(page, "mz-30/2025.yaml", reporter=alice)

    page.locator("[name='D1_RODZAJ'][value='1']").check()
    page.locator("[name='D1_FINANSOWANIE'][value='nfz']").check()
    page.locator("[name='D1_CERTYFIKAT'][value='akredytacja']").check()
    fill_cells(page, GENERAL_WARD)
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text(
        "Wiersz W02 „Oddziały psychiatryczne ogólne”: leczeni z ruchem międzyoddziałowym "
        "(kol. 6: 540) muszą być sumą"
    )
    expect(result).to_contain_text("wykorzystanie łóżek wynosi 107,7%")

    fill_cells(page, {"D2.W02.K7": "480", "D2.W02.K5": "20000"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("muszą być sumą")
    expect(result).not_to_contain_text("wykorzystanie łóżek wynosi")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D2.W02.K7"] == "480"
