"""Background review work, run by the worker as jobs of the administrator who started them."""

from django.tasks import task
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.definitions.models import RuleCorrection
from ssoz.jobs.services import running
from ssoz.reports import cross_form, workflow
from ssoz.reports.models import Report
from ssoz.review import selectors

# The reports that changed state listed in the result; beyond that, their count.
MAX_LISTED = 200
_CHUNK = 500


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


@task
def revalidate_after_correction(
    *, job_id: str, correction_id: int, user_id: int, notify: bool
) -> None:
    """Check every report of a version whose rules were corrected, by the rules before and
    after, as the administrator sees them; list those that changed state (a new error, or a
    new warning still to explain), and, if she chose so, mail the reporters of those still
    being filled in, who can act on it."""
    with running(job_id) as job:
        user = User.objects.get(pk=user_id)
        correction = RuleCorrection.objects.get(pk=correction_id)
        before = correction.previous_form()
        reports = (
            Report.objects.visible_to(user)
            .filter(publication__form_version_id=correction.form_version_id)
            .with_form_key()
            .with_period_key()
            .select_related("publication", "obligation__entity", "unit")
            .order_by("pk")
        )
        total = reports.count()
        job.advance(0, total)
        listed: list[dict] = []
        changed = mailed = 0
        for done, report in enumerate(reports.iterator(chunk_size=_CHUNK), start=1):
            after = report.compiled_form()
            needs_previous = after.needs_previous("verify") or before.needs_previous("verify")
            previous = workflow.previous_values(report) if needs_previous else {}
            # The publication came with the report: its period costs no query.
            period = report.publication.period_dates()
            others = workflow.others_of(report, after)
            old = before.check(
                report.values, previous, stage="verify", period=period, others=others
            )
            new = after.check(report.values, previous, stage="verify", period=period, others=others)
            errors = _rules(new.errors) - _rules(old.errors)
            warnings = _rules(workflow.unexplained_warnings(report, new)) - _rules(
                workflow.unexplained_warnings(report, old)
            )
            if errors or warnings:
                changed += 1
                if len(listed) < MAX_LISTED:
                    listed.append(
                        {
                            "report": report.pk,
                            "subject": report.subject,
                            "regon": report.obligation.entity.regon,
                            "status": report.status,
                            "errors": sorted(errors),
                            "warnings": sorted(warnings),
                        }
                    )
                if notify and report.is_editable:
                    mailed += workflow.mail_reporters(
                        report,
                        "rules-corrected",
                        {"errors": len(new.errors), "warnings": len(warnings)},
                    )
            job.advance(done)
        job.finish(
            gettext_noop(
                "Sprawdzono sprawozdań: %(total)d; zmieniło stan: %(changed)d; "
                "powiadomiono sprawozdawców: %(mailed)d."
            ),
            {"total": total, "changed": changed, "mailed": mailed},
            {"reports": listed, "more": max(0, changed - len(listed))},
        )


@task
def revalidate_readers(*, job_id: str, report_id: int, user_id: int) -> None:
    """Check again, with the report just sent, the sent and approved reports of the same
    entity and period whose rules read its form (`cross_form.readers_of`), and list those that
    no longer pass: errors, or warnings without an explanation."""
    with running(job_id) as job:
        report = Report.objects.get(pk=report_id)
        readers = (
            cross_form.readers_of(report)
            .with_form_key()
            .select_related("publication__form_version__definition", "obligation__entity", "unit")
        )
        total = readers.count()
        job.advance(0, total)
        listed: list[dict] = []
        failing = 0
        for done, reader in enumerate(readers, start=1):
            result = workflow.check_report(reader)
            unexplained = workflow.unexplained_warnings(reader, result)
            if result.errors or unexplained:
                failing += 1
                if len(listed) < MAX_LISTED:
                    listed.append(
                        {
                            "report": reader.pk,
                            "form": reader.publication.form_version.definition.code,
                            "subject": reader.subject,
                            "status": reader.status,
                            "errors": sorted(_rules(result.errors)),
                            "warnings": sorted(_rules(unexplained)),
                        }
                    )
            job.advance(done)
        job.finish(
            gettext_noop(
                "Sprawdzono sprawozdań, które czytają to sprawozdanie: %(total)d; nie "
                "przechodzi sprawdzenia: %(failing)d."
            ),
            {"total": total, "failing": failing},
            {"reports": listed, "more": max(0, failing - len(listed))},
        )


def _rules(findings) -> set[str]:
    return {finding.rule_id for finding in findings if finding.rule_id}
