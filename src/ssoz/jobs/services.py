"""Starting a job and reporting its progress from the worker.

A job is started inside the request's transaction and enqueued only once that transaction
commits, so the worker never looks for a job row that is not there yet. The task function
opens the job with `running(job_id)`, reports progress as it goes, and finishes it; an
exception marks the job failed and is raised again, so the queue records it too.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.jobs.models import Job, JobState

logger = logging.getLogger(__name__)

# Progress is written at most this often, so a job over 30,000 rows does not write 30,000 times.
_PROGRESS_INTERVAL = timedelta(seconds=1)


def start_job(
    *,
    task: Task,
    user: User,
    title: str,
    title_params: dict[str, Any] | None = None,
    total: int | None = None,
    **arguments: Any,
) -> Job:
    """Create the job for `user` and put `task` on the queue once the transaction commits.

    `title` is a message id (marked with gettext_noop) with %(name)s placeholders filled from
    `title_params`; `arguments` go to the task, which also gets `job_id`.
    """
    job = Job.objects.create(
        kind=task.name,
        started_by=user,
        title=title,
        title_params=title_params or {},
        total=total,
    )

    def enqueue() -> None:
        result = task.enqueue(job_id=str(job.pk), **arguments)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


class JobProgress:
    """What a running task tells its job: how far it is, and how it ended."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._written_at = timezone.now()

    def advance(self, done: int, total: int | None = None) -> None:
        new_total = total is not None and total != self.job.total
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = timezone.now()
        if new_total or now - self._written_at >= _PROGRESS_INTERVAL:
            self._written_at = now
            self.job.heartbeat_at = now
            self.job.save(update_fields=["done", "total", "heartbeat_at"])

    def finish(
        self, summary: str, params: dict[str, Any] | None = None, result: dict | None = None
    ) -> None:
        """Say how the job ended; `summary` is a message id like the title."""
        self.job.summary = summary
        self.job.summary_params = params or {}
        self.job.result = result or {}


@contextmanager
def running(job_id: str) -> Iterator[JobProgress]:
    """Run the body of a task as the given job: running, then succeeded or failed."""
    job = Job.objects.get(pk=job_id)
    now = timezone.now()
    job.state = JobState.RUNNING
    job.started_at = job.heartbeat_at = now
    job.save(update_fields=["state", "started_at", "heartbeat_at"])
    progress = JobProgress(job)
    try:
        yield progress
    except BaseException as error:
        job.state = JobState.FAILED
        job.finished_at = timezone.now()
        job.error = f"{type(error).__name__}: {error}"[:5000]
        job.summary = gettext_noop("Zadanie nie powiodło się. Uruchom je ponownie.")
        job.summary_params = {}
        job.save()
        raise
    else:
        job.state = JobState.SUCCEEDED
        if job.total is not None:
            job.done = job.total
        job.finished_at = job.heartbeat_at = timezone.now()
        job.save()


def fail_stale_jobs(now=None) -> int:
    """Mark failed the running jobs whose worker has stopped reporting (it was killed or its
    machine stopped), and queued ones that no worker took up in a day; returns how many."""
    now = now or timezone.now()
    stale = Job.objects.filter(
        state=JobState.RUNNING,
        heartbeat_at__lt=now - timedelta(seconds=settings.JOB_STALE_AFTER),
    ) | Job.objects.filter(state=JobState.QUEUED, created_at__lt=now - timedelta(days=1))
    count = stale.update(
        state=JobState.FAILED,
        finished_at=now,
        summary=gettext_noop("Zadanie przerwano: proces, który je wykonywał, przestał działać."),
        summary_params={},
        error="stale",
    )
    if count:
        logger.warning("Marked %d stale jobs failed", count)
    return count
