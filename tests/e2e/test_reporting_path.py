"""Manual section 3.1 in a real browser: the 2023 cybersecurity survey (ANKIETA-CYBER), from the
tab „sprawozdania jednorazowe” to the report under „wysłane do weryfikacji”, once collectively
for the whole entity and once for chosen organisational units."""

import io
import re

import pytest
from browser import send_report as send
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from ssoz.reports.models import Report, ReportVersion, Status

pytestmark = pytest.mark.django_db(transaction=True)

# The survey's questions used by name (their labels as the page shows them).
POSITION = "Stanowisko osoby wypełniającej ankietę"
EMAIL = "Adres e-mail do kontaktu w sprawie ankiety"
OES = re.compile(r"^Czy podmiot jest operatorem usługi kluczowej")
COMPUTERS = re.compile(r"^Liczba komputerów")
DEDICATED = re.compile(r"^Czy w podmiocie są etaty \(lub części etatów\)")
DEDICATED_FTE = re.compile(r"^Liczba etatów przeznaczonych wyłącznie")
RECORDED = re.compile(r"^Liczba incydentów zarejestrowanych")
REPORTED = re.compile(r"^Liczba incydentów zgłoszonych do CSIRT")


def open_one_time_reports(page, state: str, year: int) -> None:
    """The tab „sprawozdania jednorazowe”, a state tab, and a year in the year selector."""
    menu = page.get_by_role("navigation", name="Menu główne")
    menu.get_by_role("link", name="sprawozdania jednorazowe").click()
    expect(menu.get_by_role("link", name="sprawozdania jednorazowe")).to_have_attribute(
        "aria-current", "page"
    )
    states = page.get_by_role("navigation", name="Stan sprawozdań")
    states.get_by_role("link", name=re.compile(f"^{state}")).click()
    page.get_by_label("Rok").select_option(str(year))
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(f"{state.capitalize()} – {year}")


def question(page, name):
    """A question's answer box (or its group of options) by the question's label."""
    return page.get_by_role("group", name=name)


def text_box(page, name):
    return page.get_by_role("textbox", name=name)


def assert_read_only(page) -> None:
    expect(page.locator(".report-meta .status")).to_have_text("wysłane do weryfikacji")
    expect(page.locator("#save-status")).to_have_count(0)
    for label in ("Zapisz do uzupełnienia na później", "Weryfikuj bez wysyłania", "Wyślij"):
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
    expect(text_box(page, POSITION)).not_to_be_editable()
    # The answers are text, the chosen one ticked and named as chosen, not faint controls.
    expect(question(page, OES).get_by_role("radio")).to_have_count(0)
    expect(question(page, OES).locator(".answer--chosen")).to_have_text("✔nie (wybrano)")


