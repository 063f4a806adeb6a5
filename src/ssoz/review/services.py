"""Review work started by an administrator and done in the background."""

from dataclasses import asdict

from django.utils.translation import gettext_noop

from ssoz.accounts.access import require_administrator
from ssoz.accounts.models import User
from ssoz.jobs.models import Job
from ssoz.jobs.services import start_job
from ssoz.review import selectors


def start_bulk_approval(*, actor: User, filters: selectors.QueueFilter) -> Job:
    """„Zatwierdź wszystkie bez ostrzeżeń”: approve, as a job, every sent report in the
    administrator's scope that the queue's filters choose and whose last sending had no
    warnings; each is approved as „Zatwierdź” approves one, and its reporters are mailed."""
    from ssoz.review.tasks import approve_without_warnings  # the task imports the workflow

    require_administrator(actor)
    return start_job(
        task=approve_without_warnings,
        user=actor,
        title=gettext_noop("Zatwierdzenie sprawozdań bez ostrzeżeń: %(count)d"),
        title_params={"count": selectors.approvable_without_warnings(actor, filters).count()},
        user_id=actor.pk,
        filters=asdict(filters),
    )


def start_revalidation(*, correction, actor: User, notify: bool) -> Job:
    """After a correction of a version's rules: every report of that version in the
    administrator's scope checked again, as a job (`tasks.revalidate_after_correction`)."""
    from ssoz.review.tasks import revalidate_after_correction

    require_administrator(actor)
    version = correction.form_version
    return start_job(
        task=revalidate_after_correction,
        user=actor,
        title=gettext_noop("Ponowne sprawdzenie po poprawce reguł: %(form)s, wersja %(version)s"),
        title_params={"form": version.definition.code, "version": version.version},
        correction_id=correction.pk,
        user_id=actor.pk,
        notify=notify,
    )


def start_readers_revalidation(*, report, actor: User) -> Job:
    """After `report` is sent (first, or again as a correction): the sent and approved reports
    of the same entity and period whose rules read its form checked again, as a job of the
    person who sent it (`tasks.revalidate_readers`), enqueued when the transaction commits."""
    from ssoz.review.tasks import revalidate_readers

    publication = report.publication
    return start_job(
        task=revalidate_readers,
        user=actor,
        title=gettext_noop("Ponowne sprawdzenie sprawozdań, które czytają %(form)s za %(period)s"),
        title_params={
            "form": publication.form_version.definition.code,
            "period": publication.period_label,
        },
        report_id=report.pk,
        user_id=actor.pk,
    )
