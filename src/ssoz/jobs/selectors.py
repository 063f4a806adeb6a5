"""Who may follow which job: the person who started it, and nobody else."""

import uuid

from django.http import Http404

from ssoz.accounts.models import User
from ssoz.jobs.models import Job


def get_job_for_user(user: User, job_id: uuid.UUID) -> Job:
    """The job, if `user` started it; 404 otherwise (its existence is not told)."""
    try:
        return Job.objects.get(pk=job_id, started_by_id=user.pk)
    except Job.DoesNotExist:
        raise Http404 from None
