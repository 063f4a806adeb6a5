import re
import statistics
import time
from datetime import timedelta

import cast
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ssoz.accounts.models import AccountEvent, TemporaryPassword

REMINDER_URL = "/przypomnij-haslo/"


def ask_for_password(client, identifier, capture):
    with capture(execute=True):
        return client.post(REMINDER_URL, {"identifier": identifier}, follow=True)


def mailed_password() -> str:
    return re.search(r"^\s{4}(\S+)$", mail.outbox[-1].body, re.MULTILINE).group(1)


def log_in(client, login, password):
    return client.post("/logowanie/", {"login": login, "password": password})


def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    client, alice, django_capture_on_commit_callbacks
):
    known = ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    unknown = ask_for_password(client, "nie-ma-mnie", django_capture_on_commit_callbacks)
    message = "Jeśli konto o podanym loginie lub adresie e-mail istnieje"
    assert message in known.content.decode()
    assert message in unknown.content.decode()
    assert len(mail.outbox) == 1


def test_a_temporary_password_is_mailed_to_the_accounts_address(
    client, alice, django_capture_on_commit_callbacks
):
    ask_for_password(client, "alice@example.org", django_capture_on_commit_callbacks)
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "hasło robocze" in mail.outbox[0].body
    assert TemporaryPassword.objects.filter(user=alice).count() == 1
    assert AccountEvent.objects.filter(
        user=alice, kind=AccountEvent.Kind.TEMPORARY_PASSWORD_SENT
    ).exists()


def test_logging_in_with_it_forces_a_new_password(
    client, alice, django_capture_on_commit_callbacks
):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    response = log_in(client, "alice", mailed_password())
    assert response.url == reverse("accounts:change_password")
    # Every other page leads back to the change until it is done.
    assert client.get(reverse("portal:home")).url == reverse("accounts:change_password")
    page = client.get(reverse("accounts:change_password")).content.decode()
    assert "Zalogowano hasłem roboczym" in page
    assert "Obecne hasło" not in page
    response = client.post(
        reverse("accounts:change_password"),
        {"new_password1": "Nowe-Haslo-Na-Zime-2026", "new_password2": "Nowe-Haslo-Na-Zime-2026"},
    )
    assert response.url == reverse("portal:home")
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert alice.check_password("Nowe-Haslo-Na-Zime-2026")
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_temporary_password_works_only_once(client, alice, django_capture_on_commit_callbacks):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    password = mailed_password()
    log_in(client, "alice", password)
    client.post(reverse("accounts:logout"))
    response = log_in(client, "alice", password)
    assert response.status_code == 200
    assert "Nieprawidłowy login lub hasło." in response.content.decode()


def test_the_temporary_password_expires(client, alice, django_capture_on_commit_callbacks):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    TemporaryPassword.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = log_in(client, "alice", mailed_password())
    assert response.status_code == 200


def test_the_usual_password_keeps_working(client, alice, django_capture_on_commit_callbacks):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    assert log_in(client, "alice", cast.PASSWORD).url == reverse("portal:home")


def test_requests_are_limited_so_nobody_floods_a_mailbox(
    client, alice, django_capture_on_commit_callbacks
):
    for _ in range(3):
        ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_only_the_newest_temporary_password_works(
    client, alice, settings, django_capture_on_commit_callbacks
):
    settings.TEMPORARY_PASSWORD_REQUEST_INTERVAL = 0
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    first = mailed_password()
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    assert log_in(client, "alice", first).status_code == 200
    assert log_in(client, "alice", mailed_password()).status_code == 302


def test_inactive_accounts_get_no_temporary_password(
    client, application, django_capture_on_commit_callbacks
):
    ask_for_password(client, "dorota", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_new_password_must_follow_the_policy_and_match(
    client, alice, django_capture_on_commit_callbacks
):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    log_in(client, "alice", mailed_password())
    response = client.post(
        reverse("accounts:change_password"), {"new_password1": "krotkie", "new_password2": "inne"}
    )
    assert response.status_code == 400
    assert "To hasło jest za krótkie" in response.content.decode()
    response = client.post(
        reverse("accounts:change_password"),
        {"new_password1": "Nowe-Haslo-Na-Zime-2026", "new_password2": "Nowe-Haslo-Na-Lato"},
    )
    assert "Hasła nie są takie same." in response.content.decode()


def test_a_voluntary_change_asks_for_the_current_password(client, alice):
    cast.log_in(client, alice)
    response = client.post(
        reverse("accounts:change_password"),
        {
            "old_password": "nie-to",
            "new_password1": "Nowe-Haslo-Na-Zime-2026",
            "new_password2": "Nowe-Haslo-Na-Zime-2026",
        },
    )
    assert "Obecne hasło jest nieprawidłowe." in response.content.decode()


@pytest.mark.parametrize("garbage", ["", "x" * 300, "<b>", "' OR 1=1 --"])
def test_nonsense_never_errors(client, db, garbage):
    assert client.post(REMINDER_URL, {"identifier": garbage}).status_code in (200, 302)


def test_the_answer_takes_as_long_whether_or_not_the_account_exists(client, settings, hospital):
    """Nothing about an account is looked up, hashed or mailed in the request: the worker
    does it. So the medians over ten existing and ten unknown accounts, each asked once and
    interleaved so that the machine's load falls on both alike, differ by under 20 ms."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    known = [cast.make_user(f"urzednik{n}", entity=hospital).username for n in range(10)]
    unknown = [f"nikt-taki-{n}" for n in range(10)]
    client.post(REMINDER_URL, {"identifier": "rozgrzewka"})  # the first request warms caches
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for existing, missing in zip(known, unknown, strict=True):
        for kind, identifier in (("known", existing), ("unknown", missing)):
            started = time.perf_counter()
            response = client.post(REMINDER_URL, {"identifier": identifier})
            times[kind].append(time.perf_counter() - started)
            assert response.status_code == 302
    difference = abs(statistics.median(times["known"]) - statistics.median(times["unknown"]))
    assert difference < 0.020, times
    assert not TemporaryPassword.objects.exists()  # the worker has not run: all is queued


def test_after_a_temporary_password_the_usual_one_logs_in_without_forcing_a_change(
    client, alice, django_capture_on_commit_callbacks
):
    ask_for_password(client, "alice", django_capture_on_commit_callbacks)
    assert log_in(client, "alice", mailed_password()).url == reverse("accounts:change_password")
    client.logout()
    response = log_in(client, "alice", cast.PASSWORD)
    assert response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
