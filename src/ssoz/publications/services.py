"""Publishing a form (publikacja formularza) and taking up an obligation: the verbs, the
preview that says what „Opublikuj” will do, and the publication itself.

Each verb checks the actor's right itself, so the pages, the commands and the API cannot differ.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ssoz.accounts.access import require_administrator
from ssoz.accounts.models import User
from ssoz.definitions.models import FormVersion
from ssoz.jobs.models import Job
from ssoz.jobs.services import start_job
from ssoz.lib.errors import DomainError
from ssoz.publications.audience import Audience
from ssoz.publications.condition import FilingCondition
from ssoz.publications.models import Obligation, Publication, period_label
from ssoz.registry.models import Entity, VerifyingOffice
from ssoz.registry.teryt import Voivodeship

# How many of the entities who would file the preview names.
PREVIEW_SAMPLE = 15


class PublishError(DomainError):
    """A publication that cannot be made; the message is for the administrator."""


@transaction.atomic
def publish_form(
    *,
    form_version,
    year: int,
    quarter: int | None,
    deadline: date,
    entities: QuerySet[Entity],
    actor: User | None,
    audience: str = "",
    month: int | None = None,
    condition: FilingCondition | None = None,
    preliminary_deadline: date | None = None,
    assignment_question: str = "",
    verifiers: Iterable[VerifyingOffice] = (),
) -> Publication:
    """Publish a form version for a period to a set of entities; their reporters then see it.

    `condition`, when the entities were chosen by one, is kept: entities that join the
    registry later and meet it get their obligations too (`oblige_joiners`). Only the central
    administrator publishes; `actor` is None only for the operator's commands on the server
    (the demo loader)."""
    if actor is not None:
        require_administrator(actor, central=True)
    data = form_version.data
    accounts = set(data.get("accounts") or ["non_financial"])
    publication = Publication.objects.create(
        form_version=form_version,
        year=year,
        quarter=quarter,
        month=month,
        deadline=deadline,
        preliminary_deadline=preliminary_deadline,
        published_by=actor,
        audience=audience[:500],
        who_files=[condition.to_json()] if condition is not None else [],
        cumulative=bool(data.get("cumulative")) and quarter is not None,
        assignment_question=assignment_question[:300],
        for_non_financial="non_financial" in accounts,
        for_financial="financial" in accounts,
        for_psychiatric_card="psychiatric_card" in accounts,
    )
    publication.verifiers.set(verifiers)
    _oblige(publication, entities)
    return publication


def _oblige(publication: Publication, entities: QuerySet[Entity]) -> int:
    """Create the obligations of those entities whose type the form is for; return how many."""
    entity_types = publication.form_version.data.get("entity_types")
    if entity_types:
        entities = entities.filter(entity_type__in=entity_types)
    created = Obligation.objects.bulk_create(
        [
            Obligation(publication=publication, entity_id=entity_id)
            for entity_id in entities.values_list("pk", flat=True).iterator()
        ],
        batch_size=2000,
    )
    return len(created)


@transaction.atomic
def add_obligations(
    *,
    publication: Publication,
    entities: QuerySet[Entity],
    actor: User | None,
    audience: str = "",
    condition: FilingCondition | None = None,
) -> int:
    """Extend a publication to further entities (ponowna publikacja); an entity already obliged
    keeps its obligation and reports as they are. A condition the entities were chosen by is
    added to the publication's (any of them makes an entity file). Returns how many
    obligations were added."""
    if actor is not None:
        require_administrator(actor, central=True)
    # The publication row is locked so that two extensions at once cannot both decide that
    # the same entity still needs an obligation.
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("form_version")
        .get(pk=publication.pk)
    )
    added = _oblige(publication, entities.exclude(obligations__publication=publication))
    if condition is not None and condition.to_json() not in publication.who_files:
        publication.who_files = [*publication.who_files, condition.to_json()]
        publication.save(update_fields=["who_files"])
    if added and audience:
        publication.audience = "; ".join(filter(None, [publication.audience, audience]))[:500]
        publication.save(update_fields=["audience"])
    return added


def open_for_joiners(today: date | None = None) -> QuerySet[Publication]:
    """The publications that entities joining the registry still get: chosen by a condition,
    with the period open and the deadline not passed."""
    today = today or timezone.localdate()
    return Publication.objects.filter(closed_at__isnull=True, deadline__gte=today).exclude(
        who_files=[]
    )


def filers(publication: Publication) -> QuerySet[Entity]:
    """The active entities that meet any of the publication's conditions."""
    entity_types = publication.form_version.data.get("entity_types")
    conditions = publication.filing_conditions()
    if not conditions:
        return Entity.objects.none()
    matches = conditions[0].as_q()
    for condition in conditions[1:]:
        matches |= condition.as_q()
    entities = Entity.objects.filter(is_active=True).filter(matches)
    if entity_types:
        entities = entities.filter(entity_type__in=entity_types)
    return entities


