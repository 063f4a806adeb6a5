"""The administrators' endpoints: the review queue, „Zatwierdź” and „Zwróć do korekty”, a
publication's completeness (also only what changed since a moment), and the data exports.

Each reads through the selectors and changes through the services of the administrators'
pages (`review`, `reports.workflow`, `completeness`, `exports`), with their access rule; the
API adds only the JSON."""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Status
from pydantic import Field

from ssoz.accounts.access import require_administrator
from ssoz.accounts.models import User
from ssoz.api.core import WRITE, api
from ssoz.api.reporting import REFUSALS, Paging, list_relations, summary
from ssoz.api.schemas import (
    ApproveIn,
    CompletenessPage,
    ExportIn,
    ExportOut,
    Id,
    QueuePage,
    ReportSummary,
    ReturnIn,
)
from ssoz.completeness import selectors as completeness
from ssoz.definitions.models import FormDefinition
from ssoz.exports import selectors as exports
from ssoz.exports.forms import ExportForm
from ssoz.exports.models import EXPORT_CONTENT_TYPES, Export, ExportFormat, ExportKind
from ssoz.exports.services import start_export
from ssoz.lib.errors import DomainError
from ssoz.lib.http import attachment, client_ip
from ssoz.publications.models import Obligation
from ssoz.registry.models import Entity, EntityType
from ssoz.registry.teryt import Voivodeship
from ssoz.reports import access, workflow
from ssoz.reports.models import Report
from ssoz.reports.models import Status as ReportStatus
from ssoz.results.aggregates import get_publication_for_results
from ssoz.review import selectors as review

# The queue's states by their names here, and the page's own sort slugs.
_QUEUE_STATES = {
    "sent": ReportStatus.SENT,
    "returned": ReportStatus.RETURNED,
    "approved": ReportStatus.APPROVED,
}
_AWAITING_ACCEPTANCE = "awaiting_acceptance"
_SORTS = {"sent_at": "wyslano", "entity": "podmiot", "deadline": "termin"}


class QueueQuery(Paging):
    state: Literal["sent", "returned", "approved", "awaiting_acceptance"] = Field(
        "sent",
        description="sent: waiting for a decision (the oldest first); returned; approved; "
        "awaiting_acceptance: approved, waiting for the central administrator's acceptance",
    )
    form: str | None = Field(None, max_length=40, description="The form's code, e.g. MZ-88")
    year: int | None = Field(None, ge=2000, le=2100)
    voivodeship: Voivodeship | None = Field(
        None,
        description="The central administrator's choice; a regional administrator's queue "
        "is always her voivodeship's",
    )
    county: str | None = Field(None, pattern=r"^\d{4}$", description="TERYT, four digits")
    entity_type: EntityType | None = None
    with_warnings: bool | None = Field(None, description="In the last sent version")
    search: str = Field("", max_length=100, description="REGON, name or register-book number")
    sort: Literal["sent_at", "entity", "deadline"] | None = None


def _queue_filter(query: QueueQuery, user: User) -> review.QueueFilter | None:
    """The page's filters from the query; None for a form nobody published under that code
    (nothing to list)."""
    definition_id = None
    if query.form:
        definition_id = (
            FormDefinition.objects.filter(code__iexact=query.form).values_list("pk", flat=True)
        ).first()
        if definition_id is None:
            return None
    return review.QueueFilter(
        definition_id=definition_id,
        year=query.year,
        # As on the page: the voivodeship is the central administrator's choice only.
        voivodeship=query.voivodeship if user.is_central_admin else None,
        county=query.county,
        entity_type=query.entity_type,
        with_warnings=query.with_warnings,
        search=query.search,
        sort=_SORTS.get(query.sort or "", ""),
    )


def _entity(entity: Entity) -> dict:
    return {
        "id": entity.pk,
        "regon": entity.regon,
        "name": entity.name,
        "voivodeship": entity.voivodeship,
    }


def _queue_item(report: Report) -> dict:
    return summary(report) | {
        "entity": _entity(report.obligation.entity),
        "voivodeship": report.voivodeship,
        "warning_count": report.warning_count,
        "times_sent": report.times_sent,
        "awaiting_acceptance": report.awaits_acceptance,
    }


