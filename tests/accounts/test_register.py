import re

import cast
import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse

from ssoz.accounts.models import AccountEvent, ApplicationStatus, RegistrationApplication, User

REGISTER_URL = "/rejestracja/"


@pytest.fixture
def captcha_test_mode(settings):
    settings.SSOZ_CAPTCHA_TEST_MODE = True


def registration_data(chosen, **changes) -> dict:
    data = {
        "first_name": "Dorota",
        "last_name": "Wiśniewska",
        "email": "dorota@szpital.example",
        "phone": "+48 22 326 58 00",
        "username": "dorota.w",
        "password1": "Bursztynowa-Komnata-77",
        "password2": "Bursztynowa-Komnata-77",
        "entity_type": chosen.entity_type,
        "regon": chosen.regon,
        "register_book": "",
        "entity": str(chosen.pk),
        "privacy_accepted": "on",
        "captcha_0": "any",
        "captcha_1": "PASSED",
        "captcha_mode": "image",
        "action": "register",
    }
    data.update(changes)
    return data


def test_registration_page_has_the_manuals_fields(client, db):
    content = client.get(REGISTER_URL).content.decode()
    for label in (
        "Imię", "Nazwisko", "E-mail", "Telefon", "Login", "Hasło", "Powtórz hasło",
        "Typ jednostki", "REGON", "Użytkownik posiada upoważnienie do sprawozdań finansowych",
        "Konto z uprawnieniami do wypełnienia tylko karty szpitalnej psychiatrycznej MZ/Szp-11B",
        "Przepisz kod z obrazka", "Zarejestruj", "Klauzula informacyjna",
    ):  # fmt: skip
        assert label in content, label
    assert "Podmiot leczniczy" in content
    # „Jednostka” appears only after a REGON is given.
    assert 'name="entity"' not in content


def test_every_required_field_is_starred_and_required_and_no_optional_one_is(client, db):
    """The page says starred fields are required (WCAG 3.3.2): the required tick-box of the
    personal-data clause is starred as well as required to the browser."""
    content = client.get(REGISTER_URL).content.decode()
    fields = re.findall(r'<div class="field[^"]*" id="id_(\w+)-field">(.*?)\n</div>', content, re.S)
    assert len(fields) >= 10
    for name, html in fields:
        required = re.search(r"<(input|select|textarea)[^>]*\brequired\b", html) is not None
        starred = '<span class="required" aria-hidden="true">*</span>' in html
        assert required == starred, name
    assert dict(fields)["privacy_accepted"].count('class="required"') == 1