def oblige_joiners(*, entities: QuerySet[Entity] | None = None, today: date | None = None) -> int:
    """Give entities that joined the registry (or changed so that they now meet a condition)
    the obligations of the open publications they meet; `entities` narrows the look to
    some. An obligation once created, exempted ones included, is never created again.
    Returns how many were created. Run by `run_periodic` and after a registry import."""
    added = 0
    for publication in open_for_joiners(today).select_related("form_version"):
        with transaction.atomic():
            locked = Publication.objects.select_for_update(of=("self",)).get(pk=publication.pk)
            locked.form_version = publication.form_version
            candidates = filers(locked).exclude(obligations__publication=locked)
            if entities is not None:
                candidates = candidates.filter(pk__in=entities.values("pk"))
            added += _oblige(locked, candidates)
    return added


@transaction.atomic
def activate_obligation(
    *, obligation: Obligation, actor: User, ip_address: str | None = None
) -> Obligation:
    """„aktywuj”: the reporter takes up the obligation; next she chooses how to report.

    Only a reporter whose account may fill the form activates it (the obligation's
    visibility rule, applied to the locked row itself); anybody else gets 403 or 404."""
    if not actor.is_reporter:
        raise PermissionDenied
    obligation = (
        Obligation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=obligation.pk)
        .first()
    )
    if obligation is None:
        raise Http404
    if obligation.activated_at is None:
        obligation.activated_at = timezone.now()
        obligation.activated_by = actor
        # Taken up, with no report yet: being filled (reports.obligation_state).
        obligation.state = max(obligation.state, 1)
        obligation.save(update_fields=["activated_at", "activated_by", "state"])
    return obligation


def start_recheck(*, publication: Publication, actor: User) -> Job:
    """Start the job that runs every rule again over the publication's sent reports (only the
    central administrator, who sees them all)."""
    # Imported here: the task module imports the reports' workflow, which imports this one.
    from ssoz.publications.tasks import recheck_publication

    require_administrator(actor, central=True)
    return start_job(
        task=recheck_publication,
        user=actor,
        title=gettext_noop("Ponowne sprawdzenie sprawozdań: %(form)s, %(period)s"),
        title_params=publication.title_params(),
        publication_id=publication.pk,
        user_id=actor.pk,
    )


def change_deadline(*, publication: Publication, actor: User, deadline: date) -> Publication:
    """The programme's deadline moves (as MZ-88's did: 2 March 2018, 1 March 2019, 11 March
    2022, 10 April 2023): the reporters' lists and the completeness pages follow it."""
    require_administrator(actor, central=True)
    Publication.objects.filter(pk=publication.pk).update(deadline=deadline)
    publication.deadline = deadline
    return publication


def set_period_closed(*, publication: Publication, actor: User, closed: bool) -> None:
    """„Zamknij okres”: after it, the period's reports change only through corrections that
    administrators open (and „Otwórz okres” undoes it)."""
    require_administrator(actor, central=True)
    publication.closed_at = timezone.now() if closed else None
    Publication.objects.filter(pk=publication.pk).update(closed_at=publication.closed_at)


