"""`manage.py create_staff_account`: the operator creates an administrator's or an analyst's
account on the server; its owner gets a temporary password by e-mail and sets her own."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from ssoz.accounts.models import AccountEvent, Role, User


def create(*args: str, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("create_staff_account", *args, stdout=out)
    return out.getvalue()


def mailed_password() -> str:
    return re.search(r"^\s{4}(\S+)$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_an_analyst_account_is_created_without_a_password_and_its_owner_is_mailed(
    db, django_capture_on_commit_callbacks
):
    out = create(
        "anna.analityk",
        "--role=analyst",
        "--email=anna@mz.example.gov.pl",
        "--first-name=Anna",
        "--last-name=Analityczna",
        capture=django_capture_on_commit_callbacks,
    )
    anna = User.objects.get(username="anna.analityk")
    assert anna.role == Role.ANALYST and anna.is_active
    assert not anna.has_usable_password()
    assert "Created anna.analityk (Analityk)" in out
    (message,) = mail.outbox
    assert message.to == ["anna@mz.example.gov.pl"]
    assert "założono Twoje konto anna.analityk (rola: Analityk)" in message.body
    assert AccountEvent.objects.filter(user=anna, kind=AccountEvent.Kind.CREATED).exists()


def test_she_logs_in_once_with_the_mailed_password_and_must_set_her_own(
    client, db, django_capture_on_commit_callbacks
):
    create(
        "anna.analityk",
        "--role=analyst",
        "--email=anna@mz.example.gov.pl",
        capture=django_capture_on_commit_callbacks,
    )
    response = client.post(
        reverse("accounts:login"), {"login": "anna.analityk", "password": mailed_password()}
    )
    assert response.url == reverse("accounts:change_password")
    assert client.get(reverse("publications:list")).url == reverse("accounts:change_password")


def test_a_regional_administrator_gets_her_voivodeship(db, django_capture_on_commit_callbacks):
    out = create(
        "admin.12",
        "--role=regional_admin",
        "--voivodeship=12",
        "--email=zdrowie@krakow.example.gov.pl",
        capture=django_capture_on_commit_callbacks,
    )
    admin = User.objects.get(username="admin.12")
    assert (admin.role, admin.voivodeship) == (Role.REGIONAL_ADMIN, "12")
    assert "Administrator wojewódzki, małopolskie" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role=regional_admin"], "Podaj województwo administratora wojewódzkiego."),
        (["--role=analyst", "--voivodeship=14"], "Województwo ma tylko administrator wojewódzki."),
        (["--role=central_admin", "--email=alice@example.org"], "Konto z tym adresem e-mail"),
        (["--role=analyst", "--email=nie-adres"], "Wprowadź poprawny adres email."),
    ],
)
def test_a_wrong_account_is_refused_in_polish_and_nothing_is_created(
    db, alice, django_capture_on_commit_callbacks, args, message
):
    arguments = ["nowa", "--email=nowa@example.gov.pl", *args]
    with pytest.raises(CommandError, match=message):
        create(*arguments, capture=django_capture_on_commit_callbacks)
    assert not User.objects.filter(username="nowa").exists()
    assert mail.outbox == []


def test_a_taken_login_is_refused(db, alice, django_capture_on_commit_callbacks):
    with pytest.raises(CommandError):
        create(
            "ALICE",
            "--role=analyst",
            "--email=inna@example.gov.pl",
            capture=django_capture_on_commit_callbacks,
        )
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_a_reporter_cannot_be_created_this_way(db, django_capture_on_commit_callbacks):
    with pytest.raises(CommandError):
        create(
            "nowy",
            "--role=reporter",
            "--email=nowy@example.gov.pl",
            capture=django_capture_on_commit_callbacks,
        )
