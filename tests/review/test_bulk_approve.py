"""„Zatwierdź wszystkie bez ostrzeżeń”: the sent reports the queue's filters choose that were
sent without warnings, approved after a confirmation, as a job, each as „Zatwierdź” would."""

import cast
import pytest
from django.core import mail
from django.urls import reverse

from ssoz.jobs.models import Job, JobState
from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status

BULK = reverse("review:bulk_approve")


@pytest.fixture
def clean_report(publication, hospital, alice):
    """Alice's report for one unit, sent without any warning."""
    obligation = publication.obligations.get(entity=hospital)
    (report,) = workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=[hospital.units.first()]
    )
    workflow.save_report(
        report=report,
        actor=alice,
        changes={"A_TEAM": "nie", "D1.W01.K2": "50", "D1.W01.K3": "0"},
        base_revision=None,
    )
    workflow.send_report(report=report, actor=alice)
    report.refresh_from_db()
    assert report.warning_count == 0
    return report


def test_the_queue_offers_it_with_the_count_and_it_asks_first(
    client, wanda, clean_report, sent_report
):
    cast.log_in(client, wanda)
    queue = client.get(reverse("review:queue")).content.decode()
    assert "Zatwierdź wszystkie bez ostrzeżeń (1)" in queue
    response = client.post(
        BULK, {"formularz": str(clean_report.publication.form_version.definition_id)}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Wybrane filtrami wysłane sprawozdania bez ostrzeżeń: 1." in content
    assert 'name="confirm" value="yes"' in content and 'name="formularz"' in content
    clean_report.refresh_from_db()
    assert clean_report.status == Status.SENT


def test_only_reports_without_warnings_are_approved_and_their_reporters_mailed(
    client, wanda, clean_report, sent_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BULK, {"confirm": "yes"})
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.summary_params == {
        "approved": 1,
        "skipped": 0,
    }
    clean_report.refresh_from_db()
    sent_report.refresh_from_db()
    assert clean_report.status == Status.APPROVED
    assert sent_report.status == Status.SENT  # its warning needs a look of its own
    assert clean_report.events.get(kind=ReportEvent.Kind.APPROVED).user == wanda
    assert [m.to for m in mail.outbox if "zatwierdzone" in m.subject] == [["alice@example.org"]]


def test_a_regional_administrator_approves_nothing_in_another_voivodeship(
    client, olaf, clean_report, django_capture_on_commit_callbacks
):
    cast.log_in(client, olaf)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BULK, {"confirm": "yes"})
    clean_report.refresh_from_db()
    assert clean_report.status == Status.SENT


def test_a_report_sent_again_with_warnings_meanwhile_is_left_for_its_own_look(
    wanda, alice, clean_report
):
    clean_report.warning_count = 2
    clean_report.save(update_fields=["warning_count"])
    with pytest.raises(workflow.WorkflowError):
        workflow.approve_report(report=clean_report.pk, actor=wanda, only_without_warnings=True)


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_reporters_cannot(client, request, who, clean_report):
    cast.log_in(client, request.getfixturevalue(who))
    assert client.post(BULK, {"confirm": "yes"}).status_code == 403