def set_needs_acceptance(*, publication: Publication, actor: User, required: bool) -> None:
    """Whether the publication's reports need the central administrator's acceptance after the
    office's approval (the second level). Reports already accepted stay accepted."""
    require_administrator(actor, central=True)
    Publication.objects.filter(pk=publication.pk).update(needs_acceptance=required)
    publication.needs_acceptance = required


def default_deadline(
    form_version: FormVersion, year: int, quarter: int | None, month: int | None = None
) -> date | None:
    """The deadline the form's definition sets for the period, if it sets one."""
    rule = form_version.compiled().deadline
    return rule.due(year, quarter, month) if rule is not None else None


def published_for_period(
    form_version: FormVersion, year: int, quarter: int | None, month: int | None = None
) -> Publication | None:
    """The publication of this form (any of its versions) for the period, if there is one."""
    return (
        Publication.objects.filter(
            form_version__definition_id=form_version.definition_id,
            year=year,
            quarter=quarter,
            month=month,
        )
        .select_related("form_version__definition")
        .first()
    )


@dataclass
class Preview:
    """What „Opublikuj” would do: how many entities get the obligation, how many have it."""

    form_version: FormVersion
    year: int
    quarter: int | None
    deadline: date
    default_deadline: date | None
    audience: Audience
    chosen: int
    already: int
    existing: Publication | None
    key: str
    # Who would file: the count per voivodeship, and the first few entities by name.
    by_voivodeship: list[tuple[str, int]]
    sample: list[Entity]
    preliminary_deadline: date | None = None
    month: int | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.quarter, self.month)

    @property
    def added(self) -> int:
        return self.chosen - self.already

    @property
    def other_version(self) -> bool:
        """The period is taken by another version of the same form."""
        return self.existing is not None and self.existing.form_version_id != self.form_version.pk

    @property
    def can_publish(self) -> bool:
        return not self.other_version and self.added > 0


def preview_publication(
    *,
    form_version: FormVersion,
    year: int,
    quarter: int | None,
    deadline: date,
    audience: Audience,
    inputs: dict,
    actor: User,
    preliminary_deadline: date | None = None,
    month: int | None = None,
) -> Preview:
    """Count the entities a publication would oblige; `inputs` are what the administrator chose,
    and the preview's key changes when any of them (or the publication found) changes. Only
    the central administrator publishes, so only she previews."""
    require_administrator(actor, central=True)
    existing = published_for_period(form_version, year, quarter, month)
    chosen = audience.entities.count()
    already = audience.entities.filter(obligations__publication=existing).count() if existing else 0
    by_voivodeship = [
        (Voivodeship(row["voivodeship"]).label, row["count"])
        for row in audience.entities.order_by("voivodeship")
        .values("voivodeship")
        .annotate(count=Count("pk"))
        if row["voivodeship"] in Voivodeship.values
    ]
    sample = list(
        audience.entities.order_by("name", "pk").only(
            "name", "regon", "entity_type", "city", "teryt", "nfz_contract"
        )[:PREVIEW_SAMPLE]
    )
    return Preview(
        month=month,
        preliminary_deadline=preliminary_deadline,
        by_voivodeship=by_voivodeship,
        sample=sample,
        form_version=form_version,
        year=year,
        quarter=quarter,
        deadline=deadline,
        default_deadline=default_deadline(form_version, year, quarter, month),
        audience=audience,
        chosen=chosen,
        already=already,
        existing=existing,
        key=preview_key(form_version, inputs, existing),
    )


