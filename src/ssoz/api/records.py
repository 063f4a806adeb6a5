"""A report's repeating records (the cards of MZ/Szp-11B): listed, read, added, changed,
removed, and read from a file with a preview.

The same services as the pages (`ssoz.reports.records`, `ssoz.reports.record_uploads`),
behind the same access rule; personal data (PESEL) is masked for every reader but those
`records.sees_personal_data` names, as on the pages."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Query, Schema, Status, UploadedFile
from pydantic import Field

from ssoz.api.core import WRITE, api
from ssoz.api.reporting import REFUSALS, Paging
from ssoz.api.schemas import CheckOut, Id, Value
from ssoz.api.uploads import PreviewKey, _read
from ssoz.lib.errors import DomainError
from ssoz.lib.http import client_ip
from ssoz.reports import access, inputs, record_uploads, records
from ssoz.reports.models import Record, Report


class RecordsFilter(Paging):
    errors_only: bool = Field(False, description="Only the records with errors")


class RecordOut(Schema):
    number: int
    values: dict[str, Any]
    explanations: dict[str, str]
    errors: int
    warnings: int


class RecordDetailOut(RecordOut):
    check: CheckOut
    refused: dict[str, str] = Field(default_factory=dict)


class RecordsPage(Schema):
    count: int
    with_errors: int
    with_warnings: int
    masked: bool
    limit: int
    offset: int
    items: list[RecordOut]


class RecordIn(Schema):
    values: dict[Annotated[str, Field(max_length=200)], Value] = Field(
        default_factory=dict, max_length=500
    )
    explanations: dict[Annotated[str, Field(max_length=200)], str] | None = Field(
        None, max_length=200
    )


class RecordsPreviewOut(Schema):
    key: str
    report: int
    file: str
    records: int
    with_errors: int
    with_warnings: int
    replaced: int
    problems: list[dict[str, Any]]
    ignored_columns: list[str]


class RecordsAppliedOut(Schema):
    records: int


def _readable(request: HttpRequest, report_id: int) -> tuple[Report, Any, bool]:
    """The report by the access rule, its form's records (404 for a form without them) and
    whether the caller sees personal data in full."""
    report = access.get_report_for_user(request.user, report_id).report
    spec = report.compiled_form().records
    if spec is None:
        raise DomainError(records.NO_RECORDS, status=404, code="not_found")
    return report, spec, records.sees_personal_data(request.user, report)


def _record(record: Record, spec, full: bool) -> dict:
    return {
        "number": record.number,
        "values": records.shown(record.values, spec.form.personal, full),
        "explanations": record.explanations,
        "errors": record.errors,
        "warnings": record.warnings,
    }


def _detail(report: Report, record: Record, spec, full: bool) -> dict:
    result = records.check_record(report, record.values)
    check = result.to_dict()
    if not full and spec.form.personal:
        check["values"] = records.shown(check["values"], spec.form.personal, False)
    return _record(record, spec, full) | {"check": check}


def _posted(body: RecordIn) -> tuple[dict, dict | None]:
    posted = inputs.from_json({"values": body.values, "explanations": body.explanations})
    return posted.changes, posted.explanations


@api.get("/reports/{report_id}/records", response={200: RecordsPage, **REFUSALS}, tags=["records"])
def list_records(request: HttpRequest, report_id: Id, filters: Query[RecordsFilter]):
    """The report's records by number, with the counts of those with errors and warnings."""
    report, spec, full = _readable(request, report_id)
    found = Record.objects.filter(report=report).order_by("number")
    if filters.errors_only:
        found = found.filter(errors__gt=0)
    counts = records.summary(report)
    page = found[filters.offset : filters.offset + filters.limit]
    return {
        "count": counts.count,
        "with_errors": counts.with_errors,
        "with_warnings": counts.with_warnings,
        "masked": bool(spec.form.personal) and not full,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_record(record, spec, full) for record in page],
    }


