import cast
import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from ssoz.accounts.models import AccountEvent, ApplicationStatus

LOGIN_URL = "/logowanie/"


def post_login(client, login, password=cast.PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login, "password": password}, **extra)


def test_login_page_offers_the_manuals_links(client, db):
    response = client.get(LOGIN_URL)
    content = response.content.decode()
    assert "Zaloguj się" in content
    assert "Nie masz konta? Zarejestruj" in content
    assert "przypomnij hasło" in content
    assert reverse("accounts:register") in content


def test_clerk_logs_in_with_her_login(client, alice):
    response = post_login(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert AccountEvent.objects.filter(user=alice, kind=AccountEvent.Kind.LOGGED_IN).exists()


def test_clerk_logs_in_with_her_email_in_any_case(client, alice):
    response = post_login(client, "ALICE@example.org")
    assert response.status_code == 302


def test_wrong_password_says_so_and_counts_down_the_attempts(client, alice):
    response = post_login(client, "alice", "zle-haslo")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nieprawidłowy login lub hasło." in content
    assert "Pozostałe próby przed czasową blokadą konta: 4." in content
    assert 'value="alice"' in content  # what was typed is kept


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client, db):
    response = post_login(client, "nikt", "zle-haslo")
    assert "Nieprawidłowy login lub hasło." in response.content.decode()


def test_pending_account_is_told_to_send_the_signed_form(client, application):
    response = post_login(client, "dorota")
    assert "Konto czeka na aktywację" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rejected_applicant_learns_the_reason(client, application):
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = "Brak podpisu kierownika."
    application.save()
    response = post_login(client, "dorota")
    assert "Brak podpisu kierownika." in response.content.decode()


def test_account_is_locked_after_five_failures_with_an_honest_message(client, alice):
    for _ in range(5):
        post_login(client, "alice", "zle-haslo")
    response = post_login(client, "alice")  # even the right password is refused now
    content = response.content.decode()
    assert response.status_code == 429
    assert "konto zostało czasowo zablokowane" in content
    assert "przypomnij hasło" in content
    assert "_auth_user_id" not in client.session


def test_failures_by_login_and_by_email_add_up(client, alice):
    for _ in range(3):
        post_login(client, "alice", "zle-haslo")
    for _ in range(2):
        post_login(client, "alice@example.org", "zle-haslo")
    assert post_login(client, "alice").status_code == 429
    assert AccessAttempt.objects.filter(username="alice").exists()


def test_lockout_of_one_account_does_not_lock_a_colleague(client, alice, bob):
    for _ in range(5):
        post_login(client, "alice", "zle-haslo")
    assert post_login(client, "bob").status_code == 302


def test_an_address_is_locked_after_many_failures_on_any_accounts(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(6):
        post_login(client, f"ktos{number}", "zle-haslo")
    response = post_login(client, "alice")
    assert response.status_code == 429
    assert "Z tego adresu sieciowego było zbyt wiele nieudanych prób" in response.content.decode()


def test_successful_login_resets_the_account_counter(client, alice):
    for _ in range(3):
        post_login(client, "alice", "zle-haslo")
    post_login(client, "alice")
    client.post(reverse("accounts:logout"))
    response = post_login(client, "alice", "zle-haslo")
    assert "Pozostałe próby przed czasową blokadą konta: 4." in response.content.decode()


def test_next_parameter_leads_back_but_never_off_site(client, alice):
    response = client.post(
        LOGIN_URL + "?next=/pomoc/",
        {"login": "alice", "password": cast.PASSWORD, "next": "/pomoc/"},
    )
    assert response.url == "/pomoc/"
    client.post(reverse("accounts:logout"))
    response = client.post(
        LOGIN_URL, {"login": "alice", "password": cast.PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("portal:home")


def test_logout_is_a_button_at_the_top_right_and_ends_the_session(client, alice):
    cast.log_in(client, alice)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Wyloguj się" in page
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AccountEvent.objects.filter(user=alice, kind=AccountEvent.Kind.LOGGED_OUT).exists()


def test_logout_refuses_get(client, alice):
    cast.log_in(client, alice)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_pages_behind_login_redirect_to_the_login_page(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("garbage", ["", " ", "x" * 5000, "<script>alert(1)</script>", "ą'\"; --"])
def test_nonsense_in_the_login_form_never_errors(client, db, garbage):
    response = post_login(client, garbage, garbage)
    assert response.status_code in (200, 429)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_session_expires_after_inactivity_and_pages_warn_before(client, alice, settings):
    cast.log_in(client, alice)
    response = client.get(reverse("portal:home"))
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT
    # Renewed by accounts.middleware.SessionRenewalMiddleware (see test_session_renewal).
    assert settings.SESSION_RENEW_AFTER <= 60
    content = response.content.decode()
    assert f'data-session-timeout="{settings.SESSION_IDLE_TIMEOUT}"' in content
    assert 'id="session-warning"' in content
    assert "Przedłuż sesję" in content


def test_keep_alive_renews_the_session(client, alice):
    cast.log_in(client, alice)
    response = client.post(reverse("portal:keep_alive"))
    assert response.json() == {"ok": True}


def test_keep_alive_needs_a_session(client, db):
    response = client.post(reverse("portal:keep_alive"))
    assert response.status_code == 302
