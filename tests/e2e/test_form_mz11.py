"""MZ-11 in a real browser: a clinic's year is filled, a repeating rule, an "of which" rule and a
warning fail at „Weryfikuj bez wysyłania”, the clerk corrects them and sends the report; an
entity without outpatient activity sends it as a zero report."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]

MZ11 = "mz-11/2025.yaml"
NO_CT_UNIT = "Wiersz W05 „Pracownie tomografii komputerowej (TK)”: wykazano 1200 badań"
REPEAT_UNDER_ONE = "kolumna K6 „z kol. 5 – dzieci do 1 roku życia” (12)"
NO_DENTIST = "W dziale 2 wykazano 40 porad lekarzy dentystów"


def test_a_clerk_fills_mz11_corrects_three_findings_and_sends_it(
    page, alice, open_shipped_form, wait_until_saved
):
    report = open_shipped_form(page, MZ11, reporter=alice)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Sprawozdanie o działalności i pracujących w ambulatoryjnej opiece zdrowotnej"
    )

    fill_cells(
        page,
        {
            "D1C.W02.K2": "30",
            "D1C.W02.K5": "10",
            "D1C.W02.K6": "12",
            "D2.W16.K2": "40",
            "D4.W05.K2": "1200",
        },
    )
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text(NO_CT_UNIT)
    expect(result).to_contain_text(REPEAT_UNDER_ONE)
    expect(result).to_contain_text(NO_DENTIST)

    fill_cells(page, {"D4.W05.K1": "1", "D1C.W02.K6": "8", "D5.W03.K5": "1"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    for message in (NO_CT_UNIT, REPEAT_UNDER_ONE, NO_DENTIST):
        expect(result).not_to_contain_text(message)
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D4.W05.K1"] == "1"


def test_an_entity_without_outpatient_activity_sends_mz11_as_a_zero_report(
    page, alice, open_shipped_form
):
    report = open_shipped_form(page, MZ11, reporter=alice)

    page.get_by_role("link", name="Wyślij jako sprawozdanie zerowe").click()
    expect(page.get_by_role("heading", name="Wysłanie sprawozdania zerowego")).to_be_visible()
    page.get_by_role("button", name="Potwierdzam: wyślij sprawozdanie zerowe").click()
    expect(page.get_by_role("status").filter(has_text="wysłano")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.is_zero
