"""What administrators read: the review queue, a report under review, the publications with
their counts. Scoping is always the reports' visibility rule: a regional administrator sees her
voivodeship, the central administrator everything, anybody else nothing."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import User
from ssoz.definitions.models import FormDefinition
from ssoz.publications.models import Publication
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Report, ReportEvent, ReportVersion, Status
from ssoz.reports.presentation import ReportView, build_report_view

# The queue's tabs, by their slug in the address: „wysłane”, „do korekty”, „zatwierdzone”.
QUEUE_STATES = {
    "wyslane": Status.SENT,
    "do-korekty": Status.RETURNED,
    "zatwierdzone": Status.APPROVED,
}
# The decisions shown on the review page, so a reviewer sees what was said before.
DECISION_KINDS = (
    ReportEvent.Kind.SENT,
    ReportEvent.Kind.RETURNED,
    ReportEvent.Kind.APPROVED,
    ReportEvent.Kind.REOPENED,
    ReportEvent.Kind.WITHDRAWN,
    ReportEvent.Kind.REOPEN_REQUESTED,
)
_HEAVY_VERSION_FIELDS = (
    "publication__form_version__data",
    "publication__form_version__source",
)


def reports_for_review(user: User) -> QuerySet[Report]:
    """Reports sent at least once that this administrator may review; none for non-admins."""
    if not is_administrator(user):
        return Report.objects.none()
    return Report.objects.visible_to(user).exclude(status=Status.DRAFT)


def waiting_for_review(user: User) -> QuerySet[Report]:
    """Sent reports waiting for this administrator's decision."""
    return reports_for_review(user).filter(status=Status.SENT)


@dataclass(frozen=True)
class QueueFilter:
    definition_id: int | None = None
    year: int | None = None
    voivodeship: str | None = None  # the central administrator's choice only
    county: str | None = None  # TERYT, four digits
    entity_type: str | None = None
    with_warnings: bool | None = None  # in the last sent version
    search: str = ""  # REGON, name or register-book number
    sort: str = ""  # "wyslano" (default), "podmiot" or "termin"

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.definition_id:
            reports = reports.filter(publication__form_version__definition_id=self.definition_id)
        if self.year:
            reports = reports.filter(publication__year=self.year)
        if self.voivodeship:
            reports = reports.filter(voivodeship=self.voivodeship)
        if self.county:
            reports = reports.filter(obligation__entity__county=self.county)
        if self.entity_type:
            reports = reports.filter(obligation__entity__entity_type=self.entity_type)
        if self.with_warnings is not None:
            reports = (
                reports.filter(warning_count__gt=0)
                if self.with_warnings
                else reports.filter(warning_count=0)
            )
        if self.search.strip():
            reports = reports.filter(obligation__entity__in=matching_entities(self.search))
        return reports


def matching_entities(text: str) -> QuerySet[Entity]:
    """Entities found by a REGON (or its beginning), a part of the name, or the register-book
    number, as a subquery."""
    text = text.strip()
    condition = Q(name__icontains=text) | Q(register_book_number__iexact=text)
    digits = "".join(text.split())
    if digits.isdigit():
        condition |= Q(regon__startswith=digits)
    return Entity.objects.filter(condition).values("pk")


def review_queue(
    user: User, *, status: str, filters: QueueFilter, acceptance: bool = False
) -> QuerySet[Report]:
    """One tab of „Sprawozdania do weryfikacji”: by default the oldest sent report first,
    since it has waited longest, and corrected and approved ones newest first; or by entity,
    or by deadline."""
    newest_first = status != Status.SENT
    order = {
        "podmiot": ("obligation__entity__name",),
        "termin": ("publication__deadline", "sent_at"),
    }.get(filters.sort, ("-sent_at",) if newest_first else ("sent_at",))
    reports = (
        awaiting_acceptance(user, filters)
        if acceptance
        else filters.apply(reports_for_review(user).filter(status=status))
    )
    return (
        reports.select_related(
            "publication__form_version__definition", "obligation__entity", "unit"
        )
        # A list needs neither the values nor the definitions: both can be large.
        .defer("values", "explanations", "header", *_HEAVY_VERSION_FIELDS)
        .order_by(*order, "pk")
    )


