"""„Wczytaj wartości z pliku” in a real browser: Alice uploads a CSV of her survey's answers on
the report page, reads the preview of what would change and the verification after it,
applies it, and finds the values in the report's fields."""

import cast
import pytest
from e2e.test_accessibility import assert_accessible
from playwright.sync_api import expect

from ssoz.reports import workflow
from ssoz.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

FILE = "kod;wartość\nA0_Q1;Kierownik informatyki\nA0_Q2;it@szpital.example\nA0_Q5;120\nZ9;1\n"


def test_a_clerk_uploads_a_csv_previews_it_and_applies_it(page, publish_survey, log_in):
    hospital = cast.make_entity(units=1)
    alice = cast.make_user("alice", entity=hospital)
    publication = publish_survey(hospital)
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(), actor=alice, collective=True
    )

    log_in(page, "alice")
    page.goto(f"/sprawozdania/{report.pk}/")
    page.get_by_role("link", name="Wczytaj wartości z pliku").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wczytaj wartości z pliku")
    # Without a file: the error is told at the field, and linked to it.
    page.get_by_role("button", name="Pokaż podgląd zmian").click()
    expect(page.get_by_role("alert").filter(has_text="Popraw zaznaczone pola")).to_be_visible()
    field = page.get_by_label("Plik z wartościami (CSV lub XLSX)")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the upload refused")
    page.get_by_label("Plik z wartościami (CSV lub XLSX)").set_input_files(
        {"name": "wartosci.csv", "mimeType": "text/csv", "buffer": FILE.encode()}
    )
    page.get_by_role("button", name="Pokaż podgląd zmian").click()

    changes = page.get_by_role("table", name="Pola, które się zmienią")
    expect(changes).to_be_visible()
    row = changes.get_by_role("row", name="Stanowisko osoby wypełniającej ankietę")
    expect(row).to_contain_text("Kierownik informatyki")
    expect(changes.get_by_role("row")).to_have_count(4)  # the header and three fields
    rejected = page.get_by_role("table", name="Wiersze pliku, które nie zostaną zapisane")
    expect(rejected.get_by_role("row", name="5")).to_contain_text("Formularz nie ma pola")
    check = page.get_by_role("region", name="Wynik weryfikacji po zmianie")
    expect(check).to_contain_text("Błędy:")
    assert_accessible(page, "the upload's preview")
    assert Report.objects.get(pk=report.pk).values == {}

    page.get_by_role("button", name="Zastosuj zmiany").click()
    expect(page.get_by_role("status").filter(has_text="Zapisano wartości z pliku")).to_be_visible()
    expect(page.locator("#f-A0_Q1")).to_have_value("Kierownik informatyki")
    expect(page.locator("#f-A0_Q2")).to_have_value("it@szpital.example")
    expect(page.locator("#f-A0_Q5")).to_have_value("120")
    assert Report.objects.get(pk=report.pk).values == {
        "A0_Q1": "Kierownik informatyki",
        "A0_Q2": "it@szpital.example",
        "A0_Q5": "120",
    }
