"""Rules across forms: the reports of other forms a report's rules read (``reads:`` of its
definition), and the reports that read a report.

"The other report" is the report of the other form's code for the same entity and the same
period (year, quarter, month): for a report of an organisational unit, the other form's report
of that unit when there is one, else the entity's collective report; for a collective report,
the collective one. What is read is its last sent version (sent, approved, or returned for a
correction since: a version was sent), never the values of a draft.
"""

from django.db.models import F, Q, QuerySet

from ssoz.definitions.form import OtherReports
from ssoz.definitions.form.engine import stored_text
from ssoz.definitions.models import compiled_form
from ssoz.reports.models import Report, ReportVersion, Status


def other_reports(report: Report, form) -> OtherReports:
    """The last sent versions of the reports `form` reads, as `CompiledForm.check` takes them:
    one query for all the forms it reads."""
    entity_id, _definition_id, year, quarter, month = report.period_key()
    label = _period_label(report)
    codes = Q()
    for read in form.reads:
        codes |= Q(report__publication__form_version__definition__code__iexact=read.form)
    level = Q(report__unit__isnull=True)
    if report.unit_id is not None:
        level |= Q(report__unit_id=report.unit_id)
    rows = (
        ReportVersion.objects.filter(codes, level)
        .filter(
            report__obligation__entity_id=entity_id,
            report__publication__year=year,
            report__publication__quarter=quarter,
            report__publication__month=month,
            number=F("report__times_sent"),  # the last version only
        )
        .values_list(
            "report__publication__form_version__definition__code",
            "report__unit_id",
            "values",
            "report__publication__form_version_id",
            "report__publication__form_version__checksum",
        )
        .order_by()
    )
    sent: dict[str, dict] = {}
    own_unit: set[str] = set()
    for code, unit_id, values, version_id, checksum in rows:
        key = code.casefold()
        if unit_id is not None or key not in own_unit:
            sent[key] = with_totals(version_id, checksum, values)
        if unit_id is not None:
            own_unit.add(key)
    return OtherReports(period=label, sent=sent)


def with_totals(version_id: int, checksum: str, values: dict) -> dict:
    """A sent version's values with its computed cells (totals, calculations) worked out by
    its own form, as the other form's rules may read a total: a version keeps only what was
    typed."""
    form = compiled_form(version_id, checksum)
    if not form.computed_order or not values:
        return values
    computed = form.check(values, stage="save").values
    totals = {ref: stored_text(computed[ref]) for ref in form.computed_order if ref in computed}
    return {**values, **totals}


def _period_label(report: Report) -> str:
    publication = report.publication
    return publication.period_label


def readers_of(report: Report) -> QuerySet[Report]:
    """The sent and approved reports of the same entity and period whose forms' current
    definitions read `report`'s form: those to check again once it is sent."""
    entity_id, _definition_id, year, quarter, month = report.period_key()
    code = report.publication.form_version.definition.code
    candidates = (
        Report.objects.filter(
            obligation__entity_id=entity_id,
            publication__year=year,
            publication__quarter=quarter,
            publication__month=month,
            status__in=(Status.SENT, Status.APPROVED),
        )
        .exclude(pk=report.pk)
        .with_form_key()
        .order_by("pk")
    )
    if report.unit_id is not None:
        # A unit's report is read by the same unit's reports only.
        candidates = candidates.filter(unit_id=report.unit_id)
    wanted = code.casefold()
    ids = [
        candidate.pk
        for candidate in candidates
        if any(read.form.casefold() == wanted for read in candidate.compiled_form().reads)
    ]
    return Report.objects.filter(pk__in=ids).order_by("pk")
