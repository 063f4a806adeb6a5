"""MZ-29A in a real browser: the entity first sends its MZ-11 with long-term home nursing
visits, then fills MZ-29A; the patient flow, the staff columns, occupancy and the check against
MZ-11's sent home nursing fail at „Weryfikuj bez wysyłania”, the clerk corrects the figures and
sends the report."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]

FLOW = "Wiersz W02 „kod 5160 – zakład opiekuńczo-leczniczy”: leczonych jest 25"
EMPLOYMENT = "Wiersz W03 „Pielęgniarki”: zatrudnieni na podstawie stosunku pracy (4)"
OCCUPANCY = "Wiersz W09 „kod 5180 – hospicjum stacjonarne”: 800 osobodni przy 2 łóżkach"
COUNTED_TWICE = "W sprawozdaniu MZ-11 wykazano 3000 wizyt pielęgniarek długoterminowej opieki"


def test_a_clerk_sends_mz11_then_fills_mz29a_corrects_it_and_sends_it(
    page, alice, open_shipped_form, wait_until_saved
):
    mz11 = open_shipped_form(page, "mz-11/2025.yaml", reporter=alice)
    fill_cells(page, {"D3.W04.K3": "3000", "D5.W04.K2": "3"})
    wait_until_saved(page)
    send_report(page)
    mz11.refresh_from_db()
    assert mz11.status == Status.SENT
    page.get_by_role("button", name="Wyloguj się").click()

    report = open_shipped_form(page, "mz-29a/2025.yaml", reporter=alice)
    page.locator("[name='CZ1_AKREDYTACJA'][value='nie']").check()
    page.locator("[name='CZ1_JAKOSC'][value='tak']").check()
    fill_cells(
        page,
        {
            "D1.W03.K1": "5",
            "D1.W03.K2": "4",
            "D1.W03.K3": "4",
            "D1.W03.K4": "2",
            "D2.W02.K1": "10",
            "D2.W02.K3": "5",
            "D2.W02.K4": "20",
            "D2.W02.K5": "15",
            "D2.W02.K6": "3",
            "D2.W02.K7": "5",
            "D2.W02.K8": "1900",
            "D2.W09.K1": "2",
            "D2.W09.K3": "1",
            "D2.W09.K4": "3",
            "D2.W09.K5": "1",
            "D2.W09.K6": "2",
            "D2.W09.K7": "1",
            "D2.W09.K8": "800",
        },
    )
    wait_until_saved(page)
    result = verify_without_sending(page)
    for message in (FLOW, EMPLOYMENT, OCCUPANCY, COUNTED_TWICE):
        expect(result).to_contain_text(message)
    expect(result).to_contain_text("wykorzystanie łóżek 109,6%")

    fill_cells(page, {"D1.W03.K4": "1", "D2.W02.K7": "7", "D2.W02.K8": "3100", "D2.W09.K8": "700"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    for message in (FLOW, EMPLOYMENT, OCCUPANCY, COUNTED_TWICE):
        expect(result).not_to_contain_text(message)
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D2.W02.K8"] == "3100"
    assert report.values["CZ1_JAKOSC"] == "tak"
