import cast
import pytest
from django.core import mail
from django.urls import reverse

from ssoz.reports.models import ReportEvent, Status


def approve(client, report, **data):
    return client.post(reverse("review:approve", args=[report.pk]), {"confirm": "yes", **data})


def test_approving_asks_for_confirmation_first(client, wanda, sent_report):
    cast.log_in(client, wanda)
    url = reverse("review:approve", args=[sent_report.pk])
    response = client.post(url, {"note": "Dziękujemy."})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Czy zatwierdzić sprawozdanie" in content
    assert 'name="confirm" value="yes"' in content and "Dziękujemy." in content
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT


def test_approval_with_a_comment_mails_the_reporters(
    client, wanda, sent_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        approve(client, sent_report, note="Dziękujemy za terminowe przekazanie.")
    event = sent_report.events.get(kind=ReportEvent.Kind.APPROVED)
    assert event.comment == "Dziękujemy za terminowe przekazanie."
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "zatwierdzone" in message.subject
    assert "Dziękujemy za terminowe przekazanie." in message.body


def test_a_comment_too_long_is_refused_next_to_its_field(client, wanda, sent_report):
    cast.log_in(client, wanda)
    response = approve(client, sent_report, note="x" * 5001)
    assert response.status_code == 400
    assert 'id="id_note_error"' in response.content.decode()
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT


def test_the_regional_administrator_approves_a_sent_report(client, wanda, sent_report):
    cast.log_in(client, wanda)
    response = approve(client, sent_report)
    assert response.status_code == 302
    assert response.url == reverse("review:queue") + "?stan=wyslane"
    sent_report.refresh_from_db()
    assert sent_report.status == Status.APPROVED
    event = sent_report.events.get(kind=ReportEvent.Kind.APPROVED)
    assert event.user == wanda
    assert event.ip_address == "127.0.0.1"
    assert "zatwierdzono" in client.get(response.url).content.decode()


def test_approving_an_approved_report_says_why_it_cannot(client, wanda, sent_report):
    cast.log_in(client, wanda)
    approve(client, sent_report)
    response = approve(client, sent_report)
    assert response.url == reverse("review:report", args=[sent_report.pk])
    content = client.get(response.url).content.decode()
    assert "Zatwierdzić można tylko wysłane sprawozdanie." in content
    assert sent_report.events.filter(kind=ReportEvent.Kind.APPROVED).count() == 1


def test_a_draft_cannot_be_approved(client, celina, report):
    cast.log_in(client, celina)
    response = approve(client, report)
    assert (
        "Zatwierdzić można tylko wysłane sprawozdanie." in client.get(response.url).content.decode()
    )
    report.refresh_from_db()
    assert report.status == Status.DRAFT


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("charlie", 403), ("olaf", 404)])
def test_only_an_administrator_in_scope_approves(client, request, sent_report, who, status):
    cast.log_in(client, request.getfixturevalue(who))
    assert approve(client, sent_report).status_code == status
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT


def test_approving_takes_a_post(client, wanda, sent_report):
    cast.log_in(client, wanda)
    assert client.get(reverse("review:approve", args=[sent_report.pk])).status_code == 405
