"""What the API reads and answers, as pydantic models: the OpenAPI document is generated
from them, and every answer is checked against it in the tests."""

import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

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
