"""The reporter's endpoints: obligations and reports, a form's definition, values read and
written, verify, send (also as zero), and the sent PDF.

Each fetches through the access rule of `ssoz.reports.access` and changes through the verbs
of `ssoz.reports.workflow`, exactly as the pages do; the API adds only the JSON."""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Schema, Status
from pydantic import Field

from ssoz.accounts.access import is_administrator
from ssoz.api.core import WRITE, api
from ssoz.api.schemas import (
    CheckOut,
    CreateReportsIn,
    Error,
    FormVersionOut,
    Id,
    ObligationOut,
    ReportOut,
    ReportSummary,
    SaveOut,
    SentOut,
    ValuesIn,
)
from ssoz.definitions.models import FormVersion
from ssoz.lib.errors import DomainError
from ssoz.lib.http import attachment, client_ip
from ssoz.publications.models import Obligation, Publication
from ssoz.registry.models import OrganisationalUnit
from ssoz.reports import access, inputs, selectors, workflow
from ssoz.reports.models import Report, ReportVersion
from ssoz.reports.proof import version_pdf

# Every refusal an operation may answer, in the one shape of `Error` (413: a body over the
# request size limit).
REFUSALS = {
    400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error, 429: Error
}  # fmt: skip


class Paging(Schema):
    limit: int = Field(100, ge=1, le=500, description="At most 500 items a page")
    offset: int = Field(0, ge=0, le=10_000_000)


class ReportFilter(Paging):
    status: Literal["draft", "sent", "approved", "returned"] | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    form: str | None = Field(None, max_length=40, description="The form's code, e.g. MZ-88")
    changed_since: datetime.datetime | None = Field(
        None, description="Only reports saved, sent or reviewed after this moment"
    )


class ObligationFilter(Paging):
    year: int | None = Field(None, ge=2000, le=2100)
    form: str | None = Field(None, max_length=40)


class ReportPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReportSummary]


class ObligationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ObligationOut]


def summary(report: Report) -> dict:
    """A report as the lists give it: state, deadline and subject, without its values."""
    publication = report.publication
    unit = report.unit
    return {
        "id": report.pk,
        "obligation": report.obligation_id,
        "form": publication.form_version.definition.code,
        "period": publication.period_label,
        "deadline": publication.deadline,
        "unit": (
            {"id": unit.pk, "code": unit.unit_code, "name": unit.name} if unit is not None else None
        ),
        "status": report.status,
        "revision": report.revision,
        "zero": report.is_zero,
        "on_paper": report.on_paper,
        "updated_at": report.updated_at,
        "sent_at": report.sent_at,
    }


def _version(report: Report, version: ReportVersion) -> dict:
    return {
        "number": version.number,
        "sent_at": version.sent_at,
        "checksum": version.checksum,
        "zero": version.is_zero,
        "pdf": f"/api/v1/reports/{report.pk}/versions/{version.number}/pdf",
    }


def list_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    # A list needs neither the values nor the definitions: both can be large.
    return reports.select_related("publication__form_version__definition", "unit").defer(
        "values",
        "explanations",
        "header",
        "publication__form_version__data",
        "publication__form_version__source",
    )


def _page(items: QuerySet, paging: Paging, shape) -> dict:
    return {
        "count": items.count(),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": [shape(item) for item in items[paging.offset : paging.offset + paging.limit]],
    }


@api.get("/reports", response={200: ReportPage, **REFUSALS}, tags=["reports"])
def list_reports(request: HttpRequest, filters: Query[ReportFilter]):
    """The reports the token's owner sees, by the same rule as the pages: a reporter her
    entity's, an administrator those of her voivodeship (all, the central one)."""
    reports = Report.objects.visible_to(request.user)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.year:
        reports = reports.filter(publication__year=filters.year)
    if filters.form:
        reports = reports.filter(publication__form_version__definition__code=filters.form)
    if filters.changed_since:
        reports = selectors.changed_since(reports, filters.changed_since)
    return _page(list_relations(reports).order_by("pk"), filters, summary)


