"""Background review work, run by the worker as jobs of the administrator who started them."""

from django.tasks import task
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.jobs.services import running
from ssoz.reports import workflow
from ssoz.review import selectors


@task
def approve_without_warnings(*, job_id: str, user_id: int, filters: dict) -> None:
    """Approve every report the bulk approval chose (`selectors.approvable_without_warnings`),
    one transaction each; a report returned, approved or sent again with warnings meanwhile
    is left as it is and counted."""
    with running(job_id) as job:
        user = User.objects.get(pk=user_id)
        chosen = selectors.approvable_without_warnings(user, selectors.QueueFilter(**filters))
        ids = list(chosen.values_list("pk", flat=True))
        job.advance(0, len(ids))
        approved = skipped = 0
        for done, report_id in enumerate(ids, start=1):
            try:
                workflow.approve_report(report=report_id, actor=user, only_without_warnings=True)
                approved += 1
            except workflow.WorkflowError:
                skipped += 1
            job.advance(done)
        job.finish(
            gettext_noop(
                "Zatwierdzono sprawozdań: %(approved)d; pominięto, bo zmieniły się w "
                "międzyczasie: %(skipped)d."
            ),
            {"approved": approved, "skipped": skipped},
        )
