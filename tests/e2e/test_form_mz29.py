"""MZ-29 in a real browser, after MZ-30: the entity's clerk first sends MZ-30 with its
psychiatric wards, then fills MZ-29 with the same psychiatric ward in row 19 and a ward whose
patients do not add up. „Weryfikuj bez wysyłania” shows the repeated flow error and the
warning against counting the psychiatric beds twice; she corrects both and sends MZ-29."""

import pytest
from browser import fill_cells, send_report, verify_without_sending
from playwright.sync_api import expect

from ssoz.reports.models import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]

MZ30_WARD = {
    "D2.W02.K1": "10",
    "D2.W02.K2": "10",
    "D2.W02.K4": "200",
    "D2.W02.K5": "3000",
    "D2.W02.K6": "200",
    "D2.W02.K7": "190",
    "D2.W02.K10": "10",
}
MZ29_WARDS = {
    "D2.W02.K1": "40",
    "D2.W02.K2": "40",
    "D2.W02.K3": "1500",
    "D2.W02.K5": "1290",
    "D2.W02.K7": "50",
    "D2.W02.K8": "30",
    "D2.W02.K9": "12000",
    "D2.W19.K1": "10",
    "D2.W19.K2": "10",
    "D2.W19.K3": "200",
    "D2.W19.K5": "190",
    "D2.W19.K8": "10",
    "D2.W19.K9": "3000",
}


def test_a_clerk_sends_mz30_then_mz29_without_counting_the_psychiatric_ward_twice(
    page, alice, open_shipped_form, wait_until_saved
):
    psychiatric = open_shipped_form(page, "mz-30/2025.yaml", reporter=alice)
    page.locator("[name='D1_RODZAJ'][value='1']").check()
    page.locator("[name='D1_FINANSOWANIE'][value='nfz']").check()
    page.locator("[name='D1_CERTYFIKAT'][value='brak']").check()
    fill_cells(page, MZ30_WARD)
    wait_until_saved(page)
    send_report(page)
    psychiatric.refresh_from_db()
    assert psychiatric.status == Status.SENT

    # The fixture logs the reporter in again for the second form.
    page.context.clear_cookies()
    hospital = open_shipped_form(page, "mz-29/2025.yaml", reporter=alice)
    page.locator("[name='D1_RODZAJ'][value='3']").check()
    page.locator("[name='D1_AKREDYTACJA'][value='nie']").check()
    page.locator("[name='D1_ISO'][value='nie']").check()
    page.locator("[name='D1_FINANSOWANIE'][value='nfz']").check()
    fill_cells(page, MZ29_WARDS)
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text(
        "Wiersz W02 „Choroby wewnętrzne”: leczeni (kol. 3: 1500) muszą być sumą"
    )
    expect(result).to_contain_text(
        "W wierszu 19 wykazano łóżka oddziałów psychiatrycznych i leczenia uzależnień "
        "(kol. 1: 10), a w sprawozdaniu MZ-30 za ten sam rok podmiot wykazał łóżka "
        "psychiatryczne (razem: 10)."
    )
    expect(result).not_to_contain_text("nie zostało jeszcze wysłane")

    fill_cells(page, {ref: "" for ref in MZ29_WARDS if ref.startswith("D2.W19.")})
    fill_cells(page, {"D2.W02.K5": "1420"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).not_to_contain_text("muszą być sumą")
    expect(result).not_to_contain_text("W wierszu 19 wykazano")
    # 12 000 patient-days of 1 500 patients, computed from the total row.
    expect(page.get_by_label("Przeciętny pobyt chorego (dni)")).to_have_value("8,0")
    send_report(page)
    hospital.refresh_from_db()
    assert hospital.status == Status.SENT
    assert "D2.W19.K1" not in hospital.values