@api.get("/review", response={200: QueuePage, **REFUSALS}, tags=["review"])
def review_queue(request: HttpRequest, query: Query[QueueQuery]):
    """„Sprawozdania do weryfikacji”: the reports of one state of the queue that the token's
    owner may review (her voivodeship's; all, the central administrator's), with the page's
    filters and order. 403 for anybody but an administrator."""
    user = request.user
    require_administrator(user)
    filters = _queue_filter(query, user)
    if filters is None:
        reports = Report.objects.none()
        counts = dict.fromkeys(_QUEUE_STATES, 0)
    else:
        acceptance = query.state == _AWAITING_ACCEPTANCE
        status = ReportStatus.APPROVED if acceptance else _QUEUE_STATES[query.state]
        reports = review.review_queue(user, status=status, filters=filters, acceptance=acceptance)
        by_status = review.queue_counts(user, filters)
        counts = {name: by_status[value] for name, value in _QUEUE_STATES.items()}
    window = review.queue_window(reports, offset=query.offset, limit=query.limit)
    return {
        "count": reports.count(),
        "limit": query.limit,
        "offset": query.offset,
        "counts": counts,
        "items": [_queue_item(report) for report in window],
    }


def _reviewed(report_id: int) -> dict:
    return summary(list_relations(Report.objects.filter(pk=report_id)).get())


