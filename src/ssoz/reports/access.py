"""Who may see and change which reports: decided here and nowhere else.

A report is visible to whoever may see its obligation (`Obligation.objects.visible_to`): a
reporter her entity's reports of the forms her account may fill (financial forms need the
financial authorisation; an MZ/Szp-11B-only account sees only that card), a regional
administrator those of entities in her voivodeship, the central administrator all. Among
those who see a report, reporters fill it in while it is editable and administrators review
it; an administrator also fills in a report that she types in from paper (`may_fill`). The
lists filter by this rule, the pages fetch through it, and the workflow verbs lock the report
through it, so no caller can differ.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.transaction import TransactionManagementError
from django.http import Http404

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import Role, User
from ssoz.lib.query_templates import QueryTemplate, first_instance
from ssoz.publications.models import Obligation, Publication
from ssoz.reports.models import Report

# What a report page needs of the report's relations; the definition's data and source are
# read through the compiled-form cache, not with every report.
_REPORT_RELATIONS = (
    "publication__form_version__definition",
    "obligation__entity",
    "unit",
)


@dataclass(frozen=True)
class ReportAccess:
    """A report together with what the user may do with it."""

    report: Report
    can_edit: bool  # fill in, save and send: a reporter who sees it, while it is editable
    can_review: bool  # approve, return and reopen: an administrator who sees it


def may_fill(user: User, report: Report) -> bool:
    """Who fills in a report the user sees: its reporters; and administrators, a report they
    type in from paper."""
    return user.is_reporter or (report.on_paper and is_administrator(user))


def access_to_visible(user: User, report: Report) -> ReportAccess:
    """The user's rights on a report fetched through `Report.objects.visible_to(user)`."""
    reporter = user.is_reporter
    return ReportAccess(
        report=report,
        can_edit=may_fill(user, report) and report.is_editable,
        can_review=not reporter and is_administrator(user),
    )


def get_report_for_user(user: User, report_id: int) -> ReportAccess:
    """The report and the user's rights on it; 404 when it is not theirs to see (its
    existence is not told)."""
    found = (
        Report.objects.visible_to(user)
        .select_related(*_REPORT_RELATIONS)
        # The form comes from the cache by its version and checksum: never its data or source.
        .defer("publication__form_version__data", "publication__form_version__source")
        .filter(pk=report_id)
        .first()
    )
    if found is None:
        raise Http404
    return access_to_visible(user, found)


def get_report_for_reporter(user: User, report_id: int) -> ReportAccess:
    """A report the user may fill in (`may_fill`): 403 for administrators (but on a paper
    report), 404 for others' reports."""
    if not user.is_reporter and not is_administrator(user):
        raise PermissionDenied
    allowed = get_report_for_user(user, report_id)
    if not may_fill(user, allowed.report):
        raise PermissionDenied
    return allowed


def lock_for_filling(report: Report | int, user: User) -> Report:
    """The report locked for whoever may fill it in (`may_fill`): 403 for anybody else among
    those who see it, 404 for those who do not."""
    if not user.is_reporter and not is_administrator(user):
        raise PermissionDenied
    locked = lock_visible(report, user)
    if not may_fill(user, locked):
        raise PermissionDenied
    return locked


def get_report_for_reviewer(user: User, report_id: int) -> ReportAccess:
    """A report an administrator may review: 403 for reporters, 404 outside her voivodeship."""
    if not is_administrator(user):
        raise PermissionDenied
    return get_report_for_user(user, report_id)


def get_obligation_for_reporter(user: User, obligation_id: int) -> Obligation:
    """An obligation the reporter may take up; 403 for administrators, 404 for anything else."""
    if not user.is_reporter:
        raise PermissionDenied
    found = (
        Obligation.objects.visible_to(user)
        .select_related("publication__form_version__definition", "entity")
        .filter(pk=obligation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def lock_visible(report: Report | int, user: User) -> Report:
    """The report's row (given or by its id), locked for the rest of the transaction, fetched
    through the user's visibility rule in the same query: 404 when the user may not see it.
    It comes with its form's cache key (`Report.compiled_form`) and its period's key
    (`Report.period_key`), and nothing else is read."""
    report_id = report if isinstance(report, int) else report.pk
    if not connection.in_atomic_block:
        raise TransactionManagementError("lock_visible() locks for a transaction: open one")
    query = _LOCKED.sql(user, report_id)
    locked = first_instance(Report, query)
    if locked is None:
        raise Http404
    return locked


def _locked_query(user: User, report_id: int):
    # Only the report's row is locked, not the rows joined to reach its form.
    return (
        Report.objects.visible_to(user)
        .select_for_update(of=("self",))
        .with_form_key()
        .with_period_key()
        .filter(pk=report_id)
        .order_by()[:1]  # one row by its key: no sort, no join to the unit for it
    )


# The lock of every save, compiled once per kind of account (docs/performance.md): what
# changes the access rule's query is the role, whether the account is active, and the forms
# it may fill.
_LOCKED = QueryTemplate(
    _locked_query, shape=("role", "is_active", "financial_reports", "psychiatric_card_only")
)


def reporters_who_see(report: Report) -> list[User]:
    """Active reporters of the report's entity whose accounts may open its form, by the same
    rule as the lists (asked of each reporter: an entity has a handful)."""
    candidates = User.objects.filter(
        entity_id=report.obligation.entity_id, is_active=True, role=Role.REPORTER
    )
    publication_id = report.obligation.publication_id
    return [
        user
        for user in candidates
        if Publication.objects.visible_to(user).filter(pk=publication_id).exists()
    ]
