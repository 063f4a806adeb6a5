"""MZ-88 in a real browser: the staff report is filled, a rule of the form fails at „Weryfikuj
bez wysyłania”, the clerk corrects it, and the report is sent."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def test_a_clerk_fills_mz88_corrects_the_fte_without_persons_and_sends_it(
    page, alice, open_shipped_form, wait_until_saved, screenshot
):
    report = open_shipped_form(page, "mz-88/2025.yaml", reporter=alice)

    fill_cells(page, {"D1.W05.K2": "12", "D2.W05.K1": "11.50", "D2.W01.K1": "3"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text("Wiersz W01 „Lekarze”: w dziale 2 wykazano etaty (3)")
    screenshot(page, "mz88-fte-without-persons")

    fill_cells(page, {"D1.W01.K2": "3", "D1.W01.K4": "3", "D1.W05.K4": "12"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("w dziale 2 wykazano etaty")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D1.W01.K2"] == "3"
    assert report.values["D1.W01.K4"] == "3"
