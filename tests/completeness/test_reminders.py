"""„Wyślij przypomnienie”: an administrator confirms, the job mails every entity of her scope
that has not sent – its reporters who may fill the form, or the registry's address – at most
once a day, and logs each reminder; `run_periodic` reminds automatically before a deadline."""

import datetime

import cast
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ssoz.completeness import selectors, services
from ssoz.completeness.models import Reminder
from ssoz.jobs.models import Job, JobState


@pytest.fixture
def dentist_with_address(dentist):
    """The dental practice has no account; the registry knows its e-mail."""
    dentist.email = "gabinet@example.org"
    dentist.save()
    return dentist


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_page_asks_to_confirm_with_the_count(client, publication, wanda, alice):
    cast.log_in(client, wanda)
    response = client.get(reverse("completeness:remind", args=[publication.pk]))
    assert response.context["count"] == 2  # the hospital and the dental practice
    assert "Wyślij przypomnienie do podmiotów: 2" in response.content.decode()


def test_a_regional_administrator_reminds_her_voivodeship_only_as_a_job(
    client,
    publication,
    wanda,
    alice,
    charlie,
    dentist_with_address,
    django_capture_on_commit_callbacks,
):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("completeness:remind", args=[publication.pk]))
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.state == JobState.SUCCEEDED and job.started_by == wanda
    assert job.result["reminded"] == 2
    assert recipients() == ["alice@example.org", "gabinet@example.org"]
    assert "charlie@example.org" not in recipients()
    message = next(message for message in mail.outbox if "alice@example.org" in message.to)
    assert "przypomnienie o sprawozdaniu TEST-1 za 2023" in message.subject
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Wysłano przypomnienia do podmiotów: 2" in page


def test_every_reminder_is_logged_with_who_sent_it(
    publication, wanda, alice, dentist_with_address, hospital, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.remind(scope=selectors.scope_for(wanda, publication), actor=wanda)
    logged = {reminder.entity_id: reminder for reminder in Reminder.objects.all()}
    assert logged[hospital.pk].sent_to == "alice@example.org"
    assert not logged[hospital.pk].to_registry_address
    assert logged[dentist_with_address.pk].to_registry_address
    assert {reminder.sent_by for reminder in logged.values()} == {wanda}
    assert not any(reminder.automatic for reminder in logged.values())


def test_an_entity_is_reminded_at_most_once_a_day(
    publication, wanda, celina, alice, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.remind(scope=selectors.scope_for(wanda, publication), actor=wanda)
        again = services.remind(scope=selectors.scope_for(celina, publication), actor=celina)
    assert first.reminded == 1
    assert (again.reminded, again.already_today) == (1, 1)  # only Charlie's clinic is new
    assert recipients() == ["alice@example.org", "charlie@example.org"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = services.remind(
        scope=selectors.scope_for(wanda, publication), actor=wanda, today=tomorrow
    )
    assert later.reminded == 1


def test_a_reporter_whose_account_may_not_fill_the_form_is_not_mailed(
    publication, financial_survey, hospital, wanda, django_capture_on_commit_callbacks
):
    cast.make_user("piotr", entity=hospital, psychiatric_card_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.remind(scope=selectors.scope_for(wanda, publication), actor=wanda)
    # Piotr's account is for the MZ/Szp-11B card only and the hospital has no other reporter,
    # nor an address in the registry: nobody to mail.
    assert result.without_address == 2 and result.reminded == 0
    assert mail.outbox == []


def test_only_administrators_may_remind(client, publication, alice):
    cast.log_in(client, alice)
    response = client.post(reverse("completeness:remind", args=[publication.pk]))
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_automatic_reminder_goes_once_some_days_before_the_deadline(
    publish_due_in, alice, charlie, settings, django_capture_on_commit_callbacks
):
    settings.SSOZ_REMINDER_DAYS_BEFORE = 7
    due = publish_due_in(5)
    publish_due_in(30, year=2026)  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 2
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        assert services.send_due_reminders(tomorrow) == 0
    assert recipients() == ["alice@example.org", "charlie@example.org"]
    assert set(Reminder.objects.values_list("publication", "automatic", "sent_by")) == {
        (due.pk, True, None)
    }


def test_run_periodic_sends_the_automatic_reminders(
    publish_due_in, alice, settings, django_capture_on_commit_callbacks
):
    settings.SSOZ_REMINDER_DAYS_BEFORE = 7
    publish_due_in(1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert recipients() == ["alice@example.org"]


def test_no_automatic_reminder_when_it_is_switched_off(publish_due_in, alice, settings):
    settings.SSOZ_REMINDER_DAYS_BEFORE = 0
    publish_due_in(1)
    assert services.send_due_reminders() == 0
    assert not Reminder.objects.exists()