def preview_key(form_version: FormVersion, inputs: dict, existing: Publication | None) -> str:
    """A fingerprint of a preview: „Opublikuj” publishes only what the administrator saw."""
    canonical = json.dumps(
        {"version": form_version.pk, "existing": existing.pk if existing else None, **inputs},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Published:
    publication: Publication
    added: int
    extended: bool


def publish(
    *,
    form_version: FormVersion,
    year: int,
    quarter: int | None,
    deadline: date,
    audience: Audience,
    actor: User,
    extend: bool = False,
    preliminary_deadline: date | None = None,
    assignment_question: str = "",
    verifiers: Iterable[VerifyingOffice] = (),
    month: int | None = None,
) -> Published:
    """„Opublikuj”: publish the form for the period to the audience.

    A period already published is refused, unless `extend` says the administrator saw that in
    the preview and chose to add the newly chosen entities to that publication (its deadline
    stays). Another version of the same form for the same period is always refused: reporters
    would get the same form twice.
    """
    existing = published_for_period(form_version, year, quarter, month)
    if existing is not None:
        if existing.form_version_id != form_version.pk:
            raise PublishError(
                _(
                    "Formularz %(code)s jest już opublikowany za okres %(period)s w wersji "
                    "%(version)s. Za jeden okres można opublikować tylko jedną wersję."
                ),
                {
                    "code": existing.form_version.definition.code,
                    "period": existing.period_label,
                    "version": existing.form_version.version,
                },
            )
        if not extend:
            raise _already_published(existing)
        added = add_obligations(
            publication=existing,
            entities=audience.entities,
            actor=actor,
            audience=audience.description,
            condition=audience.condition,
        )
        return Published(publication=existing, added=added, extended=True)
    if not audience.entities.exists():
        raise PublishError(
            _("Nie wybrano żadnego podmiotu: nie ma komu opublikować formularza."), status=400
        )
    try:
        # A savepoint of its own: a concurrent publication of the same period fails on the
        # unique constraint, and the caller's transaction must stay usable after that.
        with transaction.atomic():
            publication = publish_form(
                form_version=form_version,
                year=year,
                quarter=quarter,
                month=month,
                deadline=deadline,
                entities=audience.entities,
                actor=actor,
                audience=audience.description,
                condition=audience.condition,
                preliminary_deadline=preliminary_deadline,
                assignment_question=assignment_question,
                verifiers=verifiers,
            )
    except IntegrityError:
        existing = published_for_period(form_version, year, quarter, month)
        if existing is not None:
            raise _already_published(existing) from None
        raise PublishError(_("Nie udało się opublikować formularza. Spróbuj ponownie.")) from None
    return Published(publication=publication, added=publication.obligations.count(), extended=False)


def _already_published(existing: Publication) -> PublishError:
    return PublishError(
        _(
            "Ten formularz jest już opublikowany za okres %(period)s (termin %(deadline)s). "
            "Nie można go opublikować drugi raz; w podglądzie można dodać do tej publikacji "
            "nowe podmioty."
        ),
        {"period": existing.period_label, "deadline": existing.deadline.strftime("%d.%m.%Y")},
    )


class ExemptionError(DomainError):
    """An exemption that cannot be given or lifted; the message is for the administrator."""


@transaction.atomic
def exempt_obligation(*, obligation: Obligation | int, actor: User, reason: str) -> Obligation:
    """„Zwolnij z obowiązku”: the entity need not send this form (it closed, or it does not
    have the activity); it is no longer counted, listed as not sent, or reminded, and its
    reporters no longer see the form. An administrator who sees the obligation does it (her
    voivodeship's, or any for the central one), with a reason the entity's record keeps."""
    require_administrator(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise ExemptionError(_("Podaj powód zwolnienia z obowiązku."), status=400)
    locked = _lock_obligation(obligation, actor)
    if locked.is_met():
        raise ExemptionError(
            _(
                "Podmiot przekazał już sprawozdanie na tym formularzu: obowiązek jest spełniony "
                "i nie można z niego zwolnić."
            )
        )
    locked.exempt(by=actor, reason=reason)
    return locked


@transaction.atomic
def lift_exemption(*, obligation: Obligation | int, actor: User) -> Obligation:
    """„Cofnij zwolnienie”: the obligation is chased again, and its reporters see the form."""
    require_administrator(actor)
    locked = _lock_obligation(obligation, actor)
    locked.lift_exemption()
    return locked


def _lock_obligation(obligation: Obligation | int, actor: User) -> Obligation:
    obligation_id = obligation if isinstance(obligation, int) else obligation.pk
    locked = (
        Obligation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("entity", "publication__form_version__definition")
        .filter(pk=obligation_id)
        .first()
    )
    if locked is None:
        raise Http404
    return locked
