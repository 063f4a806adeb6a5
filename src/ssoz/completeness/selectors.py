"""What administrators read about a publication's completeness: the obliged entities counted
by state per voivodeship, county or entity type, and the list of those that have not sent,
with their contacts. Every read is scoped like the obligations themselves: a regional
administrator's voivodeship, or the country (or one chosen voivodeship) for the central one.

The unit counted is always the entity (podmiot): an entity reporting for several
organisational units is in the state of its least advanced report.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import require_administrator
from ssoz.accounts.models import Role, User
from ssoz.completeness.models import EntityState
from ssoz.publications.models import Obligation, Publication, accounts_allowed_for_form
from ssoz.registry.models import Entity, EntityType
from ssoz.registry.teryt import Voivodeship
from ssoz.reports.models import ReportEvent, Status
from ssoz.reports.obligation_state import NOT_ACTIVATED, SENT_ONCE, STATUS_RANK

# The groupings of the counts, by their name in the address, with the entity's column.
GROUPINGS = {
    "wojewodztwo": ("voivodeship", _("województwo")),
    "powiat": ("county", _("powiat")),
    "typ": ("entity_type", _("typ jednostki")),
}
# An entity's state from its obligation's rank (`reports.obligation_state`).
_RANKED = {
    NOT_ACTIVATED: EntityState.NOT_ACTIVATED,
    STATUS_RANK[Status.DRAFT]: EntityState.FILLING,
    STATUS_RANK[Status.RETURNED]: EntityState.RETURNED,
    STATUS_RANK[Status.SENT]: EntityState.SENT,
    STATUS_RANK[Status.APPROVED]: EntityState.APPROVED,
}


@dataclass(frozen=True)
class Scope:
    """A publication as one administrator reads it: one voivodeship, or the whole country."""

    publication: Publication
    voivodeship: str | None = None

    @property
    def voivodeship_label(self) -> str:
        return str(Voivodeship(self.voivodeship).label) if self.voivodeship else ""

    def obligations(self) -> QuerySet[Obligation]:
        obligations = Obligation.objects.filter(publication=self.publication)
        if self.voivodeship:
            obligations = obligations.filter(entity__voivodeship=self.voivodeship)
        return obligations


def get_publication_for_admin(user: User, publication_id: int) -> Publication:
    """A publication whose completeness an administrator may read: 403 for anybody else, 404
    when there is none."""
    require_administrator(user)
    found = (
        Publication.objects.visible_to(user)
        .select_related("form_version__definition")
        .defer("form_version__data", "form_version__source")
        .filter(pk=publication_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_obligation_for_admin(user: User, obligation_id: int) -> Obligation:
    """An obligation an administrator may see (her voivodeship's, or any for the central
    one): 403 for anybody else, 404 when there is none she may see."""
    require_administrator(user)
    found = (
        Obligation.objects.visible_to(user)
        .select_related("entity", "publication__form_version__definition")
        .defer("publication__form_version__data", "publication__form_version__source")
        .filter(pk=obligation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def entity_state(obligation: Obligation) -> EntityState:
    """An obligation's state as the completeness pages name it: exempted, or the state of its
    least advanced report (`reports.obligation_state`)."""
    if obligation.exempted_at is not None:
        return EntityState.EXEMPTED
    return _RANKED[obligation.state]


# Verifying a report only checks it: nothing of the report or its obligation changes.
_UNCHANGING = (ReportEvent.Kind.VERIFIED,)


def _changes_after(scope: "Scope", since: datetime) -> QuerySet[ReportEvent]:
    # A decision (approve, return, accept) leaves no time on the report itself, only its row
    # in the audit trail; the trail's index on `at` finds what happened since a recent moment
    # without reading the publication's other reports.
    return ReportEvent.objects.filter(at__gt=since, report__publication=scope.publication).exclude(
        kind__in=_UNCHANGING
    )


def changed_since(scope: "Scope", since: datetime) -> QuerySet[Obligation]:
    """The scope's obligations that changed after `since`: taken up or exempted since, or
    with a report created, saved, sent, decided on or corrected since."""
    return scope.obligations().filter(
        Q(activated_at__gt=since)
        | Q(exempted_at__gt=since)
        | Q(pk__in=_changes_after(scope, since).values("report__obligation_id"))
    )


def last_changes(obligations: Iterable[Obligation]) -> dict[int, datetime]:
    """When each obligation last changed (taken up, exempted, or any of its reports), in
    one query however many obligations; an obligation nothing happened to since it was
    published is not in the answer."""
    obligations = list(obligations)
    found: dict[int, datetime] = {}
    rows = (
        ReportEvent.objects.filter(report__obligation__in=[o.pk for o in obligations])
        .exclude(kind__in=_UNCHANGING)
        .order_by()
        .values_list("report__obligation_id")
        .annotate(last=Max("at"))
    )
    found.update(rows)
    for obligation in obligations:
        moments = [found.get(obligation.pk), obligation.activated_at, obligation.exempted_at]
        known = [moment for moment in moments if moment is not None]
        if known:
            found[obligation.pk] = max(known)
    return found


def exempted(scope: "Scope") -> QuerySet[Obligation]:
    """The scope's exempted obligations, by entity name."""
    return (
        scope.obligations()
        .filter(exempted_at__isnull=False)
        .select_related("entity", "exempted_by")
        .order_by("entity__name", "pk")
    )


