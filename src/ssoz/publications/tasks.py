"""Background work on publications, run by the worker as jobs of the person who started them."""

from django.db.models import Q
from django.tasks import task
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.jobs.services import running
from ssoz.publications.models import Publication
from ssoz.reports import workflow
from ssoz.reports.models import Report, Status

# The reports with problems listed in the result; beyond that, their count.
MAX_LISTED = 200
_CHUNK = 500


@task
def recheck_publication(*, job_id: str, publication_id: int, user_id: int) -> None:
    """Run every rule again over the sent and approved reports of a publication, as the
    person who asked sees them, and list those that no longer pass: new errors, or warnings
    without an explanation (last period's report may have been corrected since)."""
    with running(job_id) as job:
        user = User.objects.get(pk=user_id)
        publication = Publication.objects.visible_to(user).get(pk=publication_id)
        reports = (
            Report.objects.visible_to(user)
            .filter(publication=publication)
            .filter(Q(status=Status.SENT) | Q(status=Status.APPROVED))
            .select_related("publication__form_version", "obligation__entity", "unit")
            .order_by("pk")
        )
        total = reports.count()
        job.advance(0, total)
        with_errors = with_warnings = 0
        listed: list[dict] = []
        for done, report in enumerate(reports.iterator(chunk_size=_CHUNK), start=1):
            result = workflow.check_report(report)
            unexplained = workflow.unexplained_warnings(report, result)
            if result.errors:
                with_errors += 1
            if unexplained:
                with_warnings += 1
            if (result.errors or unexplained) and len(listed) < MAX_LISTED:
                listed.append(
                    {
                        "report": report.pk,
                        "subject": report.subject,
                        "regon": report.obligation.entity.regon,
                        "status": report.status,
                        "errors": len(result.errors),
                        "unexplained": len(unexplained),
                    }
                )
            job.advance(done)
        job.finish(
            gettext_noop(
                "Sprawdzono sprawozdań: %(total)d; z błędami: %(errors)d; "
                "z niewyjaśnionymi ostrzeżeniami: %(warnings)d."
            ),
            {"total": total, "errors": with_errors, "warnings": with_warnings},
            {"reports": listed, "more": max(0, with_errors + with_warnings - len(listed))},
        )
