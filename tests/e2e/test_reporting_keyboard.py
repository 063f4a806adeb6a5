"""Manual section 3.1 with the keyboard alone (the manual recommends the Tab key): after
log-in nothing is clicked, filled or checked by the test – only Tab, Enter, Space, the arrow
keys and typing. Every Tab stop must be a visibly focused control."""

import re

import pytest
from playwright.sync_api import expect

from ssoz.reports.models import Report, ReportVersion, Status

pytestmark = pytest.mark.django_db(transaction=True)

_ACTIVE = """
() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.getAttribute('name') || '',
    type: element.getAttribute('type') || '',
    text: (element.innerText || element.textContent || '').trim().replace(/\\s+/g, ' '),
    value: 'value' in element ? String(element.value) : '',
    label: element.labels && element.labels.length ? element.labels[0].innerText.trim() : '',
    focused: element.matches(':focus'),
    focusVisible: element.matches(':focus-visible'),
    outline: style.outlineStyle + ' ' + style.outlineWidth,
  };
}
"""


def active(page) -> dict:
    return page.evaluate(_ACTIVE)


def tab_to(page, wanted, *, limit: int = 400) -> dict:
    """Presses Tab until the focused element satisfies `wanted`; every stop on the way must be
    a real control showing a visible focus indicator."""
    element = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = active(page)
        assert element["tag"] not in ("body", "html"), "the focus left the page's controls"
        if element["type"] == "date" and not element["focused"]:
            # Chromium's own calendar button inside a date field: it draws its own focus ring,
            # and the field itself does not match :focus meanwhile.
            continue
        assert element["focusVisible"], f"focus not visible on {element}"
        assert element["outline"].startswith("solid"), f"no focus outline on {element}"
        if wanted(element):
            return element
    raise AssertionError(f"not reachable in {limit} Tab presses; last focus: {element}")


def link(text: str):
    return lambda element: element["tag"] == "a" and element["text"].startswith(text)


def button(text: str):
    return lambda element: element["tag"] == "button" and element["text"].startswith(text)


def control(dom_id: str):
    return lambda element: element["id"] == dom_id or element["id"].startswith(dom_id + "-")


def press_enter_and_wait(page, url_pattern) -> None:
    with page.expect_navigation(url=url_pattern):
        page.keyboard.press("Enter")


def press_enter_and_wait_for_new_form(page) -> None:
    """Presses Enter on a button of the report form and waits until the server's answer has
    replaced the form: what the user sees next is the new form, never the old one."""
    old_form = page.locator("#report-form").element_handle()
    page.keyboard.press("Enter")
    old_form.wait_for_element_state("hidden")
    expect(page.locator("#report-form")).to_be_attached()


def press_enter_and_wait_for_verification(page) -> None:
    """Presses Enter on „Weryfikuj bez wysyłania” and waits until the new verification's result
    is on the page (the form stays; only the result and the fields' messages change)."""
    old = page.locator("#verification")
    old_result = old.element_handle() if old.count() else None
    page.keyboard.press("Enter")
    if old_result is not None:
        old_result.wait_for_element_state("hidden")
    expect(page.locator("#verification")).to_be_attached()


def skip_to_content(page) -> None:
    """The skip link „Przejdź do treści” is the first Tab stop of a page and focuses the content."""
    first = tab_to(page, lambda element: True, limit=1)
    assert first["tag"] == "a" and first["text"] == "Przejdź do treści", first
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main"


def choose_one_time_reports(page, state: str, year: int) -> None:
    """From the top of a page: the menu's tab „sprawozdania jednorazowe”; then the skip link
    past the header, the state tabs and the year selector."""
    tab_to(page, link("sprawozdania jednorazowe"))
    press_enter_and_wait(page, re.compile(r".*rodzaj=jednorazowe.*"))
    skip_to_content(page)
    tab_to(page, link(state))
    press_enter_and_wait(page, re.compile(r".*stan=.*"))
    select = tab_to(page, lambda element: element["id"] == "year")
    for _ in range(5):
        if select["value"] == str(year):
            break
        page.keyboard.press("ArrowDown")
        select = active(page)
    assert select["value"] == str(year)
    tab_to(page, button("Pokaż"))
    press_enter_and_wait(page, re.compile(rf".*rok={year}.*"))
    expect(page.get_by_role("heading", level=2)).to_contain_text(f" – {year}")


