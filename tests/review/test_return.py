import cast
import pytest
from django.core import mail
from django.urls import reverse

from ssoz.reports.models import ReportEvent, Status

COMMENT = "W dziale 1 liczba lekarzy nie zgadza się z etatami. Popraw wiersz 1."


def return_report(client, report, comment=COMMENT):
    return client.post(reverse("review:return", args=[report.pk]), {"comment": comment})


def test_a_returned_report_reaches_the_reporters_do_korekty_list_with_the_comment(
    client, wanda, alice, sent_report
):
    cast.log_in(client, wanda)
    response = return_report(client, sent_report)
    assert response.status_code == 302
    sent_report.refresh_from_db()
    assert sent_report.status == Status.RETURNED
    assert sent_report.return_comment == COMMENT
    assert sent_report.events.get(kind=ReportEvent.Kind.RETURNED).comment == COMMENT

    cast.log_in(client, alice)
    listing = client.get(
        reverse("reports:list"), {"rodzaj": "jednorazowe", "stan": "do-korekty"}
    ).content.decode()
    assert COMMENT in listing
    assert reverse("reports:detail", args=[sent_report.pk]) in listing
    detail = client.get(reverse("reports:detail", args=[sent_report.pk])).content.decode()
    assert "Uwagi administratora:" in detail
    assert COMMENT in detail
    assert "Wyślij" in detail  # she can correct it and send it again


def test_the_reporters_get_the_comment_by_mail(
    client, wanda, alice, bob, charlie, sent_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(client, sent_report)
    assert sorted(message.to[0] for message in mail.outbox) == [alice.email, bob.email]
    message = mail.outbox[0]
    assert "zwrócone do korekty" in message.body
    assert COMMENT in message.body
    assert reverse("reports:detail", args=[sent_report.pk]) in message.body


def test_the_comment_is_required(client, wanda, sent_report, django_capture_on_commit_callbacks):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        response = return_report(client, sent_report, comment="   ")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Popraw zaznaczone pola" in content
    assert "Napisz, co trzeba poprawić." in content
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT
    assert not mail.outbox


def test_only_a_sent_report_can_be_returned(client, wanda, sent_report):
    cast.log_in(client, wanda)
    return_report(client, sent_report)
    response = return_report(client, sent_report, comment="Jeszcze raz.")
    content = client.get(response.url).content.decode()
    assert "Zwrócić do korekty można tylko wysłane sprawozdanie." in content
    sent_report.refresh_from_db()
    assert sent_report.return_comment == COMMENT


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olaf", 404)])
def test_only_an_administrator_in_scope_returns(client, request, sent_report, who, status):
    cast.log_in(client, request.getfixturevalue(who))
    assert return_report(client, sent_report).status_code == status
    sent_report.refresh_from_db()
    assert sent_report.status == Status.SENT