def scope_for(user: User, publication: Publication, voivodeship: str | None = None) -> Scope:
    """What `user` reads of `publication`: a regional administrator always her voivodeship
    (whatever was asked for), the central administrator the country or the voivodeship she
    chose; 403 for anybody else."""
    require_administrator(user)
    if user.is_central_admin:
        return Scope(publication, voivodeship or None)
    return Scope(publication, user.voivodeship)


@dataclass
class GroupCounts:
    """The obliged entities of one group (a voivodeship, a county, an entity type) by state,
    with how many sent by the deadline and how many after it."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EntityState.values, 0))
    on_time: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        """The obliged entities, without the exempted ones."""
        return sum(self.counts.values()) - self.counts[EntityState.EXEMPTED]

    @property
    def not_sent(self) -> int:
        return sum(self.counts[state] for state in EntityState.not_sent())

    @property
    def by_state(self) -> list[tuple[str, int]]:
        """The counts in the order of the states, the least advanced first."""
        return [(state, self.counts[state]) for state in EntityState.values]

    @property
    def timeliness(self) -> float | None:
        """The share of the obliged entities whose first sending came by the deadline, in
        per cent; None for an empty group."""
        return 100 * self.on_time / self.total if self.total else None

    def add_row(self, rank: int, count: int, exempted: int, on_time: int, late: int) -> None:
        self.counts[_RANKED[rank]] += count
        self.counts[EntityState.EXEMPTED] += exempted
        self.on_time += on_time
        self.late += late

    def add(self, other: "GroupCounts") -> None:
        for state, count in other.counts.items():
            self.counts[state] += count
        self.on_time += other.on_time
        self.late += other.late


def _group_label(grouping: str, key: str) -> str:
    if grouping == "wojewodztwo":
        return str(Voivodeship(key).label) if key in Voivodeship.values else key
    if grouping == "typ":
        return str(EntityType(key).label) if key in EntityType.values else key
    voivodeship = key[:2]
    name = Voivodeship(voivodeship).label if voivodeship in Voivodeship.values else ""
    return f"{key} ({name})" if name else key


def state_counts(scope: Scope, grouping: str) -> list[GroupCounts]:
    """The scope's obliged entities by state, one row per group, in one query over the
    obligations' own states (`reports.obligation_state`), by the index on (publication,
    state), joined to the entities for the grouping."""
    column = "entity__" + GROUPINGS[grouping][0]  # from the fixed table, never the request
    groups: dict[str, GroupCounts] = {}
    for key, state, count, exempted, on_time, late in _state_rows(scope.obligations(), column):
        group = groups.setdefault(key, GroupCounts(key, _group_label(grouping, key)))
        group.add_row(state, count, exempted, on_time, late)
    return sorted(groups.values(), key=lambda group: group.label)


def states_by_publication(
    publication_ids: list[int], voivodeship: str | None = None
) -> dict[int, GroupCounts]:
    """The obliged entities of each publication by state, over the country or one
    voivodeship, in one query however many publications: the publications list's counts,
    all of entities, like the completeness page's."""
    obligations = Obligation.objects.filter(publication_id__in=publication_ids)
    if voivodeship:
        obligations = obligations.filter(entity__voivodeship=voivodeship)
    counted: dict[int, GroupCounts] = {}
    for key, state, count, exempted, on_time, late in _state_rows(obligations, "publication_id"):
        group = counted.setdefault(key, GroupCounts(str(key), ""))
        group.add_row(state, count, exempted, on_time, late)
    return counted


def _state_rows(obligations: QuerySet[Obligation], group_by: str):
    """(group, state rank, entities obliged, exempted, sent on time, sent late) per group
    and state; `group_by` is a fixed field path of the callers above."""
    obliged = Q(exempted_at__isnull=True)
    sent_once = obliged & Q(state__gte=SENT_ONCE)
    return (
        obligations.order_by()
        .values_list(group_by, "state")
        .annotate(
            count=Count("pk", filter=obliged),
            exempted=Count("pk", filter=~obliged),
            on_time=Count("pk", filter=sent_once & Q(sent_late=False)),
            late=Count("pk", filter=sent_once & Q(sent_late=True)),
        )
    )


