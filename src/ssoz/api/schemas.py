"""What the API reads and answers, as pydantic models: the OpenAPI document is generated
from them, and every answer is checked against it in the tests."""

import datetime
import uuid
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from ssoz.lib.ids import MAX_ID_DIGITS

Id = Annotated[int, Field(ge=1, le=10**MAX_ID_DIGITS - 1)]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1)]
# What a field takes: the text a person would type, a number, yes/no, or a list of codes.
Value = str | int | float | bool | list[str] | None


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    """Every refusal: a stable code, the message in both languages, the field concerned."""

    ok: bool = False
    error: str = Field(examples=["invalid_token"])
    message: str
    message_pl: str
    message_en: str
    field: str | None = None
    fields: list[FieldError] | None = None


class UnitOut(Schema):
    id: int
    code: str
    name: str


class ReportSummary(Schema):
    id: int
    obligation: int
    form: str = Field(description="The form's code, e.g. MZ-88")
    period: str
    deadline: datetime.date
    unit: UnitOut | None = Field(description="None: the entity's collective report")
    status: str = Field(description="draft, sent, approved or returned")
    revision: int
    zero: bool
    on_paper: bool
    updated_at: datetime.datetime
    sent_at: datetime.datetime | None


class ObligationOut(Schema):
    id: int
    publication: int
    form: str
    form_name: str
    form_version: int
    period: str
    deadline: datetime.date
    activated: bool
    exempted: bool
    levels: list[str] = Field(description="entity: collectively; unit: per organisational unit")
    zero_report: bool
    reports: list[int]


class VersionOut(Schema):
    number: int
    sent_at: datetime.datetime
    checksum: str
    zero: bool
    pdf: str


class ReportOut(ReportSummary):
    values: dict[str, Any]
    explanations: dict[str, str]
    versions: list[VersionOut]


class Finding(Schema):
    rule: str | None
    fields: list[str]
    message: str
    awaiting: str | None = None


class CheckOut(Schema):
    stage: str
    sendable: bool
    values: dict[str, str]
    problems: dict[str, list[str]]
    errors: list[Finding]
    warnings: list[Finding]
    infos: list[Finding]
    irrelevant: list[str]
    rules_passed: int


class Conflict(Schema):
    theirs: Any
    mine: Any
    message: str


class SaveOut(Schema):
    ok: bool
    revision: int
    saved_at: str
    saved: list[str]
    conflicts: dict[str, Conflict]
    refused: dict[str, str]
    check: CheckOut | None


class ValuesIn(Schema):
    revision: Revision | None = Field(
        None,
        description="The revision the values were read at: a field somebody else changed "
        "since is not overwritten but answered as a conflict. Without it, the values are "
        "written over whatever is stored.",
    )
    values: dict[Annotated[str, Field(max_length=200)], Value] = Field(
        default_factory=dict, max_length=5000
    )
    explanations: dict[Annotated[str, Field(max_length=200)], str] | None = Field(
        None, max_length=1000
    )


class CreateReportsIn(Schema):
    collective: bool = True
    units: list[Id] = Field(default_factory=list, max_length=1000)


class SentOut(Schema):
    report: ReportSummary
    version: VersionOut


class FormVersionOut(Schema):
    id: int
    form: str
    name: str
    version: str
    checksum: str
    definition: dict[str, Any]


# The administrators' endpoints (`administration.py`).


class EntityOut(Schema):
    id: int
    regon: str
    name: str
    voivodeship: str = Field(description="The voivodeship's TERYT code, e.g. 14 (Mazowieckie)")


class QueueItem(ReportSummary):
    """A report in the review queue: its summary and what the queue shows of it."""

    entity: EntityOut
    voivodeship: str = Field(description="The voivodeship whose office reviews the report")
    warning_count: int = Field(description="Warnings in the last sent version")
    times_sent: int = Field(description="More than 1: sent again after a return")
    awaiting_acceptance: bool = Field(
        description="Approved, waiting for the central administrator's acceptance"
    )


