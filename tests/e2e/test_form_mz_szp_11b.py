"""MZ/Szp-11B in a real browser: Piotr, whose account may fill only the psychiatric card,
declares October's discharges, adds a card with a wrong PESEL, is told so beside the field,
corrects it, and sends the month; a regional administrator then sees the card with its PESEL
masked."""

import pytest
from browser import assert_accessible, fill_cells, send_report, verify_without_sending
from django.urls import reverse
from playwright.sync_api import expect

from ssoz.reports.models import ReportVersion

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_only]

CARD = {
    "BIRTH_DATE": "1944-05-14",
    "ADMISSION_DATE": "2026-09-20",
    "DISCHARGE_DATE": "2026-10-05",
}
CHOSEN = {
    "SEX": "M",
    "RESIDENCE": "14",
    "WARD": "GENERAL",
    "ADMISSION_MODE": "1",
    "FIRST_TIME": "nie",
    "DIAGNOSIS": "F20-F29",
    "DISCHARGE_MODE": "1",
}


def test_a_card_clerk_adds_a_card_corrects_its_pesel_and_sends_the_month(
    page, piotr, wanda, open_shipped_form, wait_until_saved, log_in, nu_html
):
    report = open_shipped_form(page, "mz-szp-11b/2026.yaml", reporter=piotr, year=2026, month=10)
    fill_cells(page, {"D0_DISCHARGED": "1"})
    wait_until_saved(page)
    result = verify_without_sending(page)
    expect(result).to_contain_text("liczba kart w sprawozdaniu wynosi 0")

    page.get_by_role("link", name="Dodaj kartę").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nowa karta")
    # A wrong check digit, and a discharge in November on October's report.
    fill_cells(page, {**CARD, "PESEL": "44051401358", "DISCHARGE_DATE": "2026-11-05"})
    for ref, code in CHOSEN.items():
        page.locator(f"input[name='{ref}'][value='{code}']").check()
    page.get_by_role("button", name="Zapisz kartę").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Karta nr 1")
    pesel = page.get_by_role("textbox", name="Numer PESEL")
    expect(pesel).to_have_value("44051401358")  # kept as typed
    expect(pesel).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#verification")).to_contain_text("Wpisz poprawny numer PESEL")
    expect(page.locator("#verification")).to_contain_text(
        "Data wypisu 05.11.2026 nie należy do miesiąca sprawozdawczego (01.10.2026 – 31.10.2026)."
    )
    assert_accessible(page, "a card with an error")
    nu_html.collect(page, "a card with an error")

    pesel.fill("44051401359")
    fill_cells(page, {"DISCHARGE_DATE": CARD["DISCHARGE_DATE"]})
    page.get_by_role("button", name="Zapisz kartę").click()
    expect(page.locator("#verification")).to_contain_text("Karta nie ma błędów ani ostrzeżeń.")

    page.get_by_role("link", name="← Karty wypisanych pacjentów").click()
    expect(page.locator("#records-summary")).to_contain_text(
        "Kart: 1, z błędami: 0, z niewyjaśnionymi ostrzeżeniami: 0."
    )
    expect(page.get_by_role("row").filter(has_text="44051401359")).to_contain_text("schizofrenia")
    assert_accessible(page, "the list of cards")
    nu_html.collect(page, "the list of cards")
    page.get_by_role("link", name="← Sprawozdanie").click()
    result = verify_without_sending(page)
    expect(result).to_contain_text("Nie znaleziono błędów ani ostrzeżeń.")
    send_report(page)
    version = ReportVersion.objects.get(report=report)
    assert [card["values"]["PESEL"] for card in version.records] == ["44051401359"]

    # The regional administrator sees the card, its PESEL masked.
    page.context.clear_cookies()
    log_in(page, "wanda")
    page.goto(reverse("review:report", args=[report.pk]))
    expect(page.locator("#records")).to_contain_text("Kart: 1, z błędami: 0")
    page.get_by_role("link", name="Lista kart").click()
    row = page.get_by_role("row").filter(has_text="•••••••1359")
    expect(row).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("44051401359")
    row.get_by_role("link", name="pokaż").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Karta nr 1")
    expect(page.get_by_role("main")).not_to_contain_text("44051401359")
    assert_accessible(page, "a sent card, masked")
    nu_html.collect(page, "a sent card, masked")
    nu_html.assert_valid()


def test_a_card_clerk_uploads_a_month_of_500_cards_from_a_file_and_sends_it(
    page, piotr, open_shipped_form, wait_until_saved, nu_html
):
    from ssoz.reports.synthetic_cards import cards_csv

    report = open_shipped_form(page, "mz-szp-11b/2026.yaml", reporter=piotr, year=2026, month=10)
    fill_cells(page, {"D0_DISCHARGED": "500"})
    wait_until_saved(page)
    page.get_by_role("link", name="Lista kart").click()
    page.get_by_role("link", name="Wczytaj karty z pliku").click()
    page.get_by_label("Plik z kartami (CSV lub XLSX)").set_input_files(
        {"name": "pazdziernik.csv", "mimeType": "text/csv", "buffer": cards_csv(500)}
    )
    page.get_by_role("button", name="Pokaż podgląd kart").click()
    expect(page.locator("#records-preview-summary")).to_contain_text(
        "Kart w pliku: 500, z błędami: 0, z ostrzeżeniami: 0."
    )
    assert_accessible(page, "the preview of a file of cards")
    nu_html.collect(page, "the preview of a file of cards")
    page.get_by_role("button", name="Zastosuj").click()
    expect(page.locator("#records-summary")).to_contain_text(
        "Kart: 500, z błędami: 0, z niewyjaśnionymi ostrzeżeniami: 0."
    )
    expect(page.get_by_role("navigation", name="Strony listy kart")).to_contain_text("strona 1 z 5")
    page.get_by_role("link", name="← Sprawozdanie").click()
    result = verify_without_sending(page)
    expect(result).to_contain_text("Nie znaleziono błędów ani ostrzeżeń.")
    send_report(page)
    assert len(ReportVersion.objects.get(report=report).records) == 500
    nu_html.assert_valid()