# Before the operations on one record: „upload” is not a record's number.
@api.post(
    "/reports/{report_id}/records/upload",
    response={200: RecordsPreviewOut | RecordsAppliedOut, **REFUSALS},
    auth=WRITE,
    tags=["records"],
)
def upload_records(
    request: HttpRequest, report_id: Id, file: File[UploadedFile], apply: bool = False
):
    """A CSV or XLSX file of records: a header row of the record's field codes, then one row
    per record. By default nothing is stored: the answer is the preview (how many records,
    how many with errors, their first problems by row) with a `key` to apply it; with
    `apply=true` the file's records replace the report's at once."""
    from ssoz.reports import uploads

    report = uploads.editable_report(request.user, report_id)
    preview = record_uploads.preview_records(
        report=report, actor=request.user, content=_read(file), file_name=file.name or ""
    )
    if not apply:
        return preview.to_dict()
    count = record_uploads.apply_records(
        report=report_id, actor=request.user, key=preview.key, ip_address=client_ip(request)
    )
    return {"records": count}


@api.post(
    "/reports/{report_id}/records/upload/{preview_key}/apply",
    response={200: RecordsAppliedOut, **REFUSALS},
    auth=WRITE,
    tags=["records"],
)
def apply_records(request: HttpRequest, report_id: Id, preview_key: PreviewKey):
    """The records of a preview replace the report's, while the report is as it was when the
    file was read (409 otherwise: read the file again)."""
    count = record_uploads.apply_records(
        report=report_id, actor=request.user, key=preview_key, ip_address=client_ip(request)
    )
    return {"records": count}


@api.get(
    "/reports/{report_id}/records/{number}",
    response={200: RecordDetailOut, **REFUSALS},
    tags=["records"],
)
def read_record(request: HttpRequest, report_id: Id, number: Id):
    """One record, with what its rules find."""
    report, spec, full = _readable(request, report_id)
    record = Record.objects.filter(report=report, number=number).first()
    if record is None:
        raise DomainError(records.NO_SUCH_RECORD, status=404, code="not_found")
    return _detail(report, record, spec, full)


@api.post(
    "/reports/{report_id}/records",
    response={201: RecordDetailOut, **REFUSALS},
    auth=WRITE,
    tags=["records"],
)
def add_record(request: HttpRequest, report_id: Id, body: RecordIn):
    """„Dodaj kartę”: a new record with these values, stored as given even with errors (the
    answer's `check` lists them); values that cannot be stored at all are in `refused`."""
    values, explanations = _posted(body)
    saved = records.add_record(
        report=report_id,
        actor=request.user,
        values=values,
        explanations=explanations,
        ip_address=client_ip(request),
    )
    report, spec, full = _readable(request, report_id)
    return Status(201, _detail(report, saved.record, spec, full) | {"refused": saved.refused})


@api.put(
    "/reports/{report_id}/records/{number}",
    response={200: RecordDetailOut, **REFUSALS},
    auth=WRITE,
    tags=["records"],
)
def change_record(request: HttpRequest, report_id: Id, number: Id, body: RecordIn):
    """„Zapisz kartę”: the record's values replaced by these."""
    values, explanations = _posted(body)
    saved = records.change_record(
        report=report_id,
        number=number,
        actor=request.user,
        values=values,
        explanations=explanations,
        ip_address=client_ip(request),
    )
    report, spec, full = _readable(request, report_id)
    return _detail(report, saved.record, spec, full)


@api.delete(
    "/reports/{report_id}/records/{number}",
    response={204: None, **REFUSALS},
    auth=WRITE,
    tags=["records"],
)
def remove_record(request: HttpRequest, report_id: Id, number: Id):
    """„Usuń kartę”: the record is removed; its values stay in the report's history."""
    records.remove_record(
        report=report_id, number=number, actor=request.user, ip_address=client_ip(request)
    )
    return Status(204, None)
