"""„Cofnij zatwierdzenie”: the central administrator withdraws an approval, with a reason."""

import cast
import pytest
from django.core import mail
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status


@pytest.fixture
def approved_report(sent_report, wanda):
    workflow.approve_report(report=sent_report, actor=wanda)
    sent_report.refresh_from_db()
    return sent_report


def withdraw(client, report, reason="Błąd w danych działu 1."):
    return client.post(reverse("review:withdraw", args=[report.pk]), {"reason": reason})


def test_the_central_administrator_withdraws_an_approval_and_the_reporters_are_told(
    client, celina, approved_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    page = client.get(reverse("review:report", args=[approved_report.pk])).content.decode()
    assert "Cofnij zatwierdzenie" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(client, approved_report)
    assert response.url == reverse("review:report", args=[approved_report.pk])
    approved_report.refresh_from_db()
    assert approved_report.status == Status.SENT
    event = approved_report.events.get(kind=ReportEvent.Kind.WITHDRAWN)
    assert event.user == celina and event.comment == "Błąd w danych działu 1."
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"] and "cofnięto zatwierdzenie" in message.subject
    page = client.get(response.url).content.decode()
    assert "cofnięto zatwierdzenie" in page and "Błąd w danych działu 1." in page


def test_the_reason_is_required(client, celina, approved_report):
    cast.log_in(client, celina)
    response = withdraw(client, approved_report, reason="  ")
    assert response.status_code == 400
    assert "Napisz, dlaczego zatwierdzenie jest cofane." in response.content.decode()
    approved_report.refresh_from_db()
    assert approved_report.status == Status.APPROVED


def test_regional_administrators_cannot_and_do_not_see_the_button(client, wanda, approved_report):
    cast.log_in(client, wanda)
    page = client.get(reverse("review:report", args=[approved_report.pk])).content.decode()
    assert "Cofnij zatwierdzenie" not in page
    assert withdraw(client, approved_report).status_code == 403


def test_only_an_approval_can_be_withdrawn(client, celina, sent_report):
    cast.log_in(client, celina)
    response = withdraw(client, sent_report)
    content = client.get(response.url).content.decode()
    assert "Cofnąć można tylko zatwierdzenie zatwierdzonego sprawozdania." in content