def test_regon_lookup_without_javascript_lists_the_units_and_keeps_what_was_typed(client, hospital):
    data = registration_data(hospital, entity="", action="lookup")
    response = client.post(REGISTER_URL, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="entity"' in content
    assert hospital.name in content
    assert 'value="Dorota"' in content
    assert "Popraw zaznaczone pola" not in content  # a look-up is not a failed submit
    assert "Bursztynowa" not in content  # passwords are never sent back


def test_regon_lookup_with_htmx_returns_only_the_unit_fields(client, hospital):
    response = client.get(
        REGISTER_URL,
        {"regon": hospital.regon, "entity_type": hospital.entity_type},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="unit-block",
    )
    content = response.content.decode()
    assert "<form" not in content
    assert 'name="entity"' in content
    # One unit under the REGON: it is chosen and its fields are filled in.
    assert f'value="{hospital.nip}"' in content
    assert f'value="{hospital.register_book_number}"' in content
    assert 'data-hx-swap-oob="true"' in content


def test_a_regon14_of_an_organisational_unit_finds_its_entity(client, hospital):
    unit = hospital.units.first()
    response = client.get(
        REGISTER_URL, {"regon": unit.regon14}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unit-block"
    )
    assert hospital.name in response.content.decode()


def test_register_book_number_is_an_alternative_key(client, hospital):
    response = client.get(
        REGISTER_URL,
        {"register_book": hospital.register_book_number.lstrip("0")},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="unit-block",
    )
    assert hospital.name in response.content.decode()


def test_unknown_regon_says_the_registry_has_no_such_unit(client, db):
    response = client.post(REGISTER_URL, {"regon": cast.valid_regon9(), "action": "lookup"})
    assert "W rejestrze nie ma jednostki o tym numerze" in response.content.decode()


def test_registration_creates_a_pending_account_and_mails_the_form(
    client, hospital, captcha_test_mode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER_URL, registration_data(hospital, financial_reports="on"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user = User.objects.get(username="dorota.w")
    assert not user.is_active
    assert user.entity == hospital
    assert user.financial_reports and not user.psychiatric_card_only
    assert user.password.startswith("argon2")
    application = RegistrationApplication.objects.get(user=user)
    assert application.status == ApplicationStatus.PENDING
    assert AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.REGISTERED).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dorota@szpital.example"]
    assert "/rejestracja/formularz/" in mail.outbox[0].body
    # The log-in page now offers the registration form as a PDF.
    login_page = client.get(response.url).content.decode()
    assert "Pobierz formularz rejestracyjny (PDF)" in login_page


def test_every_wrong_field_says_what_is_wrong_and_keeps_what_was_typed(
    client, hospital, captcha_test_mode
):
    data = registration_data(
        hospital,
        first_name="",
        email="to-nie-email",
        phone="abc",
        username="ż ó ł",
        password2="inne-haslo-123456",
        privacy_accepted="",
    )
    response = client.post(REGISTER_URL, data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Popraw zaznaczone pola" in content
    assert "To pole jest wymagane." in content
    assert "Wprowadź poprawny adres email." in content
    assert "Podaj numer telefonu" in content
    assert "Login ma od 3 do 40 znaków" in content
    assert "Hasła nie są takie same." in content
    assert "Potwierdź, że znasz klauzulę informacyjną." in content
    assert 'value="to-nie-email"' in content
    assert 'value="Wiśniewska"' in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_email_error"' in content
    assert not User.objects.filter(username="dorota.w").exists()


def test_weak_password_is_refused_with_the_policy(client, hospital, captcha_test_mode):
    data = registration_data(hospital, password1="haslo123", password2="haslo123")
    content = client.post(REGISTER_URL, data).content.decode()
    assert "To hasło jest za krótkie" in content


def test_the_entity_must_be_chosen_and_of_the_chosen_type(client, hospital, captcha_test_mode):
    content = client.post(REGISTER_URL, registration_data(hospital, entity="")).content.decode()
    # One candidate is chosen automatically in the page, but a submit must name it.
    assert "Wybierz swoją jednostkę z listy." in content
    data = registration_data(hospital, entity_type="praktyka_lekarska")
    content = client.post(REGISTER_URL, data).content.decode()
    assert "Wybrana jednostka ma w rejestrze typ „Podmiot leczniczy”" in content


def test_an_entity_not_under_the_given_regon_cannot_be_smuggled_in(
    client, hospital, clinic, captcha_test_mode
):
    data = registration_data(hospital, entity=str(clinic.pk))
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 400
    assert not User.objects.filter(username="dorota.w").exists()


def test_a_taken_login_is_said_once_the_captcha_has_passed(
    client, hospital, alice, captcha_test_mode
):
    data = registration_data(hospital, username="ALICE")
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 400
    assert "Ten login jest już zajęty." in response.content.decode()


def test_with_a_wrong_captcha_nothing_is_said_of_the_other_fields(client, hospital, alice):
    key = CaptchaStore.generate_key()
    data = registration_data(
        hospital, username="ALICE", email="alice@example.org", phone="abc", captcha_0=key,
        captcha_1="zle",
    )  # fmt: skip
    response = client.post(REGISTER_URL, data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Kod nie zgadza się." in content
    assert "Ten login jest już zajęty." not in content
    assert "Konto z tym adresem e-mail" not in content
    assert "Podaj numer telefonu" not in content
    # What was typed stays in the fields.
    assert 'value="ALICE"' in content and 'value="alice@example.org"' in content


def answers(client, hospital, **changes) -> tuple[int, str, str]:
    """What a registrant sees: the answer to „Zarejestruj”, the log-in page after it, and the
    log-in page's answer to logging in with the new account."""
    data = registration_data(hospital, **changes)
    registered = client.post(REGISTER_URL, data)
    login_page = client.get(reverse("accounts:login")).content.decode()
    logged_in = client.post(
        reverse("accounts:login"), {"login": data["email"], "password": data["password1"]}
    ).content.decode()
    return registered.status_code, login_page, logged_in


def test_a_taken_email_is_not_said_the_owner_is_mailed_instead(
    client, hospital, alice, captcha_test_mode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = answers(client, hospital, email="ALICE@example.org", username="nowa.alicja")
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        free = answers(client, hospital, email="nowa@example.org", username="nowa.osoba")
    assert taken[0] == free[0] == 302
    for page in (1, 2):
        assert "Konto czeka na aktywację" in taken[page]
        assert "Konto czeka na aktywację" in free[page]
    assert "Pobierz formularz rejestracyjny (PDF)" in taken[1]
    # No second account with Alice's address; she is told by mail.
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert not User.objects.filter(username="nowa.alicja").exists()
    to_alice = [message for message in mail.outbox if message.to == ["alice@example.org"]]
    assert len(to_alice) == 1
    assert "próba rejestracji" in to_alice[0].subject
    assert "nowa.alicja" in to_alice[0].body and "alice" in to_alice[0].body
    assert AccountEvent.objects.filter(
        user=alice, kind=AccountEvent.Kind.DUPLICATE_REGISTRATION
    ).exists()


def test_the_form_of_a_registration_with_a_taken_email_looks_like_any_other(
    client, hospital, alice, captcha_test_mode
):
    from ssoz.accounts.models import DuplicateRegistration

    client.post(REGISTER_URL, registration_data(hospital, email="alice@example.org"))
    login_page = client.get(reverse("accounts:login")).content.decode()
    link = re.search(r'href="(/rejestracja/formularz/[^"]+)"', login_page).group(1)
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reference = DuplicateRegistration.objects.get().reference
    assert reference in response["Content-Disposition"]
    # The login stays taken for as long as the registration's form is valid.
    data = registration_data(hospital, email="inna@example.org")
    assert "Ten login jest już zajęty." in client.post(REGISTER_URL, data).content.decode()


def test_wrong_captcha_is_refused(client, hospital):
    key = CaptchaStore.generate_key()
    data = registration_data(hospital, captcha_0=key, captcha_1="zle")
    content = client.post(REGISTER_URL, data).content.decode()
    assert "Kod nie zgadza się." in content
    assert not User.objects.filter(username="dorota.w").exists()


def test_passed_is_refused_outside_test_mode(client, hospital):
    content = client.post(REGISTER_URL, registration_data(hospital)).content.decode()
    assert "Kod nie zgadza się." in content


def test_the_right_image_code_is_accepted(client, hospital):
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    data = registration_data(hospital, captcha_0=key, captcha_1=answer.upper())
    assert client.post(REGISTER_URL, data).status_code == 302


def test_text_question_is_the_accessible_alternative(client, hospital):
    response = client.post(REGISTER_URL, {"action": "switch_captcha", "captcha_mode": "image"})
    content = response.content.decode()
    assert "Ile to jest" in content
    assert "Pokaż kod na obrazku" in content
    store = CaptchaStore.objects.latest("expiration")
    left, right = (int(part) for part in store.challenge.split("+"))
    data = registration_data(
        hospital, captcha_0=store.hashkey, captcha_1=str(left + right), captcha_mode="text"
    )
    assert client.post(REGISTER_URL, data).status_code == 302


def test_text_question_accepts_the_answer_in_words(client, hospital):
    from ssoz.accounts.captcha import answer_as_digits

    assert answer_as_digits(" Dziewięć ") == "9"
    assert answer_as_digits("nine") == "9"
    assert answer_as_digits("12") == "12"


@pytest.mark.parametrize(
    "field,value",
    [("regon", "x" * 10_000), ("phone", "<script>"), ("entity", "999999999999"), ("entity", "abc"),
     ("entity_type", "nie-ma"), ("register_book", "1" * 50), ("captcha_1", "\x00")],
)  # fmt: skip
def test_nonsense_never_gives_a_server_error(client, hospital, field, value, captcha_test_mode):
    response = client.post(REGISTER_URL, registration_data(hospital, **{field: value}))
    assert response.status_code == 400