@api.post(
    "/reports/{report_id}/approve",
    response={200: ReportSummary, **REFUSALS},
    auth=WRITE,
    tags=["review"],
)
def approve(request: HttpRequest, report_id: Id, body: ApproveIn | None = None):
    """„Zatwierdź”: a sent report, with an optional comment; its reporters are told by
    e-mail. 403 for anybody but an administrator, 404 outside her voivodeship, 409 for a
    report that is not waiting for a decision."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    workflow.approve_report(
        report=report,
        actor=request.user,
        comment=body.comment if body is not None else "",
        ip_address=client_ip(request),
    )
    return _reviewed(report_id)


@api.post(
    "/reports/{report_id}/return",
    response={200: ReportSummary, **REFUSALS},
    auth=WRITE,
    tags=["review"],
)
def return_for_correction(request: HttpRequest, report_id: Id, body: ReturnIn):
    """„Zwróć do korekty”: the comment is required, and the reporters get it by e-mail."""
    report = access.get_report_for_reviewer(request.user, report_id).report
    workflow.return_report(
        report=report, actor=request.user, comment=body.comment, ip_address=client_ip(request)
    )
    return _reviewed(report_id)


class CompletenessQuery(Paging):
    publication: Id
    voivodeship: Voivodeship | None = Field(
        None,
        description="The central administrator's choice (none: the whole country); a "
        "regional administrator reads her voivodeship whatever is asked",
    )
    changed_since: datetime.datetime | None = Field(
        None,
        description="Only obligations taken up, exempted, or with a report created, saved, "
        "sent or decided on after this moment",
    )


def _report_of_obligation(report: Report) -> dict:
    unit = report.unit
    return {
        "id": report.pk,
        "unit": (
            {"id": unit.pk, "code": unit.unit_code, "name": unit.name} if unit is not None else None
        ),
        "status": report.status,
        "sent_at": report.sent_at,
        "updated_at": report.updated_at,
    }


def _obligations_page(obligations: QuerySet[Obligation], paging: Paging) -> list[dict]:
    page = list(
        obligations.select_related("entity")
        .prefetch_related(
            Prefetch(
                "reports",
                # The reports' states, not their values: both can be large.
                queryset=Report.objects.select_related("unit")
                .only(
                    "pk",
                    "obligation_id",
                    "status",
                    "sent_at",
                    "updated_at",
                    "unit__id",
                    "unit__unit_code",
                    "unit__name",
                )
                .order_by("pk"),
            )
        )
        .order_by("pk")[paging.offset : paging.offset + paging.limit]
    )
    changes = completeness.last_changes(page)
    items = []
    for obligation in page:
        state = completeness.entity_state(obligation)
        items.append(
            {
                "obligation": obligation.pk,
                "entity": _entity(obligation.entity),
                "state": state.value,
                "state_label": str(state.label),
                "activated": obligation.is_activated,
                "exempted": obligation.is_exempted,
                "sent_late": obligation.sent_late,
                "reports": [_report_of_obligation(report) for report in obligation.reports.all()],
                "changed_at": changes.get(obligation.pk),
            }
        )
    return items


@api.get("/completeness", response={200: CompletenessPage, **REFUSALS}, tags=["completeness"])
def completeness_of(request: HttpRequest, query: Query[CompletenessQuery]):
    """„Kompletność sprawozdań”: each obligation of the publication in the token's owner's
    scope, with its entity, state and reports, and the scope's counts by state, as on the
    completeness pages. With `changed_since`, only what changed since: a system pulling
    regularly passes the moment of its last pull. 403 for anybody but an administrator."""
    publication = completeness.get_publication_for_admin(request.user, query.publication)
    scope = completeness.scope_for(request.user, publication, query.voivodeship)
    total = completeness.total_of(completeness.state_counts(scope, "wojewodztwo"))
    obligations = (
        completeness.changed_since(scope, query.changed_since)
        if query.changed_since is not None
        else scope.obligations()
    )
    return {
        "publication": publication.pk,
        "voivodeship": scope.voivodeship,
        "summary": {
            "counts": total.counts,
            "total": total.total,
            "on_time": total.on_time,
            "late": total.late,
        },
        "count": obligations.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": _obligations_page(obligations, query),
    }


# The page's form names its fields in Polish; the API's names for the same choices.
_EXPORT_FIELDS = {"zawartosc": "kind", "format": "format", "naglowek": "labels"}


def _export(export: Export) -> dict:
    job = export.job
    return {
        "id": export.pk,
        "publication": export.publication_id,
        "kind": export.kind,
        "format": export.file_format,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "rows": export.rows,
        "size": export.size,
        "expires_at": export.expires_at,
        "file": f"/api/v1/exports/{export.pk}/file" if export.file_name else None,
    }


@api.post("/exports", response={202: ExportOut, **REFUSALS}, auth=WRITE, tags=["exports"])
def ask_for_export(request: HttpRequest, body: ExportIn):
    """„Eksport danych”: a publication's data as a file, written by a job; the answer says
    where to follow it. Whoever may export on the page may here: administrators, each
    within her voivodeship."""
    # As on the page: who may export is checked first, then the choices, by the page's form.
    publication = get_publication_for_results(request.user, body.publication)
    form = ExportForm(
        {
            "zawartosc": body.kind,
            "format": body.format,
            "naglowek": "kody" if body.labels == "codes" else body.labels,
            "wszystkie": body.include_unapproved,
        },
        with_records=publication.form_version.compiled().records is not None,
    )
    if not form.is_valid():
        name, (error, *_others) = next(iter(form.errors.as_data().items()))
        raise DomainError(
            error.message, error.params, status=400, code="invalid", field=_EXPORT_FIELDS[name]
        )
    export = start_export(
        actor=request.user,
        publication_id=publication.pk,
        kind=ExportKind(form.cleaned_data["zawartosc"]),
        file_format=ExportFormat(form.cleaned_data["format"]),
        labels=form.labels,
        final_only=not form.cleaned_data["wszystkie"],
    )
    return Status(202, _export(export))


@api.get("/exports/{export_id}", response={200: ExportOut, **REFUSALS}, tags=["exports"])
def export_state(request: HttpRequest, export_id: uuid.UUID):
    """An export's job, and once its file is written, where to download it: to the person
    who asked for it only (404 for anybody else)."""
    return _export(exports.get_export_for_requester(request.user, export_id))


@api.get(
    "/exports/{export_id}/file",
    response={200: bytes, **REFUSALS, 410: REFUSALS[404]},
    tags=["exports"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The file: CSV, XLSX, or a ZIP of SDMX-CSV with its structure",
                "content": {
                    content_type.partition(";")[0]: {"schema": {}}
                    for content_type in EXPORT_CONTENT_TYPES.values()
                },
            }
        }
    },
)
def export_file(request: HttpRequest, export_id: uuid.UUID):
    """The export's file, to the person who asked for it while she may read the publication
    (404 for anybody else, and while it is being written); 410 once it has expired."""
    try:
        export = exports.get_export_for_download(request.user, export_id)
    except exports.ExportExpired:
        raise DomainError(
            _("Plik eksportu wygasł"),
            status=410,
            code="expired",
        ) from None
    response = FileResponse(export.path.open("rb"), content_type=export.content_type)
    return attachment(response, export.download_name, export.format.extension)