class QueuePage(Schema):
    count: int
    limit: int
    offset: int
    counts: dict[str, int] = Field(
        description="How many reports each state of the queue holds (sent, returned, "
        "approved), under the same filters but the state"
    )
    items: list[QueueItem]


class ApproveIn(Schema):
    comment: str = Field(
        "", max_length=5000, description="Optional, mailed to the reporters with the approval"
    )


class ReturnIn(Schema):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=5000, description="What to correct: required, mailed to the reporters"
    )


class ObligationReport(Schema):
    id: int
    unit: UnitOut | None = Field(description="None: the entity's collective report")
    status: str = Field(description="draft, sent, approved or returned")
    sent_at: datetime.datetime | None
    updated_at: datetime.datetime


class CompletenessItem(Schema):
    """One obligation of the publication: its entity, its state, its reports."""

    obligation: int
    entity: EntityOut
    state: str = Field(
        description="As on the completeness pages: not_activated, filling, returned, sent, "
        "approved (the entity's least advanced report), or exempted"
    )
    state_label: str
    activated: bool
    exempted: bool
    sent_late: bool = Field(description="A report was first sent after the deadline")
    reports: list[ObligationReport]
    changed_at: datetime.datetime | None = Field(
        description="The obligation's last change: taken up, exempted, or any of its reports "
        "created, saved, sent or decided on; None when nothing happened since publication"
    )


class StateCounts(Schema):
    counts: dict[str, int] = Field(description="The scope's entities by state")
    total: int = Field(description="The obliged entities, without the exempted ones")
    on_time: int = Field(description="Entities whose first sending came by the deadline")
    late: int


class CompletenessPage(Schema):
    publication: int
    voivodeship: str | None = Field(description="The scope; None: the whole country")
    summary: StateCounts = Field(description="The whole scope's counts, whatever the page")
    count: int
    limit: int
    offset: int
    items: list[CompletenessItem]


class ExportIn(Schema):
    publication: Id
    kind: Literal["dane", "reguly", "karty"] = Field(
        "dane",
        description="dane: one row per report, one column per field; reguly: the rules' "
        "warnings with the reporters' explanations; karty: one row per card of a form with "
        "repeating records (MZ/Szp-11B), PESEL masked",
    )
    format: Literal["csv-pl", "csv", "xlsx", "sdmx"] = Field(
        "csv-pl",
        description="csv-pl: for Polish Excel (semicolon, decimal comma); csv: for software; "
        "xlsx; sdmx: SDMX-CSV 2.0 with its structure (ZIP), not for reguly",
    )
    labels: Literal["pl", "en", "codes"] = Field(
        "pl", description="The columns' header: codes with Polish or English names, or codes"
    )
    include_unapproved: bool = Field(False, description="Also reports sent and not yet approved")


class ExportOut(Schema):
    id: uuid.UUID
    publication: int
    kind: str
    format: str
    state: str = Field(description="The job's: queued, running, succeeded or failed")
    state_label: str
    done: int
    total: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    rows: int | None
    size: int | None = Field(description="The file's size in bytes, once written")
    expires_at: datetime.datetime | None = Field(description="When the file is removed")
    file: str | None = Field(description="Where to download the file, once written")


class UploadChange(Schema):
    field: str
    label: str
    old: str
    new: str
    problems: list[str]


class UploadRejected(Schema):
    row: int = Field(description="The row of the file, counted from 1")
    field: str
    reason: str


class UploadPreviewOut(Schema):
    key: str = Field(description="Apply exactly this preview with POST …/upload/{key}/apply")
    report: int
    revision: int = Field(description="The report's revision the file was read at")
    file: str
    changes: list[UploadChange]
    rejected: list[UploadRejected]
    unchanged: int
    check: CheckOut
