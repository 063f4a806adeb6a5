"""Manual sections 1–4 in a real browser: from /info.html to registration, activation,
log-in, the temporary password and log-out."""

import io
import re

import cast
import pytest
from background import text_of
from pypdf import PdfReader

from ssoz.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Bursztynowa-Komnata-77"


@pytest.fixture
def registry(settings):
    settings.SSOZ_CAPTCHA_TEST_MODE = True
    cast.make_office("14")
    hospital = cast.make_entity(name="Szpital Praski p.w. Przemienienia Pańskiego", units=2)
    cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14", first_name="Wanda")
    return hospital


def test_a_clerk_registers_is_activated_logs_in_resets_her_password_and_logs_out(
    page, browser, live_server, registry, screenshot, mailbox
):
    hospital = registry
    # 1. Access: /info.html and „Kontynuuj”.
    page.goto("/info.html")
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(11, 61, 145)"  # the stylesheet is served
    screenshot(page, "01-info")
    page.get_by_role("link", name="Kontynuuj").click()
    page.wait_for_url("**/logowanie/")
    screenshot(page, "02-logowanie")

    # 2. Registration.
    page.get_by_role("link", name="Nie masz konta? Zarejestruj").click()
    page.get_by_label("Imię", exact=True).fill("Dorota")
    page.get_by_label("Nazwisko").fill("Wiśniewska")
    page.get_by_label("E-mail").fill("dorota@szpital.example")
    page.get_by_label("Telefon").fill("+48 22 555 12 34")
    page.get_by_label("Login", exact=True).fill("dorota.w")
    page.get_by_label("Hasło", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Powtórz hasło").fill(NEW_PASSWORD)
    page.get_by_label("Typ jednostki").select_option(label="Podmiot leczniczy")
    page.get_by_label("REGON", exact=True).fill(hospital.regon)
    page.keyboard.press("Tab")  # leaving the REGON field makes „Jednostka” appear
    unit = page.get_by_label("Jednostka", exact=True)
    unit.wait_for()
    assert hospital.name in unit.inner_text()
    # One unit under this REGON: its fields below are filled in at once.
    page.locator("#unit-nip").wait_for()
    assert page.locator("#unit-nip").input_value() == hospital.nip
    assert page.locator("#unit-book").input_value() == hospital.register_book_number
    assert page.locator("#unit-city").input_value() == hospital.city
    assert (
        "Liczba jednostek w rejestrze pod tym numerem: 1"
        in page.locator("#lookup-status").inner_text()
    )
    page.get_by_label("Zapoznałem się").check()
    page.get_by_label("Przepisz kod z obrazka").fill("PASSED")
    screenshot(page, "03-rejestracja")
    page.get_by_role("button", name="Zarejestruj").click()

    # The log-in page offers the registration form as a PDF.
    page.wait_for_url("**/logowanie/")
    assert "Konto czeka na aktywację" in page.content()
    screenshot(page, "04-po-rejestracji")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pobierz formularz rejestracyjny (PDF)").click()
    pdf_path = download_info.value.path()
    with open(pdf_path, "rb") as pdf_file:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_file.read())).pages)
    assert "Formularz rejestracyjny użytkownika" in text
    assert "Mazowiecki Urząd Wojewódzki w Warszawie" in text
    assert "dorota.w" in text and hospital.regon in text

    # The account cannot be used before activation.
    page.get_by_label("Login lub e-mail").fill("dorota.w")
    page.get_by_label("Hasło").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    assert "Konto czeka na aktywację" in page.content()

    # The regional administrator activates the account.
    admin_context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    admin = admin_context.new_page()
    admin.goto("/logowanie/")
    admin.get_by_label("Login lub e-mail").fill("wanda")
    admin.get_by_label("Hasło").fill(cast.PASSWORD)
    admin.get_by_role("button", name="Zaloguj się").click()
    admin.get_by_role("link", name="Wnioski o konta", exact=True).click()
    screenshot(admin, "05-wnioski")
    admin.get_by_role("link", name=re.compile("Rozpatrz")).click()
    admin.get_by_role("button", name="Odnotuj otrzymanie podpisanego formularza").click()
    assert "Odnotowano otrzymanie" in admin.content()
    screenshot(admin, "06-wniosek")
    admin.get_by_role("button", name="Aktywuj konto").click()
    assert "zostało aktywowane" in admin.content()
    admin_context.close()

    # The activation e-mail.
    mailbox.wait_for("aktywowane", to="dorota@szpital.example")

    # 3. Log-in.
    page.goto("/logowanie/")
    page.get_by_label("Login lub e-mail").fill("dorota@szpital.example")
    page.get_by_label("Hasło").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/start/")
    assert hospital.name in page.content()
    screenshot(page, "07-start")

    # 4. Log-out at the top right.
    page.get_by_role("button", name="Wyloguj się").click()
    page.wait_for_url("**/logowanie/")

    # „przypomnij hasło”: a temporary password arrives by e-mail.
    page.get_by_role("link", name="przypomnij hasło").click()
    page.get_by_label("Login lub e-mail").fill("dorota.w")
    page.get_by_role("button", name="Wyślij hasło robocze").click()
    page.wait_for_url("**/logowanie/")
    temporary_mail = mailbox.wait_for("hasło robocze", to="dorota@szpital.example")
    temporary = re.search(r"^\s{4}(\S+)$", text_of(temporary_mail), re.MULTILINE).group(1)
    page.get_by_label("Login lub e-mail").fill("dorota.w")
    page.get_by_label("Hasło").fill(temporary)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/konto/haslo/")
    assert "Zalogowano hasłem roboczym" in page.content()
    page.get_by_label("Nowe hasło", exact=True).fill("Nowe-Haslo-Na-Zime-2026")
    page.get_by_label("Powtórz nowe hasło").fill("Nowe-Haslo-Na-Zime-2026")
    page.get_by_role("button", name="Zapisz nowe hasło").click()
    page.wait_for_url("**/start/")
    page.get_by_role("button", name="Wyloguj się").click()
    page.wait_for_url("**/logowanie/")
    assert "Wylogowano" in page.content()


def test_registration_works_without_javascript(browser, live_server, registry):
    hospital = registry
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/rejestracja/")
    page.get_by_label("Imię", exact=True).fill("Jan")
    page.get_by_label("Typ jednostki").select_option(label="Podmiot leczniczy")
    page.get_by_label("REGON", exact=True).fill(hospital.regon)
    page.get_by_role("button", name="Wyszukaj jednostkę w rejestrze").click()
    assert page.get_by_label("Imię", exact=True).input_value() == "Jan"
    # The only unit under the REGON is chosen already and its fields are filled in.
    assert page.get_by_label("Jednostka", exact=True).input_value() == str(hospital.pk)
    assert page.locator("#unit-nip").input_value() == hospital.nip
    page.get_by_label("Przepisz kod z obrazka").fill("PASSED")
    page.get_by_role("button", name="Zarejestruj").click()
    # A failed submit keeps what was typed and says what is wrong, next to the field.
    assert page.get_by_label("Imię", exact=True).input_value() == "Jan"
    assert "Popraw zaznaczone pola" in page.content()
    assert page.locator("#id_last_name_error").inner_text() == "To pole jest wymagane."
    context.close()
