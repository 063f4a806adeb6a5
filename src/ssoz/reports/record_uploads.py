"""A report's records from a file („Wczytaj karty z pliku”): read, bounded, previewed, applied.

The file is CSV or XLSX with a header row of the record's field codes (`PESEL`, `SEX`, …; the
template names them all) and one row per record; a multiple choice's codes are separated by
";". It is read by the same bounded reader as the values upload (`uploads.read_table`).
Nothing is stored by reading it: the preview checks every row as a record, counts those with
errors and lists their first problems, and keeps the rows in an `UploadPreview` bound to the
user, the report and its revision. Applying replaces the report's records by the file's
(`records.replace_records`), only while the report is still at that revision.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.models import User
from ssoz.lib.xlsx import Workbook
from ssoz.reports import inputs, records, uploads, workflow
from ssoz.reports.models import Report, UploadPreview

# How many of the rows' problems the preview lists; the counts cover them all.
PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row of the file, as the record it would become."""

    row: int
    message: str


@dataclass
class RecordsPreview:
    """What applying a file of records would do."""

    key: str
    report: Report
    file_name: str
    count: int  # records the file holds
    with_errors: int
    with_warnings: int
    replaced: int  # records the report holds now, which the file's replace
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "report": self.report.pk,
            "file": self.file_name,
            "records": self.count,
            "with_errors": self.with_errors,
            "with_warnings": self.with_warnings,
            "replaced": self.replaced,
            "problems": [{"row": p.row, "message": p.message} for p in self.problems],
            "ignored_columns": self.ignored_columns,
        }


def _header(cells: tuple[str, ...], form) -> tuple[dict[int, str], list[str]]:
    """The column of each record field the header names (codes without regard to case), and
    the headings that name none."""
    by_upper = {ref.upper(): ref for ref in form.refs}
    columns: dict[int, str] = {}
    ignored = []
    for i, heading in enumerate(cells):
        heading = heading.strip()
        if not heading:
            continue
        ref = by_upper.get(heading.upper())
        if ref is None or ref in columns.values():
            ignored.append(heading[:60])
        else:
            columns[i] = ref
    return columns, ignored


def read_records(report: Report, content: bytes, file_name: str = "") -> tuple[list, list]:
    """(rows as record values with their file row numbers, ignored headings) of a file,
    refused (`uploads.UploadRefused`) when it cannot be read within the bounds, has no
    header naming a field, or holds more records than the form allows."""
    spec = records.records_of(report.compiled_form())
    form = spec.form
    width = min(len(form.refs) + 20, 200)
    table = uploads.read_table(content, file_name, columns=width)
    columns: dict[int, str] | None = None
    ignored: list[str] = []
    rows: list[tuple[int, dict]] = []
    for number, cells in table:
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns, ignored = _header(cells, form)
            if not columns:
                raise uploads.UploadRefused(
                    _(
                        "Pierwszy wiersz pliku musi zawierać kody pól karty (np. PESEL, "
                        "DISCHARGE_DATE). Pobierz szablon pliku, aby je zobaczyć."
                    )
                )
            continue
        values: dict[str, object] = {}
        for i, ref in columns.items():
            text = cells[i].strip()
            if text:
                values[ref] = (
                    [c.strip() for c in text.split(";")] if ref in _multiple(form) else text
                )
        rows.append((number, values))
        if len(rows) > spec.max:
            raise uploads.UploadRefused(
                _("Plik ma więcej kart, niż sprawozdanie może mieć (%(max)d)."), {"max": spec.max}
            )
    if columns is None:
        raise uploads.UploadRefused(_("Plik jest pusty."))
    return rows, ignored


def _multiple(form) -> frozenset[str]:
    return frozenset(ref for ref in form.refs if str(form.fields[ref].type) == "multiple_choice")


def preview_records(
    *, report: Report, actor: User, content: bytes, file_name: str = ""
) -> RecordsPreview:
    """Read a file of records against a report fetched by `uploads.editable_report`: every
    row checked as a record, the counts and first problems, the rows kept for „Zastosuj”."""
    form = records.records_of(report.compiled_form()).form
    rows, ignored = read_records(report, content, file_name)
    problems: list[RowProblem] = []
    with_errors = with_warnings = 0
    kept: list[dict] = []
    for number, values in rows:
        accepted, refused = inputs.bounded(values, form, complete=True)
        for ref, reason in refused.items():
            problems.append(RowProblem(number, f"{ref}: {reason}"))
        result = records.check_record(report, accepted)
        if result.errors or refused:
            with_errors += 1
        elif result.warnings:
            with_warnings += 1
        for finding in result.errors[:3]:
            where = ", ".join(finding.fields) if finding.code else ""
            text = f"{where}: {finding.message()}" if where else finding.message()
            problems.append(RowProblem(number, text))
        kept.append({ref: v for ref, v in accepted.items() if v not in ("", [])})
    key = uploads.keep_preview(report, actor, {"records": kept}, file_name)
    return RecordsPreview(
        key=key,
        report=report,
        file_name=file_name,
        count=len(kept),
        with_errors=with_errors,
        with_warnings=with_warnings,
        replaced=report.records.count(),
        problems=problems[:PROBLEMS_SHOWN],
        ignored_columns=ignored,
    )


@transaction.atomic
def apply_records(*, report: int, actor: User, key: str, ip_address: str | None = None) -> int:
    """„Zastosuj”: the report's records replaced by exactly the previewed rows, while the
    report is at the revision the file was read at; a preview is applied once."""
    uploads.editable_report(actor, report)
    preview: UploadPreview = uploads.kept_preview(report_id=report, actor=actor, key=key)
    rows = preview.changes.get("records")
    if not isinstance(rows, list):
        raise uploads.UploadRefused(_("Ten podgląd nie jest podglądem pliku kart."))
    locked = Report.objects.select_for_update().only("revision").get(pk=report)
    if locked.revision != preview.base_revision:
        preview.delete()
        raise workflow.WorkflowError(
            _(
                "Sprawozdanie zmieniło się po wczytaniu pliku (ktoś zapisał je w międzyczasie). "
                "Wczytaj plik ponownie, aby zobaczyć, co zmieni."
            )
        )
    count = records.replace_records(report=report, actor=actor, rows=rows, ip_address=ip_address)
    preview.delete()
    return count


def template_csv(report: Report) -> bytes:
    """A CSV with the header row of every field of the record, for a file of records,
    separated by ";" with a byte-order mark, as Excel in Polish opens it into columns."""
    form = records.records_of(report.compiled_form()).form
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(form.refs)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(report: Report) -> bytes:
    """The same header as a workbook, with each field's label and answers on a second sheet."""
    form = records.records_of(report.compiled_form()).form
    buffer = io.BytesIO()
    workbook = Workbook(buffer)
    workbook.sheet(gettext("Karty"), [list(form.refs)], [], numeric=(False,) * len(form.refs))
    workbook.sheet(
        gettext("Pola"),
        [[gettext("kod"), gettext("etykieta"), gettext("odpowiedzi")]],
        (
            [
                ref,
                str(form.fields[ref].label),
                "; ".join(f"{c.code} = {c.label}" for c in form.fields[ref].choices),
            ]
            for ref in form.refs
        ),
        numeric=(False,) * 3,
    )
    workbook.close()
    return buffer.getvalue()
