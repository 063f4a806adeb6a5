"""MZ-15 in a real browser: a mental health clinic's clerk reports advice in a kind of clinic
she did not count and more patients than advice and visits, sees the repeated error and the
warning at „Weryfikuj bez wysyłania”, corrects both and sends the report."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]


def test_a_clerk_fills_mz15_corrects_the_missing_clinic_and_the_advice_and_sends_it(
    page, alice, open_shipped_form, wait_until_saved
):
    report = open_shipped_form(page, "mz-15/2025.yaml", reporter=alice)

    page.locator("[name='D1_FINANSOWANIE'][value='nfz']").check()
    fill_cells(
        page,
        {
            "D1.W02.K3": "120",
            "D1.W02.K4": "30",
            "D2.W11.K1": "200",
            "D2.W11.K2": "130",
            "D2.W11.K4": "60",
            "D2.W11.K5": "40",
        },
    )
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text(
        "Wiersz W02 „Poradnie zdrowia psychicznego dla dorosłych”: wykazano porady lub wizyty "
        "(150), ale nie wykazano żadnej poradni tego rodzaju"
    )
    expect(result).to_contain_text("Leczonych ogółem (dział 2: 200) jest więcej niż porad")

    fill_cells(page, {"D1.W02.K1": "1", "D1.W02.K6": "80"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("nie wykazano żadnej poradni")
    expect(result).not_to_contain_text("Leczonych ogółem")
    send_report(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["D1.W02.K1"] == "1"


def test_a_unit_without_psychiatric_clinics_in_the_year_sends_mz15_as_a_zero_report(
    page, alice, open_shipped_form
):
    report = open_shipped_form(page, "mz-15/2025.yaml", reporter=alice)

    page.get_by_role("link", name="Wyślij jako sprawozdanie zerowe").click()
    page.wait_for_url("**/wyslij-zerowe/")
    page.get_by_role("button", name="Potwierdzam: wyślij sprawozdanie zerowe").click()
    expect(
        page.get_by_role("note").filter(has_text="Sprawozdanie zerowe: podmiot zgłosił")
    ).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.SENT and report.is_zero