def _obligation(obligation: Obligation) -> dict:
    publication = obligation.publication
    form = publication.form_version.compiled()
    return {
        "id": obligation.pk,
        "publication": publication.pk,
        "form": publication.form_version.definition.code,
        "form_name": publication.form_version.definition.title,
        "form_version": publication.form_version_id,
        "period": publication.period_label,
        "deadline": publication.deadline,
        "activated": obligation.is_activated,
        "exempted": obligation.is_exempted,
        "levels": list(form.levels),
        "zero_report": form.zero_report,
        "reports": sorted(report.pk for report in obligation.reports.all()),
    }


@api.get("/obligations", response={200: ObligationPage, **REFUSALS}, tags=["reports"])
def list_obligations(request: HttpRequest, filters: Query[ObligationFilter]):
    """The forms the token's owner has to send (or, an administrator, oversees), with their
    deadlines and the reports made for them."""
    obligations = Obligation.objects.visible_to(request.user)
    if filters.year:
        obligations = obligations.filter(publication__year=filters.year)
    if filters.form:
        obligations = obligations.filter(publication__form_version__definition__code=filters.form)
    obligations = (
        obligations.select_related("publication__form_version__definition")
        .defer("publication__form_version__source")
        .prefetch_related("reports")
        .order_by(F("publication__deadline").desc(), "pk")
    )
    return _page(obligations, filters, _obligation)


@api.post(
    "/obligations/{obligation_id}/reports",
    response={201: list[ReportSummary], **REFUSALS},
    auth=WRITE,
    tags=["reports"],
)
def create_reports(request: HttpRequest, obligation_id: Id, body: CreateReportsIn):
    """„aktywuj” and „za kogo”: the entity's collective report, or one per chosen unit.
    Reports that exist already are kept as they are and not answered again."""
    obligation = access.get_obligation_for_reporter(request.user, obligation_id)
    units = list(
        OrganisationalUnit.objects.filter(entity_id=obligation.entity_id, pk__in=body.units)
    )
    if len(units) != len(set(body.units)):
        raise DomainError(
            _("Podmiot nie ma jednostki organizacyjnej o tym identyfikatorze."),
            status=400,
            code="unknown_unit",
            field="units",
        )
    with transaction.atomic():
        created = workflow.create_reports(
            obligation=obligation,
            actor=request.user,
            collective=body.collective,
            units=units,
            ip_address=client_ip(request),
        )
    return Status(201, [summary(report) for report in list_relations(_by_ids(created))])


def _by_ids(reports: list[Report]) -> QuerySet[Report]:
    return Report.objects.filter(pk__in=[report.pk for report in reports]).order_by(
        F("unit__unit_code").asc(nulls_first=True), "pk"
    )


@api.get("/reports/{report_id}", response={200: ReportOut, **REFUSALS}, tags=["reports"])
def read_report(request: HttpRequest, report_id: Id):
    """A report with its stored values (as typed), explanations and sent versions."""
    report = access.get_report_for_user(request.user, report_id).report
    return _report(report)


def _report(report: Report) -> dict:
    return summary(report) | {
        "values": report.values,
        "explanations": report.explanations,
        "versions": [_version(report, version) for version in report.versions.order_by("number")],
    }


@api.patch(
    "/reports/{report_id}/values",
    response={**REFUSALS, 200: SaveOut, 409: SaveOut | Error},
    auth=WRITE,
    tags=["reports"],
)
def write_values(request: HttpRequest, report_id: Id, body: ValuesIn):
    """Write some or all values, as the page's save does: with `revision`, a value somebody
    else changed since is answered as a conflict (409) and not overwritten; a value that
    cannot be stored is answered in `refused` (400) with why, and the rest is stored."""
    # The right to write is checked on the locked row itself, in the same query, as for the
    # page's background save: reading the report before its lock was one more query, and
    # the costliest part of a bulk write (docs/performance.md).
    posted = inputs.from_json(body.model_dump())
    save = workflow.save_report(
        report=report_id,
        actor=request.user,
        changes=posted.changes,
        base_revision=posted.base_revision,
        explanations=posted.explanations,
        ip_address=client_ip(request),
    )
    result = workflow.check_report(save.report, stage="save")
    status = 200 if save.ok else 409 if save.conflicts else 400
    if status == 400:
        first = next(iter(save.refused))
        raise DomainError(
            _("Nie zapisano wartości pola %(field)s: %(reason)s"),
            {"field": first, "reason": save.refused[first]},
            status=400,
            code="refused",
            field=first,
        )
    return Status(status, save.to_dict(result))


