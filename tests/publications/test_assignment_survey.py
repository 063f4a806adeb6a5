"""„Ankieta przypisująca sprawozdania”: at the first log-in of a reporting year the reporter
answers which activities her entity has, and each answer adds or removes an obligation."""

import datetime
import re

import cast
import pytest
from django.urls import reverse
from django.utils import timezone

from ssoz.publications import assignment
from ssoz.publications.models import AssignmentAnswer, Obligation
from ssoz.publications.services import exempt_obligation, publish_form
from ssoz.registry.models import Entity
from ssoz.reports import selectors as report_selectors
from ssoz.reports import workflow

QUESTION = "Czy podmiot ma zespół ds. cyberbezpieczeństwa?"


@pytest.fixture
def asking(survey, clinic, celina):
    """The survey of 2025, due in a month, published to the Silesian clinic only, asking the
    assignment survey's question."""
    return publish_form(
        form_version=survey,
        year=2025,
        quarter=None,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        entities=Entity.objects.filter(pk=clinic.pk),
        actor=celina,
        assignment_question=QUESTION,
    )


def field(publication) -> str:
    return f"pytanie_{publication.pk}"


def log_in_through_the_page(client, user):
    return client.post(
        reverse("accounts:login"), {"login": user.username, "password": cast.PASSWORD}
    )


def test_the_survey_comes_first_after_logging_in_and_tak_adds_the_obligation(
    client, asking, hospital, alice
):
    response = log_in_through_the_page(client, alice)
    survey_page = reverse("publications:assignment_survey")
    assert response.url == f"{survey_page}?next=%2Fstart%2F"
    content = client.get(response.url).content.decode()
    assert QUESTION in content
    assert "Od odpowiedzi zależy obowiązek przekazania TEST-1 za 2025." in content

    response = client.post(survey_page, {field(asking): "tak", "next": "/start/"})
    assert response.status_code == 302
    assert response.url == "/start/"
    assert asking.obligations.filter(entity=hospital).exists()
    assert any(item.publication == asking for item in report_selectors.reporter_tasks(alice).due)
    home = client.get("/start/").content.decode()
    assert "Dodano obowiązek: TEST-1." in home
    # Answered once for the entity: her colleague is not asked again.
    assert not assignment.survey_is_due(cast.make_user("bob", entity=hospital))


def test_nie_removes_an_obligation_and_tak_brings_it_back(client, asking, clinic, charlie):
    cast.log_in(client, charlie)
    survey_page = reverse("publications:assignment_survey")
    client.post(survey_page, {field(asking): "nie"})
    obligation = asking.obligations.get(entity=clinic)
    assert obligation.is_exempted
    assert obligation.exemption_reason == assignment.SURVEY_REASON
    assert not report_selectors.reporter_tasks(charlie).due
    # The answer is shown when the survey is opened again, and can be changed.
    content = client.get(survey_page).content.decode()
    assert re.search(r'value="nie"[^>]*checked', content)
    client.post(survey_page, {field(asking): "tak"})
    assert not Obligation.objects.get(pk=obligation.pk).is_exempted
    assert AssignmentAnswer.objects.get(entity=clinic).files


def test_an_unanswered_question_is_asked_again_next_to_itself(client, asking, alice):
    cast.log_in(client, alice)
    response = client.post(reverse("publications:assignment_survey"), {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Odpowiedz na to pytanie: zaznacz „Tak” albo „Nie”." in content
    assert f'id="id_{field(asking)}_error"' in content
    assert not AssignmentAnswer.objects.exists()


def test_nie_cannot_remove_an_obligation_already_met(client, asking, clinic, charlie, send):
    obligation = asking.obligations.get(entity=clinic)
    report = workflow.create_reports(obligation=obligation, actor=charlie, collective=True)[0]
    send(report, charlie)
    cast.log_in(client, charlie)
    response = client.post(reverse("publications:assignment_survey"), {field(asking): "nie"})
    assert response.status_code == 409
    assert "sprawozdanie jest już wysłane" in response.content.decode()
    assert not Obligation.objects.get(pk=obligation.pk).is_exempted
    assert not AssignmentAnswer.objects.exists()


def test_tak_does_not_lift_an_exemption_the_office_gave(asking, clinic, charlie, olaf):
    obligation = asking.obligations.get(entity=clinic)
    exempt_obligation(obligation=obligation, actor=olaf, reason="Likwidacja podmiotu.")
    assignment.answer_assignment_survey(actor=charlie, answers={asking.pk: True})
    assert Obligation.objects.get(pk=obligation.pk).exemption_reason == "Likwidacja podmiotu."


def test_nothing_is_asked_of_a_closed_period_or_one_past_its_deadline(asking, alice):
    assert assignment.survey_is_due(alice)
    asking.__class__.objects.filter(pk=asking.pk).update(closed_at=timezone.now())
    assert not assignment.survey_is_due(alice)
    asking.__class__.objects.filter(pk=asking.pk).update(
        closed_at=None, deadline=datetime.date(2024, 3, 31)
    )
    assert not assignment.survey_is_due(alice)


def test_a_form_the_entity_type_does_not_send_asks_nothing(quarterly_form, nurse, celina):
    """The quarterly form is for health care providers and dentists, not nurses."""
    publish_form(
        form_version=quarterly_form,
        year=2026,
        quarter=4,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        entities=Entity.objects.none(),
        actor=celina,
        assignment_question=QUESTION,
    )
    nurse_clerk = cast.make_user("dorota", entity=nurse)
    assert not assignment.assignment_survey(nurse_clerk)


def test_an_answer_to_a_question_not_asked_is_refused(asking, alice, publication):
    with pytest.raises(assignment.AssignmentError, match="nie ma pytania"):
        assignment.answer_assignment_survey(actor=alice, answers={publication.pk: True})


def test_administrators_have_no_survey(client, asking, wanda):
    cast.log_in(client, wanda)
    assert client.get(reverse("publications:assignment_survey")).status_code == 403
    assert log_in_through_the_page(client, wanda).status_code == 302
