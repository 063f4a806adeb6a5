"""Values uploaded as a file: the preview of what a CSV or XLSX file would change, its
application, and the template of a form version to fill in.

The same service as the page's („Wczytaj wartości z pliku”, `ssoz.reports.uploads`), behind
the same access rule; the API adds only the JSON."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import File, Status, UploadedFile
from pydantic import Field

from ssoz.api.core import WRITE, api
from ssoz.api.reporting import REFUSALS, visible_form_version
from ssoz.api.schemas import Error, Id, SaveOut, UploadPreviewOut
from ssoz.exports.models import EXPORT_CONTENT_TYPES
from ssoz.lib.http import attachment, client_ip
from ssoz.reports import uploads, workflow

XLSX = EXPORT_CONTENT_TYPES["xlsx"]
# Shaped as a preview's key (token_urlsafe); an unknown one is simply not found.
PreviewKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _read(upload: UploadedFile) -> bytes:
    # Refused by its size before a byte of it is read.
    if upload.size is None or upload.size > uploads.MAX_UPLOAD_BYTES:
        raise uploads.too_large()
    return upload.read()


def _saved(request: HttpRequest, save: workflow.SaveResult):
    result = workflow.check_report(save.report, stage="save")
    return Status(200 if save.ok else 409, save.to_dict(result))


@api.post(
    "/reports/{report_id}/upload",
    response={**REFUSALS, 200: UploadPreviewOut | SaveOut, 409: SaveOut | Error},
    auth=WRITE,
    tags=["reports"],
)
def upload_values(
    request: HttpRequest,
    report_id: Id,
    file: File[UploadedFile],
    apply: bool = False,
):
    """A CSV or XLSX file of two columns, a field's reference (e.g. `D1.W01.K2`) and its
    value (a header row allowed, a multiple choice's codes separated by ";"), read against
    the report. By default nothing is stored: the answer is the preview, field by field,
    with the rules' results after the change and the rows that would not be stored, and a
    `key` to apply exactly that. With `apply=true` the preview is applied at once."""
    report = uploads.editable_report(request.user, report_id)
    preview = uploads.preview_upload(
        report=report, actor=request.user, content=_read(file), file_name=file.name or ""
    )
    if not apply:
        return preview.to_dict()
    save = uploads.apply_upload(
        report=report_id, actor=request.user, key=preview.key, ip_address=client_ip(request)
    )
    return _saved(request, save)


@api.post(
    "/reports/{report_id}/upload/{preview_key}/apply",
    response={**REFUSALS, 200: SaveOut, 409: SaveOut | Error},
    auth=WRITE,
    tags=["reports"],
)
def apply_upload(
    request: HttpRequest,
    report_id: Id,
    preview_key: PreviewKey,
):
    """Store exactly the values of a preview, with the report's revision at the preview: a
    value somebody else changed since is answered as a conflict (409) and not overwritten.
    A preview is the caller's own, applied once, for two hours."""
    save = uploads.apply_upload(
        report=report_id, actor=request.user, key=preview_key, ip_address=client_ip(request)
    )
    return _saved(request, save)


def _template(request: HttpRequest, version_id: int, suffix: str) -> HttpResponse:
    version = visible_form_version(request.user, version_id)
    content, content_type, name = uploads.template_file(version, suffix)
    return attachment(HttpResponse(content, content_type=content_type), name, suffix)


def _file_answer(content_type: str, description: str) -> dict:
    return {
        "responses": {200: {"description": description, "content": {content_type: {"schema": {}}}}}
    }


@api.get(
    "/forms/{version_id}/template.csv",
    response={200: bytes, **REFUSALS},
    tags=["forms"],
    openapi_extra=_file_answer("text/csv", "The template as CSV separated by semicolons"),
)
def template_csv(request: HttpRequest, version_id: Id):
    """The form version's template to fill in and upload: every input field's reference,
    an empty value and its label, as CSV (";", UTF-8 with a byte-order mark)."""
    return _template(request, version_id, "csv")


@api.get(
    "/forms/{version_id}/template.xlsx",
    response={200: bytes, **REFUSALS},
    tags=["forms"],
    openapi_extra=_file_answer(XLSX, "The template as an XLSX workbook"),
)
def template_xlsx(request: HttpRequest, version_id: Id):
    """The form version's template as an XLSX workbook of the same three columns."""
    return _template(request, version_id, "xlsx")
