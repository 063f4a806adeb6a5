"""A job's page: its progress while it runs, its summary and result once it is done."""

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.views.decorators.http import require_GET

from ssoz.jobs.models import Job
from ssoz.jobs.selectors import get_job_for_user


def result_template(job: Job) -> str | None:
    """A job kind shows its result with `jobs/results/<task name>.html`, when it has one."""
    name = job.kind.rsplit(".", 1)[-1]
    try:
        return select_template([f"jobs/results/{name}.html"]).template.name
    except TemplateDoesNotExist:
        return None


@require_GET
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "result_template": result_template(job) if job.is_finished else None},
    )


@require_GET
def job_state(request: HttpRequest, job_id: uuid.UUID) -> JsonResponse:
    """The job's state as JSON, which its page asks for every few seconds while it runs."""
    job = get_job_for_user(request.user, job_id)
    return JsonResponse(job.to_dict())
