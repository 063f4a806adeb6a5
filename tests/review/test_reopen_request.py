"""„Poproś o korektę”: a reporter asks for her approved report to be reopened, with a reason
that the reviewing office sees on the report and gets by mail; reopening clears the request."""

import cast
from django.core import mail
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status


def ask(client, report, reason="Błąd w liczbie lekarzy w dziale 1."):
    return client.post(reverse("reports:request_reopening", args=[report.pk]), {"reason": reason})


def approved(report, wanda):
    workflow.approve_report(report=report, actor=wanda)
    report.refresh_from_db()
    return report


def test_the_clerk_asks_and_the_office_sees_it_and_reopens(
    client, alice, wanda, sent_report, django_capture_on_commit_callbacks
):
    report = approved(sent_report, wanda)
    cast.log_in(client, alice)
    assert (
        "Poproś o korektę"
        in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, report)
    assert response.url == reverse("reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert report.reopen_request == "Błąd w liczbie lekarzy w dziale 1."
    assert report.events.get(kind=ReportEvent.Kind.REOPEN_REQUESTED).user == alice
    (message,) = [m for m in mail.outbox if "prośba o korektę" in m.subject]
    assert message.to == [wanda.email]
    assert "Prośba o korektę czeka na administratora" in client.get(response.url).content.decode()

    cast.log_in(client, wanda)
    assert (
        "prośba o korektę"
        in client.get(reverse("review:queue"), {"stan": "zatwierdzone"}).content.decode()
    )
    page = client.get(reverse("review:report", args=[report.pk])).content.decode()
    assert "Sprawozdawca prosi o korektę:" in page and "Błąd w liczbie lekarzy" in page
    workflow.reopen_report(report=report, actor=wanda, comment="Proszę poprawić dział 1.")
    report.refresh_from_db()
    assert report.status == Status.RETURNED and report.reopen_request == ""


def test_the_reason_is_required_and_kept_next_to_its_field(client, alice, wanda, sent_report):
    report = approved(sent_report, wanda)
    cast.log_in(client, alice)
    response = ask(client, report, reason="   ")
    assert response.status_code == 400
    assert "Napisz, co trzeba poprawić w zatwierdzonym sprawozdaniu." in response.content.decode()
    report.refresh_from_db()
    assert report.reopen_request == ""


def test_only_an_approved_report_can_be_asked_for(client, alice, sent_report):
    cast.log_in(client, alice)
    response = ask(client, sent_report)
    content = client.get(response.url).content.decode()
    assert "O korektę można poprosić tylko w zatwierdzonym sprawozdaniu." in content


def test_another_entitys_clerk_cannot_ask(client, charlie, wanda, sent_report):
    report = approved(sent_report, wanda)
    cast.log_in(client, charlie)
    assert ask(client, report).status_code == 404