def queue_page(reports: QuerySet[Report], page_number: object, per_page: int) -> Page:
    """A page of the queue: the page's keys found first, by the queue's index alone (an
    offset into keys, not into joined rows, so that page 100 costs as little as page 1), then
    the page's 50 reports with what the list shows."""
    page = Paginator(reports.values_list("pk", flat=True), per_page).get_page(page_number)
    keys = list(page.object_list)
    found = reports.filter(pk__in=keys).in_bulk()
    page.object_list = [found[key] for key in keys if key in found]
    return page


def queue_window(reports: QuerySet[Report], *, offset: int, limit: int) -> list[Report]:
    """`limit` reports of the queue from `offset`, for a caller that pages by offset (the
    API): the keys first, by the queue's index alone, then the reports, as `queue_page`."""
    keys = list(reports.values_list("pk", flat=True)[offset : offset + limit])
    found = reports.filter(pk__in=keys).in_bulk()
    return [found[key] for key in keys if key in found]


def approvable_without_warnings(user: User, filters: QueueFilter) -> QuerySet[Report]:
    """The sent reports the queue's filters choose whose last sending had no warnings: what
    „Zatwierdź wszystkie bez ostrzeżeń” approves."""
    return filters.apply(waiting_for_review(user)).filter(warning_count=0).order_by("pk")


# The second level's tab: approved reports whose publication asks for the central
# administrator's acceptance and that are not accepted yet.
AWAITING_ACCEPTANCE = "do-akceptacji"


def has_acceptance(user: User) -> bool:
    """Whether any publication the user sees asks for a second level."""
    return Publication.objects.visible_to(user).filter(needs_acceptance=True).exists()


def awaiting_acceptance(user: User, filters: QueueFilter) -> QuerySet[Report]:
    return filters.apply(reports_for_review(user)).filter(
        status=Status.APPROVED, publication__needs_acceptance=True, accepted_at__isnull=True
    )


def queue_counts(user: User, filters: QueueFilter) -> dict[str, int]:
    """How many reports each tab holds, in one query; grouped by state, it reads only the
    queue's index."""
    rows = (
        filters.apply(reports_for_review(user))
        .order_by()
        .values("status")
        .annotate(count=Count("*"))
    )
    counts = dict.fromkeys(QUEUE_STATES.values(), 0)
    counts.update({row["status"]: row["count"] for row in rows if row["status"] in counts})
    return counts


def queue_forms(user: User) -> QuerySet[FormDefinition]:
    """The forms to filter the queue by: those published (and so visible to the user)."""
    return FormDefinition.objects.filter(
        versions__publications__in=Publication.objects.visible_to(user)
    ).distinct()


def queue_years(user: User) -> list[int]:
    years = Publication.objects.visible_to(user).order_by("-year").values_list("year", flat=True)
    return list(years.distinct())


@dataclass
class SentContent:
    """What a reviewer looks at: the last sent version, rendered by the reporter's page
    code, with its warnings and the reporter's explanations."""

    version: ReportVersion | None
    versions: list[ReportVersion]
    view: ReportView
    result: object
    warnings: list[dict[str, str]]  # rule, message_pl, message_en, explanation
    decisions: list[ReportEvent]


def sent_content(report: Report) -> SentContent:
    """The report as last sent. While it is back with the reporter for correction, her
    unsent changes are not shown: the reviewer decides on what was sent."""
    versions = list(report.versions.select_related("sent_by").order_by("-number"))
    version = versions[0] if versions else None
    values = version.values if version is not None else report.values
    form = report.form_version.compiled()
    previous = workflow.previous_values(report)
    period = workflow.period_of(report, form, "verify")
    others = workflow.others_of(report, form)
    result = form.check(values, previous, stage="verify", period=period, others=others)
    view = build_report_view(form, values, result, previous, read_only=True)
    warnings = [
        {**warning, "explanation": version.explanations.get(warning["rule"], "")}
        for warning in (version.warnings if version is not None else [])
    ]
    decisions = list(
        report.events.filter(kind__in=DECISION_KINDS).select_related("user").order_by("-at")[:20]
    )
    return SentContent(
        version=version,
        versions=versions,
        view=view,
        result=result,
        warnings=warnings,
        decisions=decisions,
    )