def test_the_whole_path_with_the_keyboard_alone(
    page, hospital, alice, publish_survey, log_in, prefill_report, wait_until_saved
):
    publish_survey(hospital, year=2023)
    publish_survey(hospital, year=2024)
    log_in(page, "alice")  # log-in may fill; from here on, only keys

    # The first Tab stop is the skip link; then the menu's „sprawozdania jednorazowe” →
    # „do uzupełnienia” → 2023.
    first = tab_to(page, lambda element: True, limit=1)
    assert first["tag"] == "a" and first["text"] == "Przejdź do treści", first
    choose_one_time_reports(page, "do uzupełnienia", 2023)

    # The form's window → „aktywuj” → „Uzupełnij zbiorczo…”.
    tab_to(page, link("ANKIETA-CYBER"))
    press_enter_and_wait(page, "**/obowiazek/*/")
    tab_to(page, button("aktywuj"))
    press_enter_and_wait(page, "**/za-kogo/")
    tab_to(page, button("Uzupełnij zbiorczo za całą działalność podmiotu"))
    press_enter_and_wait(page, re.compile(r".*/sprawozdania/\?rodzaj=jednorazowe.*"))
    expect(page.get_by_role("status")).to_contain_text("Utworzono sprawozdania do uzupełnienia: 1")

    # Most answers are stored beforehand (among them two numbers that raise a warning: more
    # incidents reported than recorded); the first part's answers are typed.
    report = Report.objects.get()
    prefill_report(
        report,
        alice,
        skip={"A0_Q1", "A0_Q2", "A0_Q3", "A0_Q5"},
        values={"A8_Q4": "2", "A8_Q5": "5"},
    )

    tab_to(page, link("wypełnij"))
    press_enter_and_wait(page, f"**/sprawozdania/{report.pk}/")

    # „zwiń/rozwiń” with Enter and Space.
    toggle = tab_to(page, button("zwiń/rozwiń"))
    assert toggle["text"] == "zwiń/rozwiń – Część 0. Informacje ogólne"
    toggle_button = page.locator("[aria-controls='section-A0-body']")
    page.keyboard.press("Enter")
    expect(toggle_button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#section-A0-body")).to_be_hidden()
    page.keyboard.press("Space")
    expect(toggle_button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#section-A0-body")).to_be_visible()

    # Answers typed; a radio group is one Tab stop, the arrow keys choose within it.
    tab_to(page, control("f-A0_Q1"))
    page.keyboard.type("Kierownik Działu Informatyki")
    tab_to(page, control("f-A0_Q2"))
    page.keyboard.type("it@szpital.example.pl")
    radio = tab_to(page, control("f-A0_Q3"))
    assert radio["id"] == "f-A0_Q3-tak"
    page.keyboard.press("ArrowDown")
    radio = active(page)
    assert radio["id"] == "f-A0_Q3-nie"
    expect(page.locator("#f-A0_Q3-nie")).to_be_checked()
    radio = tab_to(page, control("f-A0_Q4"))  # answered beforehand: the checked option
    assert radio["id"] == "f-A0_Q4-2"
    tab_to(page, control("f-A0_Q5"))
    page.keyboard.type("dużo")
    wait_until_saved(page)
    expect(page.locator("#f-A0_Q5-live")).not_to_be_empty()

    # „Zapisz do uzupełnienia na później”: the form is replaced, the focus stays on the button.
    tab_to(page, button("Zapisz do uzupełnienia na później"))
    press_enter_and_wait_for_new_form(page)
    save_button = page.get_by_role("button", name="Zapisz do uzupełnienia na później")
    expect(save_button).to_be_focused()

    # „Weryfikuj bez wysyłania”, the next Tab stop: the focus goes to the result.
    tab_to(page, button("Weryfikuj bez wysyłania"), limit=1)
    press_enter_and_wait_for_verification(page)
    verification = page.locator("#verification")
    expect(verification).to_be_focused()
    expect(verification).to_contain_text("Błędy: 1, ostrzeżenia: 1.")

    # The summary's link takes the focus to the field; the value is corrected.
    error_link = tab_to(page, link("Liczba komputerów"), limit=3)
    assert "Liczba komputerów" in error_link["text"]
    page.keyboard.press("Enter")
    expect(page.locator("#f-A0_Q5")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("120")
    wait_until_saved(page)
    expect(page.locator("#f-A0_Q5-live")).to_have_count(0)

    # Verify again: no errors, the warning is explained.
    tab_to(page, button("Weryfikuj bez wysyłania"))
    press_enter_and_wait_for_verification(page)
    expect(verification).to_be_focused()
    expect(verification).to_contain_text("Błędy: 0, ostrzeżenia: 1.")
    explanation = tab_to(page, lambda element: element["tag"] == "textarea", limit=3)
    assert explanation["label"] == "Wyjaśnienie"
    page.keyboard.type("Trzy zgłoszenia dotyczyły incydentów u dostawcy usług.")
    wait_until_saved(page)

    # „Wyślij” → confirmation → „Wyślij”.
    tab_to(page, button("Wyślij"))
    press_enter_and_wait(page, "**/wyslij/")
    tab_to(page, button("Wyślij"))
    press_enter_and_wait(page, f"**/sprawozdania/{report.pk}/")
    version = ReportVersion.objects.get(report=report)
    expect(page.get_by_role("status").filter(has_text="Sprawozdanie wysłano")).to_contain_text(
        f"suma kontrolna {version.checksum[:16]}"
    )
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.values["A0_Q5"] == "120" and report.values["A0_Q3"] == "nie"
    assert report.explanations["A8-REPORTED"].startswith("Trzy zgłoszenia")

    # And it is found under „wysłane do weryfikacji”.
    choose_one_time_reports(page, "wysłane do weryfikacji", 2023)
    row = page.get_by_role("row").filter(has_text="zbiorczo za cały podmiot")
    expect(row).to_contain_text("wysłane do weryfikacji")
    tab_to(page, link("podgląd"))
    press_enter_and_wait(page, f"**/sprawozdania/{report.pk}/")
