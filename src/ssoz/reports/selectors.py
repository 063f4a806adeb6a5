"""What the reporters' pages read: the lists of forms and reports, by the reports' visibility
rule, in a handful of queries however many reports there are."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ssoz.accounts.models import User
from ssoz.publications.models import Obligation
from ssoz.reports.models import Report, ReportEvent, Status

PAGE_SIZE = 50


@dataclass
class ReportList:
    """One tab of „Sprawozdania”: a kind of form, a state and a year."""

    years: list[int]
    year: int | None
    counts: dict[str, int]  # per state; „do uzupełnienia” counts forms not yet activated too
    page: Page
    waiting: list[Obligation] = field(default_factory=list)  # to activate („aktywuj”)
    activated_without_reports: list[Obligation] = field(default_factory=list)


def _obligations(user: User, kind: str) -> QuerySet[Obligation]:
    return Obligation.objects.visible_to(user).filter(publication__form_version__kind=kind)


def report_list(
    user: User, *, kind: str, state: str, year: int | None, page_number: object = 1
) -> ReportList:
    """The reporter's forms of one kind and year in one state, with the counts of every state.

    Only reporters have this list: an administrator's way to the reports is the review queue.
    """
    if not user.is_reporter:
        raise PermissionDenied
    obligations = _obligations(user, kind)
    years = sorted(
        obligations.order_by().values_list("publication__year", flat=True).distinct(),
        reverse=True,
    )
    if year not in years:
        year = years[0] if years else None
    obligations = obligations.filter(publication__year=year)
    # A reporter has a handful of obligations a year: naming them keeps every plan below on
    # the report's obligation index, however many reports the country has.
    reports = Report.objects.filter(
        obligation_id__in=list(obligations.values_list("pk", flat=True))
    )
    counts = reports.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    not_activated = obligations.filter(activated_at__isnull=True).select_related(
        "publication__form_version__definition", "entity"
    )
    waiting = list(not_activated) if state == Status.DRAFT else []
    counts[Status.DRAFT] += len(waiting) if state == Status.DRAFT else not_activated.count()
    activated_without_reports = (
        list(
            obligations.filter(activated_at__isnull=False, reports__isnull=True).select_related(
                "publication__form_version__definition", "entity"
            )
        )
        if state == Status.DRAFT
        else []
    )
    shown = (
        reports.filter(status=state)
        .select_related("publication__form_version__definition", "unit")
        # A list needs neither the values nor the definitions: both can be large.
        .defer(
            "values",
            "explanations",
            "header",
            "publication__form_version__data",
            "publication__form_version__source",
        )
        .order_by(
            "publication__deadline",
            "obligation_id",
            # The collective report first, on every database.
            F("unit__unit_code").asc(nulls_first=True),
            "pk",
        )
    )
    return ReportList(
        years=years,
        year=year,
        counts=counts,
        page=Paginator(shown, PAGE_SIZE).get_page(page_number),
        waiting=waiting,
        activated_without_reports=activated_without_reports,
    )


@dataclass
class DueItem:
    """Something the reporter still has to do: a form to activate, to choose whom to report
    for, or a report to fill in or correct."""

    obligation: Obligation
    report: Report | None  # None: the obligation itself (not activated, or no reports yet)
    days_left: int  # negative: days late

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def publication(self):
        return self.obligation.publication

    @property
    def action(self) -> str:
        """„aktywuj”, „wybierz” (whom to report for) or „wypełnij”."""
        if self.report is not None:
            return "fill"
        return "activate" if self.obligation.activated_at is None else "choose"


@dataclass
class ReporterTasks:
    """The reporter's home page: what is due, nearest deadline first, and what waits for the
    administrator."""

    due: list[DueItem]
    waiting_for_review: dict[str, int]  # sent reports, by kind of form


def reporter_tasks(user: User, today: date | None = None) -> ReporterTasks:
    """Every form the reporter's account may fill that still needs her, in two queries."""
    if not user.is_reporter:
        raise PermissionDenied
    today = today or timezone.localdate()
    obligations = list(
        Obligation.objects.visible_to(user)
        .select_related("publication__form_version__definition", "entity")
        .defer("publication__form_version__data", "publication__form_version__source")
        .annotate(report_count=Count("reports"))
    )
    by_pk = {obligation.pk: obligation for obligation in obligations}
    open_reports = (
        Report.objects.filter(
            obligation_id__in=list(by_pk), status__in=[Status.DRAFT, Status.RETURNED, Status.SENT]
        )
        .select_related("unit")
        .defer("values", "explanations", "header")
        .order_by(F("unit__unit_code").asc(nulls_first=True), "pk")
    )
    due: list[DueItem] = []
    waiting: dict[str, int] = {}
    for report in open_reports:
        if report.status == Status.SENT:
            kind = by_pk[report.obligation_id].publication.kind
            waiting[kind] = waiting.get(kind, 0) + 1
            continue
        obligation = by_pk[report.obligation_id]
        due.append(DueItem(obligation, report, obligation.publication.days_left(today)))
    for obligation in obligations:
        if obligation.activated_at is None or not obligation.report_count:
            due.append(DueItem(obligation, None, obligation.publication.days_left(today)))
    due.sort(key=lambda item: (item.publication.deadline, item.obligation.pk))
    return ReporterTasks(due=due, waiting_for_review=waiting)


def changed_since(reports: QuerySet[Report], since: datetime) -> QuerySet[Report]:
    """Those of `reports` created, saved, sent, decided on or corrected after `since`. A
    decision (approve, return, accept) leaves no time on the report itself, only its row in
    the audit trail, whose index on `at` finds what happened since a recent moment."""
    events = ReportEvent.objects.filter(at__gt=since).exclude(kind=ReportEvent.Kind.VERIFIED)
    return reports.filter(pk__in=events.values("report_id"))
