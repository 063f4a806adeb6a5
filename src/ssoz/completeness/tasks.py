"""Reminders sent by the worker, as a job of the administrator who asked for them."""

from django.tasks import task
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.completeness import selectors, services
from ssoz.jobs.services import running
from ssoz.publications.models import Publication


@task
def send_reminders(
    *, job_id: str, publication_id: int, user_id: int, voivodeship: str | None
) -> None:
    """Mail the entities of the administrator's scope that have not sent the publication."""
    with running(job_id) as job:
        user = User.objects.get(pk=user_id)
        publication = Publication.objects.visible_to(user).get(pk=publication_id)
        # The scope is read again as the user is now: a regional administrator moved to
        # another voivodeship reminds that one, never the one she had.
        scope = selectors.scope_for(user, publication, voivodeship)
        result = services.remind(
            scope=scope, actor=user, progress=lambda done, total: job.advance(done, total)
        )
        job.finish(
            gettext_noop(
                "Wysłano przypomnienia do podmiotów: %(reminded)d; przypomniano już dziś: "
                "%(already_today)d; bez adresu e-mail: %(without_address)d."
            ),
            result.to_dict(),
            {**result.to_dict(), "publication": publication.pk},
        )
