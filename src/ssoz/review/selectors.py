"""What administrators read: the review queue, a report under review, the publications with
their counts. Scoping is always the reports' visibility rule: a regional administrator sees her
voivodeship, the central administrator everything, anybody else nothing."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import User
from ssoz.definitions.models import FormDefinition
from ssoz.publications.models import Publication
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

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.definition_id:
            reports = reports.filter(publication__form_version__definition_id=self.definition_id)
        if self.year:
            reports = reports.filter(publication__year=self.year)
        if self.voivodeship:
            reports = reports.filter(voivodeship=self.voivodeship)
        return reports


def review_queue(user: User, *, status: str, filters: QueueFilter) -> QuerySet[Report]:
    """One tab of „Sprawozdania do weryfikacji”: the oldest sent report first, since it has
    waited longest; corrected and approved ones newest first."""
    order = "sent_at" if status == Status.SENT else "-sent_at"
    return (
        filters.apply(reports_for_review(user).filter(status=status))
        .select_related("publication__form_version__definition", "obligation__entity", "unit")
        # A list needs neither the values nor the definitions: both can be large.
        .defer("values", "explanations", "header", *_HEAVY_VERSION_FIELDS)
        .order_by(order, "pk")
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
    result = form.check(values, previous, stage="verify")
    view = build_report_view(form, values, result, previous)
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