def test_a_clerk_fills_in_and_sends_the_survey_collectively_and_for_two_units(
    page,
    hospital,
    alice,
    publish_survey,
    log_in,
    wait_until_saved,
    answer_required_questions,
    screenshot,
):
    publish_survey(hospital, year=2023)
    publish_survey(hospital, year=2024)  # so that 2023 has to be chosen in the year selector
    first_unit, second_unit, _third = hospital.units.order_by("unit_code")

    # „sprawozdania jednorazowe” → „do uzupełnienia” → 2023; the form's window → „aktywuj”.
    log_in(page, "alice")
    open_one_time_reports(page, "do uzupełnienia", 2023)
    row = page.get_by_role("row").filter(has_text="ANKIETA-CYBER")
    expect(row).to_contain_text("2023")
    expect(row).to_contain_text("nieaktywowany")
    screenshot(page, "08-sprawozdania")
    row.get_by_role("link", name="ANKIETA-CYBER", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Ankieta weryfikacji dojrzałości pod kątem cyberbezpieczeństwa"
    )
    page.get_by_role("button", name="aktywuj").click()

    # Collectively for the whole activity of the entity; back to the list, „wypełnij”.
    screenshot(page, "09-za-kogo")
    page.get_by_role("button", name="Uzupełnij zbiorczo za całą działalność podmiotu").click()
    expect(page.get_by_role("status")).to_contain_text("Utworzono sprawozdania do uzupełnienia: 1")
    row = page.get_by_role("row").filter(has_text="zbiorczo za cały podmiot")
    row.get_by_role("link", name=re.compile("^wypełnij")).click()
    report = Report.objects.get(unit__isnull=True)
    page.wait_for_url(f"**/sprawozdania/{report.pk}/")
    expect(page.locator(".report-meta")).to_contain_text("Zbiorczo za całą działalność podmiotu")

    # „zwiń/rozwiń” hides and shows a section.
    toggle = page.get_by_role("button", name="zwiń/rozwiń – Część 0. Informacje ogólne")
    body = page.locator("#section-A0-body")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(body).to_be_hidden()
    expect(text_box(page, POSITION)).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(body).to_be_visible()

    # A few answers, „Zapisz do uzupełnienia na później” at once, and a reload keeps them.
    text_box(page, POSITION).fill("Kierownik Działu Informatyki")
    text_box(page, EMAIL).fill("it@szpital.example.pl")
    question(page, OES).get_by_label("nie", exact=True).check()
    with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and response.url.endswith(f"/sprawozdania/{report.pk}/")
        )
    ) as saved:
        page.get_by_role("button", name="Zapisz do uzupełnienia na później").click()
    assert saved.value.ok
    expect(page.locator("#save-status")).to_contain_text("Wszystkie zmiany zapisane")
    page.reload()
    expect(text_box(page, POSITION)).to_have_value("Kierownik Działu Informatyki")
    expect(text_box(page, EMAIL)).to_have_value("it@szpital.example.pl")
    expect(question(page, OES).get_by_label("nie", exact=True)).to_be_checked()

    # Something invalid: the background save stores it as typed and says what is wrong.
    computers = text_box(page, COMPUTERS)
    computers.fill("dużo")
    wait_until_saved(page)
    expect(page.locator("#f-A0_Q5-live")).to_be_visible()
    expect(page.locator("#f-A0_Q5-live")).not_to_be_empty()
    expect(computers).to_have_attribute("aria-invalid", "true")
    # A contradiction (an error rule) and two numbers that do not fit together (a warning).
    question(page, DEDICATED).get_by_label("tak", exact=True).check()
    wait_until_saved(page)  # the number of such positions becomes relevant
    text_box(page, DEDICATED_FTE).fill("0")
    text_box(page, RECORDED).fill("2")
    text_box(page, REPORTED).fill("5")
    wait_until_saved(page)
    report.refresh_from_db()
    assert report.values["A0_Q5"] == "dużo" and report.values["A8_Q5"] == "5"

    # „Weryfikuj bez wysyłania”: errors and warnings at their fields and in the summary.
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    verification = page.locator("#verification")
    expect(verification).to_be_focused()
    expect(verification).to_contain_text(re.compile(r"Błędy: \d+, ostrzeżenia: 1\."))
    expect(page.locator("#f-A0_Q5-msg")).to_be_visible()
    expect(page.locator("#f-A1_Q3-msg")).to_contain_text("Zaznaczono, że są etaty")
    expect(page.locator("#f-A8_Q5-msg .field__message--warning")).to_contain_text(
        "Liczba incydentów zgłoszonych do CSIRT (5)"
    )
    expect(page.locator("#section-A8 .tag--warning")).to_have_text("ostrzeżenia: 2")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "10-weryfikacja", full_page=False)
    warnings = page.get_by_role("heading", name="Ostrzeżenia do wyjaśnienia")
    expect(warnings).to_be_visible()
    summary = verification.locator(".verification__item--error")
    # The summary's links move the focus to the field concerned.
    summary.get_by_role("link", name=re.compile("^Liczba komputerów")).click()
    expect(computers).to_be_focused()
    summary.get_by_role("link", name=re.compile("^Zaznaczono, że są etaty")).click()
    expect(text_box(page, DEDICATED_FTE)).to_be_focused()
    summary.get_by_role("link", name=re.compile("^Jaki jest status podmiotu")).click()
    expect(page.locator("#f-A0_Q4")).to_be_focused()

    # Fix the errors: the two values, then every required question still without an answer.
    computers.fill("120")
    text_box(page, DEDICATED_FTE).fill("1,5")
    wait_until_saved(page)
    expect(page.locator("#f-A0_Q5-live")).to_have_count(0)
    answered = answer_required_questions(page)
    assert answered > 40
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    expect(verification).to_contain_text("Błędy: 0, ostrzeżenia: 1.")
    expect(verification.locator(".verification__item--error")).to_have_count(0)

    # „Wyślij” with the warning unexplained is refused and leads back to the verification.
    page.get_by_role("button", name="Wyślij", exact=True).click()
    page.wait_for_url("**/wyslij/")
    expect(page.get_by_role("alert")).to_contain_text("brakuje wyjaśnień: 1")
    page.get_by_role("link", name="Przejdź do wyników weryfikacji").click()
    explanation = page.get_by_role("textbox", name="Wyjaśnienie")
    expect(explanation).to_have_accessible_description(re.compile("Liczba incydentów zgłoszonych"))
    explanation.fill("Trzy zgłoszenia dotyczyły incydentów u dostawcy usług, nie w podmiocie.")
    wait_until_saved(page)

    # „Wyślij” → confirmation → „Wyślij”: the report is read-only.
    page.get_by_role("button", name="Wyślij", exact=True).click()
    page.wait_for_url("**/wyslij/")
    expect(page.get_by_role("main")).to_contain_text("Sprawozdanie ma wyjaśnione ostrzeżenia: 1")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    message = page.get_by_role("status").filter(has_text="Sprawozdanie wysłano do weryfikacji")
    version = ReportVersion.objects.get(report=report)
    expect(message).to_contain_text(f"wersja 1, suma kontrolna {version.checksum[:16]}")
    assert_read_only(page)
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.explanations == {
        "A8-REPORTED": "Trzy zgłoszenia dotyczyły incydentów u dostawcy usług, nie w podmiocie."
    }

    # The confirmation PDF: the checksum and the time it was sent.
    sent_at = timezone.localtime(version.sent_at)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"nr 1 z {sent_at:%d.%m.%Y %H:%M} (PDF)").click()
    assert download.value.suggested_filename == f"ANKIETA-CYBER-2023-{report.pk}-v1.pdf"
    with open(download.value.path(), "rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Potwierdzenie wysłania sprawozdania" in text
    assert f"Wysłano: {sent_at:%d.%m.%Y %H:%M:%S}" in text
    assert version.checksum in re.sub(r"\s+", "", text)
    assert "Trzy zgłoszenia dotyczyły incydentów u dostawcy usług" in text

    # The report is among those „wysłane do weryfikacji”.
    open_one_time_reports(page, "wysłane do weryfikacji", 2023)
    row = page.get_by_role("row").filter(has_text="zbiorczo za cały podmiot")
    expect(row).to_contain_text("wysłane do weryfikacji")
    expect(row.get_by_role("link", name=re.compile("^podgląd"))).to_be_visible()
    screenshot(page, "11-wyslane")

    # Now individually for two organisational units: through the form's window again.
    row.get_by_role("link", name="ANKIETA-CYBER", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Formularz jest aktywowany.")
    page.get_by_role("link", name="Wybierz, za kogo wypełnić sprawozdanie").click()
    expect(page.get_by_role("main")).to_contain_text("Sprawozdanie zbiorcze już istnieje.")
    page.get_by_label(first_unit.name).check()
    page.get_by_label(second_unit.name).check()
    page.get_by_role(
        "button", name="Uzupełnij indywidualnie za wybrane jednostki organizacyjne"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Utworzono sprawozdania do uzupełnienia: 2")
    fill_in = page.get_by_role("link", name=re.compile("^wypełnij"))
    rows = page.get_by_role("row").filter(has=fill_in)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(first_unit.name)
    expect(rows.nth(1)).to_contain_text(second_unit.name)

    # One of them filled in, verified and sent.
    rows.nth(0).get_by_role("link", name=re.compile("^wypełnij")).click()
    expect(page.locator(".report-meta")).to_contain_text(
        f"Jednostka organizacyjna: {first_unit.name}"
    )
    page.get_by_text("Metryczka (dane z rejestru)").click()
    expect(page.locator(".metryczka")).to_contain_text(first_unit.regon14)
    answer_required_questions(page)
    page.get_by_role("button", name="Weryfikuj bez wysyłania").click()
    expect(verification).to_contain_text("Nie znaleziono błędów ani ostrzeżeń.")
    send(page)
    assert_read_only(page)

    open_one_time_reports(page, "wysłane do weryfikacji", 2023)
    sent_rows = page.locator("tbody tr")
    expect(sent_rows).to_have_count(2)
    expect(sent_rows.filter(has_text="zbiorczo za cały podmiot")).to_have_count(1)
    expect(sent_rows.filter(has_text=first_unit.name)).to_have_count(1)
    open_one_time_reports(page, "do uzupełnienia", 2023)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text(second_unit.name)
    assert Report.objects.filter(status=Status.SENT).count() == 2


def test_closing_the_page_without_saving_loses_nothing(
    page, browser, live_server, hospital, alice, publish_survey, log_in, wait_until_saved
):
    from ssoz.reports import workflow

    publication = publish_survey(hospital)
    (report,) = workflow.create_reports(
        obligation=publication.obligations.get(), actor=alice, collective=True
    )
    log_in(page, "alice")
    page.goto(f"/sprawozdania/{report.pk}/")
    text_box(page, POSITION).fill("Inspektor bezpieczeństwa informacji")
    expect(page.locator("#save-status")).to_have_text("Niezapisane zmiany")
    wait_until_saved(page)  # the background save, without „Zapisz do uzupełnienia na później”
    page.context.close()

    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    try:
        other = context.new_page()
        log_in(other, "alice")
        other.goto(f"/sprawozdania/{report.pk}/")
        expect(text_box(other, POSITION)).to_have_value("Inspektor bezpieczeństwa informacji")
    finally:
        context.close()
