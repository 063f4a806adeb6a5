"""A job started from a page: the central administrator asks for the sent reports of a
publication to be checked again; the worker does it and the job's page shows how far it is
and what it found, to her alone."""

import io
import time

import cast
import pytest
from django.urls import reverse

from ssoz.jobs.models import Job, JobState
from ssoz.reports.models import Report


def wait_until_finished(job: Job, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.is_finished:
            return job
        assert time.monotonic() < deadline, f"the job is still {job.state}"
        time.sleep(0.1)


@pytest.fixture
def broken_report(sent_report):
    """Alice's sent report, whose explanation went missing (as when a rule changed meanwhile)."""
    Report.objects.filter(pk=sent_report.pk).update(explanations={})
    return sent_report


def test_the_worker_rechecks_the_reports_and_the_page_shows_the_result(
    client, task_worker, celina, broken_report, silesian_report
):
    cast.log_in(client, celina)
    publication = broken_report.obligation.publication
    response = client.post(reverse("publications:recheck", args=[publication.pk]))
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    # The page answers at once, while the job waits for the worker or runs.
    page = client.get(response.url).content.decode()
    assert "Ponowne sprawdzenie sprawozdań: TEST-1, 2023" in page
    job = wait_until_finished(job)
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total) == (2, 2)
    state = client.get(reverse("jobs:state", args=[job.pk])).json()
    assert state["finished"] and state["percent"] == 100
    assert state["summary"] == (
        "Sprawdzono sprawozdań: 2; z błędami: 0; z niewyjaśnionymi ostrzeżeniami: 1."
    )
    page = client.get(response.url).content.decode()
    assert broken_report.subject in page
    assert reverse("review:report", args=[broken_report.pk]) in page
    assert silesian_report.subject not in page


def test_only_the_person_who_started_a_job_follows_it(client, celina, wanda, sent_report):
    cast.log_in(client, celina)
    client.post(reverse("publications:recheck", args=[sent_report.obligation.publication_id]))
    job = Job.objects.get()
    cast.log_in(client, wanda)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:state", args=[job.pk])).status_code == 404


def test_only_the_central_administrator_starts_a_recheck(client, wanda, alice, sent_report):
    for user in (wanda, alice):
        cast.log_in(client, user)
        url = reverse("publications:recheck", args=[sent_report.obligation.publication_id])
        assert client.post(url).status_code == 403
    assert not Job.objects.exists()


def test_a_job_whose_worker_died_is_marked_failed_not_left_running(celina, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    job = Job.objects.create(kind="x", started_by=celina, title="Zadanie", state=JobState.RUNNING)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    )
    call_command("run_periodic", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "przestał działać" in job.summary_text