def total_of(groups: Iterable[GroupCounts]) -> GroupCounts:
    total = GroupCounts("", str(_("Razem")))
    for group in groups:
        total.add(group)
    return total


@dataclass(frozen=True)
class NotReportedFilter:
    state: str | None = None  # EntityState.NOT_ACTIVATED or FILLING
    entity_type: str | None = None
    county: str | None = None


def not_reported(scope: Scope, filters: NotReportedFilter | None = None) -> QuerySet[Obligation]:
    """The scope's obligations whose entity has not sent: not activated, or with a report
    still to be filled (never sent), or activated with no report yet; by entity name.

    Read from the obligations' own states (`reports.obligation_state`)."""
    filters = filters or NotReportedFilter()
    obligations = scope.obligations().filter(exempted_at__isnull=True, state__lt=SENT_ONCE)
    if filters.state == EntityState.NOT_ACTIVATED:
        obligations = obligations.filter(activated_at__isnull=True)
    elif filters.state == EntityState.FILLING:
        obligations = obligations.filter(activated_at__isnull=False)
    if filters.entity_type:
        obligations = obligations.filter(entity__entity_type=filters.entity_type)
    if filters.county:
        obligations = obligations.filter(entity__county=filters.county)
    return obligations.select_related("entity").order_by("entity__name", "pk")


@dataclass(frozen=True)
class Contact:
    """Where an entity is reached about a form: its reporters whose accounts may fill it,
    or, when it has none, the registry's contact address."""

    emails: tuple[str, ...]
    phones: tuple[str, ...]
    from_registry: bool

    @property
    def reachable(self) -> bool:
        return bool(self.emails)


def contacts(publication: Publication, entities: Iterable[Entity]) -> dict[int, Contact]:
    """Each entity's contact for the publication's form, in one query however many entities:
    its active reporters whose accounts may fill the form, else the registry's e-mail."""
    entities = list(entities)
    reporters: dict[int, list[tuple[str, str]]] = {}
    rows = (
        User.objects.filter(
            entity_id__in=[entity.pk for entity in entities], is_active=True, role=Role.REPORTER
        )
        .filter(accounts_allowed_for_form(publication))
        .exclude(email="")
        .order_by("entity_id", "pk")
        .values_list("entity_id", "email", "phone")
    )
    for entity_id, email, phone in rows:
        reporters.setdefault(entity_id, []).append((email, phone))
    found = {}
    for entity in entities:
        accounts = reporters.get(entity.pk)
        if accounts:
            emails = tuple(dict.fromkeys(email for email, _phone in accounts))
            phones = tuple(dict.fromkeys(phone for _email, phone in accounts if phone))
            found[entity.pk] = Contact(emails, phones or _registry_phone(entity), False)
        else:
            emails = (entity.email,) if entity.email else ()
            found[entity.pk] = Contact(emails, _registry_phone(entity), True)
    return found


def _registry_phone(entity: Entity) -> tuple[str, ...]:
    return (entity.phone,) if entity.phone else ()


@dataclass(frozen=True)
class DaysToDeadline:
    """How far the deadline is: days left, or (once it has passed) days late."""

    days: int

    @property
    def is_past(self) -> bool:
        return self.days < 0

    @property
    def left(self) -> int:
        return max(self.days, 0)

    @property
    def late(self) -> int:
        return max(-self.days, 0)

    def __str__(self) -> str:
        return str(self.days)


def days_to_deadline(publication: Publication, today: date | None = None) -> DaysToDeadline:
    return DaysToDeadline(publication.days_left(today or timezone.localdate()))


@dataclass(frozen=True)
class NotReportedRow:
    """One line of the list of entities that have not sent."""

    obligation: Obligation
    contact: Contact

    @property
    def entity(self) -> Entity:
        return self.obligation.entity

    @property
    def state(self) -> EntityState:
        if self.obligation.activated_at is None:
            return EntityState.NOT_ACTIVATED
        return EntityState.FILLING


def with_contacts(
    publication: Publication, obligations: Iterable[Obligation]
) -> list[NotReportedRow]:
    """The obligations (of one page, or one chunk of an export) with their entities'
    contacts, read in one query."""
    obligations = list(obligations)
    found = contacts(publication, [obligation.entity for obligation in obligations])
    return [NotReportedRow(obligation, found[obligation.entity_id]) for obligation in obligations]
