import cast
import pytest
from django.core import mail
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status

COMMENT = "GUS zgłosił rozbieżność w dziale 1 – proszę o korektę."


def reopen(client, report, comment=COMMENT):
    return client.post(reverse("review:reopen", args=[report.pk]), {"comment": comment})


@pytest.fixture
def approved_report(sent_report, wanda):
    workflow.approve_report(report=sent_report, actor=wanda)
    sent_report.refresh_from_db()
    return sent_report


def test_reopening_an_approved_report_marks_it_as_a_correction(
    client, celina, alice, approved_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, celina)
    content = client.get(reverse("review:report", args=[approved_report.pk])).content.decode()
    assert "Otwórz do korekty" in content
    assert "Zatwierdź" not in content
    with django_capture_on_commit_callbacks(execute=True):
        response = reopen(client, approved_report)
    assert response.status_code == 302
    assert response.url == reverse("review:queue") + "?stan=zatwierdzone"
    approved_report.refresh_from_db()
    assert approved_report.status == Status.RETURNED
    assert approved_report.is_correction
    assert approved_report.return_comment == COMMENT
    assert approved_report.events.get(kind=ReportEvent.Kind.REOPENED).user == celina
    assert [message.to for message in mail.outbox] == [[alice.email]]

    cast.log_in(client, alice)
    listing = client.get(
        reverse("reports:list"), {"rodzaj": "jednorazowe", "stan": "do-korekty"}
    ).content.decode()
    assert "korekta" in listing
    assert COMMENT in listing


def test_the_comment_is_required(client, celina, approved_report):
    cast.log_in(client, celina)
    response = reopen(client, approved_report, comment="")
    assert response.status_code == 400
    assert "Napisz, czego dotyczy korekta." in response.content.decode()
    approved_report.refresh_from_db()
    assert approved_report.status == Status.APPROVED


def test_a_report_not_approved_cannot_be_reopened(client, celina, sent_report):
    cast.log_in(client, celina)
    response = reopen(client, sent_report)
    content = client.get(response.url).content.decode()
    assert "Do korekty można otworzyć tylko zatwierdzone sprawozdanie." in content
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT
    assert not sent_report.is_correction


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olaf", 404)])
def test_only_an_administrator_in_scope_reopens(client, request, approved_report, who, status):
    cast.log_in(client, request.getfixturevalue(who))
    assert reopen(client, approved_report).status_code == status
    approved_report.refresh_from_db()
    assert approved_report.status == Status.APPROVED