@api.post(
    "/reports/{report_id}/verify",
    response={200: CheckOut, **REFUSALS},
    auth=WRITE,
    tags=["reports"],
)
def verify(request: HttpRequest, report_id: Id):
    """„Weryfikuj bez wysyłania”: every rule over the stored values, recorded in the trail."""
    report = access.get_report_for_reporter(request.user, report_id).report
    result = workflow.check_report(report, stage="verify")
    workflow.record_verification(report, request.user, client_ip(request), result)
    return result.to_dict()


def _sent(report_id: int, version: ReportVersion) -> dict:
    report = list_relations(Report.objects.filter(pk=report_id)).get()
    return {"report": summary(report), "version": _version(report, version)}


@api.post(
    "/reports/{report_id}/send",
    response={201: SentOut, **REFUSALS},
    auth=WRITE,
    tags=["reports"],
)
def send(request: HttpRequest, report_id: Id):
    """„Wyślij”: refused (409) with errors or unexplained warnings, as on the page."""
    report = access.get_report_for_reporter(request.user, report_id).report
    version = workflow.send_report(report=report, actor=request.user, ip_address=client_ip(request))
    return Status(201, _sent(report_id, version))


@api.post(
    "/reports/{report_id}/send-zero",
    response={201: SentOut, **REFUSALS},
    auth=WRITE,
    tags=["reports"],
)
def send_zero(request: HttpRequest, report_id: Id):
    """„Wyślij jako sprawozdanie zerowe”: for a form that allows it; whatever was stored is
    cleared (and kept in the history), and the report is sent as zero."""
    report = access.get_report_for_reporter(request.user, report_id).report
    version = workflow.send_zero_report(
        report=report, actor=request.user, ip_address=client_ip(request)
    )
    return Status(201, _sent(report_id, version))


@api.get(
    "/reports/{report_id}/versions/{number}/pdf",
    response={200: bytes, **REFUSALS},
    tags=["reports"],
    openapi_extra={
        "responses": {
            200: {"description": "The PDF", "content": {"application/pdf": {"schema": {}}}}
        }
    },
)
def sent_pdf(request: HttpRequest, report_id: Id, number: Id):
    """The proof of filing: a PDF of exactly what was sent as that version."""
    report = access.get_report_for_user(request.user, report_id).report
    version = get_object_or_404(ReportVersion, report=report, number=number)
    pdf, name = version_pdf(report, version, request.user)
    return attachment(HttpResponse(pdf, content_type="application/pdf"), name, "pdf")


def visible_form_version(user, version_id: int) -> FormVersion:
    """A form version to anyone who sees a publication of it, and to administrators; 404
    to everybody else."""
    if not is_administrator(user):
        visible = Publication.objects.visible_to(user).filter(form_version_id=version_id)
        if not visible.exists():
            raise Http404
    return get_object_or_404(FormVersion.objects.select_related("definition"), pk=version_id)


@api.get("/forms/{version_id}", response={200: FormVersionOut, **REFUSALS}, tags=["forms"])
def form_definition(request: HttpRequest, version_id: Id):
    """A form version's definition as JSON (docs/form-format.md): to anyone who sees a
    publication of it, and to administrators."""
    version = visible_form_version(request.user, version_id)
    return {
        "id": version.pk,
        "form": version.definition.code,
        "name": version.definition.title,
        "version": version.version,
        "checksum": version.checksum,
        "definition": version.data,
    }
