"""Two levels: where a publication asks for it, the office approves and the central
administrator accepts („Akceptuj”); "approved" in results then means accepted."""

import cast
import pytest
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import Report, ReportEvent, Status

QUEUE = reverse("review:queue")


@pytest.fixture
def two_levels(publication, celina, client):
    cast.log_in(client, celina)
    response = client.post(
        reverse("publications:acceptance", args=[publication.pk]), {"required": "yes"}
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.needs_acceptance
    return publication


@pytest.fixture
def approved_report(sent_report, wanda):
    workflow.approve_report(report=sent_report, actor=wanda)
    sent_report.refresh_from_db()
    return sent_report


def test_an_approved_report_waits_for_acceptance_and_counts_only_once_accepted(
    client, celina, two_levels, approved_report
):
    assert approved_report.state_label == "zatwierdzone, czeka na akceptację"
    assert not Report.objects.final().filter(pk=approved_report.pk).exists()
    response = client.get(QUEUE, {"stan": "do-akceptacji"})
    assert {r.pk for r in response.context["page"].object_list} == {approved_report.pk}
    assert "do akceptacji" in response.content.decode()
    page = client.get(reverse("review:report", args=[approved_report.pk])).content.decode()
    assert "Akceptuj" in page

    response = client.post(reverse("review:accept", args=[approved_report.pk]))
    assert response.url == QUEUE + "?stan=do-akceptacji"
    approved_report.refresh_from_db()
    assert approved_report.accepted_by == celina and approved_report.status == Status.APPROVED
    assert approved_report.state_label == "zaakceptowane"
    assert Report.objects.final().filter(pk=approved_report.pk).exists()
    assert approved_report.events.filter(kind=ReportEvent.Kind.ACCEPTED, user=celina).exists()
    assert not client.get(QUEUE, {"stan": "do-akceptacji"}).context["page"].object_list


def test_without_a_second_level_approval_is_final_and_there_is_nothing_to_accept(
    client, celina, approved_report
):
    assert Report.objects.final().filter(pk=approved_report.pk).exists()
    cast.log_in(client, celina)
    assert "do akceptacji" not in client.get(QUEUE).content.decode()
    response = client.post(reverse("review:accept", args=[approved_report.pk]))
    content = client.get(response.url).content.decode()
    assert "Ten formularz nie wymaga akceptacji administratora centralnego." in content


def test_the_regional_administrator_approves_but_cannot_accept(
    client, wanda, two_levels, approved_report
):
    cast.log_in(client, wanda)
    page = client.get(reverse("review:report", args=[approved_report.pk])).content.decode()
    assert "Akceptuj" not in page
    assert client.post(reverse("review:accept", args=[approved_report.pk])).status_code == 403


def test_a_sent_report_cannot_be_accepted_before_it_is_approved(
    client, celina, two_levels, sent_report
):
    response = client.post(reverse("review:accept", args=[sent_report.pk]))
    content = client.get(response.url).content.decode()
    assert "Zaakceptować można tylko zatwierdzone sprawozdanie." in content


def test_reopening_an_accepted_report_asks_for_acceptance_again(
    celina, wanda, alice, two_levels, approved_report, send
):
    workflow.accept_report(report=approved_report, actor=celina)
    workflow.reopen_report(report=approved_report, actor=wanda, comment="Korekta działu 1.")
    approved_report.refresh_from_db()
    assert approved_report.accepted_at is None
    send(approved_report, alice)
    workflow.approve_report(report=approved_report, actor=wanda)
    approved_report.refresh_from_db()
    assert approved_report.awaits_acceptance


def test_only_the_central_administrator_sets_the_second_level(client, wanda, publication):
    cast.log_in(client, wanda)
    url = reverse("publications:acceptance", args=[publication.pk])
    assert client.post(url, {"required": "yes"}).status_code == 403
    publication.refresh_from_db()
    assert not publication.needs_acceptance
