"""Reminders to the entities that have not sent: by an administrator's click, as a job, and
automatically some days before the deadline (`run_periodic`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from ssoz.accounts.models import User
from ssoz.completeness import selectors
from ssoz.completeness.models import Reminder
from ssoz.jobs.models import Job
from ssoz.jobs.services import start_job
from ssoz.lib.emails import send_templated_mail
from ssoz.publications.models import Publication
from ssoz.registry.models import Entity

# Entities reminded in one transaction: the publication stays locked no longer than that.
_CHUNK = 200


@dataclass
class RemindResult:
    reminded: int = 0
    already_today: int = 0  # reminded earlier today: not again
    without_address: int = 0  # no reporter may fill the form and the registry has no e-mail

    def to_dict(self) -> dict[str, int]:
        return {
            "reminded": self.reminded,
            "already_today": self.already_today,
            "without_address": self.without_address,
        }


def to_remind(scope: selectors.Scope, today: date | None = None):
    """The entities of the scope that have not sent and were not reminded today."""
    reminded_today = Reminder.objects.filter(
        publication=scope.publication, day=today or timezone.localdate()
    ).values("entity_id")
    return selectors.not_reported(scope).exclude(entity_id__in=reminded_today)


def start_reminders(
    *, publication: Publication, actor: User, voivodeship: str | None = None
) -> Job:
    """„Wyślij przypomnienie”: the job that mails every entity of the administrator's scope
    that has not sent (403 for anybody but an administrator)."""
    # Imported here: the task module imports this one.
    from ssoz.completeness.tasks import send_reminders

    scope = selectors.scope_for(actor, publication, voivodeship)
    return start_job(
        task=send_reminders,
        user=actor,
        title=gettext_noop("Przypomnienia o sprawozdaniu: %(form)s, %(period)s"),
        title_params=publication.title_params(),
        publication_id=publication.pk,
        user_id=actor.pk,
        voivodeship=scope.voivodeship,
    )


def remind(
    *,
    scope: selectors.Scope,
    actor: User | None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RemindResult:
    """Mail every entity of `scope` that has not sent: its active reporters whose accounts
    may fill the form, or, when it has none, the registry's contact address. Each entity is
    reminded at most once a day about a publication, and each reminder is logged; `actor`
    None is the automatic reminder, which reaches an entity once per publication."""
    today = today or timezone.localdate()
    publication = scope.publication
    pending = to_remind(scope, today)
    result = RemindResult(already_today=selectors.not_reported(scope).count() - pending.count())
    if actor is None:
        automatic = Reminder.objects.filter(publication=publication, automatic=True)
        pending = pending.exclude(entity_id__in=automatic.values("entity_id"))
    entity_ids = list(pending.values_list("entity_id", flat=True))
    if progress:
        progress(0, len(entity_ids))
    for start in range(0, len(entity_ids), _CHUNK):
        chunk = entity_ids[start : start + _CHUNK]
        _remind_chunk(publication, chunk, actor, today, result)
        if progress:
            progress(min(start + _CHUNK, len(entity_ids)), len(entity_ids))
    return result


@transaction.atomic
def _remind_chunk(
    publication: Publication,
    entity_ids: list[int],
    actor: User | None,
    today: date,
    result: RemindResult,
) -> None:
    # The publication's row is locked, so two reminder runs (a click and the periodic
    # command) see each other's reminders of today and never mail an entity twice.
    Publication.objects.select_for_update().filter(pk=publication.pk).first()
    already = set(
        Reminder.objects.filter(
            publication=publication, day=today, entity_id__in=entity_ids
        ).values_list("entity_id", flat=True)
    )
    result.already_today += len(already)
    entities = list(
        Entity.objects.filter(pk__in=set(entity_ids) - already)
        .only("pk", "name", "regon", "email", "phone")
        .order_by("pk")
    )
    found = selectors.contacts(publication, entities)
    reminders = []
    now = timezone.now()
    for entity in entities:
        contact = found[entity.pk]
        if not contact.reachable:
            result.without_address += 1
            continue
        reminders.append(
            Reminder(
                publication=publication,
                entity=entity,
                day=today,
                sent_at=now,
                sent_to=", ".join(contact.emails),
                to_registry_address=contact.from_registry,
                sent_by=actor,
                automatic=actor is None,
            )
        )
        context = _mail_context(publication, entity, today)
        for address in contact.emails:
            send_templated_mail("reminder", address, context)
    Reminder.objects.bulk_create(reminders)
    result.reminded += len(reminders)


def _mail_context(publication: Publication, entity: Entity, today: date) -> dict:
    definition = publication.form_version.definition
    return {
        "entity": entity,
        "code": definition.code,
        "title": definition.title_pl,
        "period": publication.period_label,
        "deadline": publication.deadline,
        "days_left": publication.days_left(today),
        "days_late": -publication.days_left(today),
        "reports_url": settings.SITE_URL + reverse("reports:list"),
    }


def publications_due_for_reminders(today: date | None = None):
    """The publications whose deadline is at most `SSOZ_REMINDER_DAYS_BEFORE` days away and
    not yet past; none when that setting is 0."""
    today = today or timezone.localdate()
    days = settings.SSOZ_REMINDER_DAYS_BEFORE
    if days <= 0:
        return Publication.objects.none()
    return (
        Publication.objects.filter(deadline__gte=today, deadline__lte=today + timedelta(days))
        .select_related("form_version__definition")
        .defer("form_version__data", "form_version__source")
        .order_by("deadline", "pk")
    )


def send_due_reminders(today: date | None = None) -> int:
    """The automatic reminder: every entity that has not sent a publication whose deadline
    is near is mailed once (from the first run of `run_periodic` in that window). Returns
    how many entities were reminded."""
    reminded = 0
    for publication in publications_due_for_reminders(today):
        reminded += remind(scope=selectors.Scope(publication), actor=None, today=today).reminded
    return reminded
