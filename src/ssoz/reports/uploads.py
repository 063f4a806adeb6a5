"""A report's values from a file („Wczytaj wartości z pliku”): read, bounded, previewed, applied;
and the template file of a form version to fill in.

The file is CSV or XLSX of two columns, a field's reference (`D1.W01.K2`) and its value, with
a header row allowed; a multiple choice's codes are separated by ";". A third column (the
template's label) is ignored. A blank value leaves the field as it is, so that a template
filled in part changes only what was filled in.

Nothing is stored by reading a file: the preview lists, field by field, what would change
and the rules' results after the change, and keeps exactly those values in an
`UploadPreview` bound to the user, the report and the revision it was read at. Applying saves
them through `workflow.save_report`, the one save verb, with that revision: a save made in
between is answered as a conflict by its merge, as for a page loaded before it.
"""

import copy
import csv
import datetime
import io
import re
import secrets
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.models import User
from ssoz.definitions.form import CheckResult
from ssoz.exports.models import EXPORT_CONTENT_TYPES
from ssoz.lib.archives import ArchiveBounds, excess
from ssoz.lib.errors import DomainError
from ssoz.lib.xlsx import Workbook
from ssoz.reports import access, inputs, workflow
from ssoz.reports.models import Report, UploadPreview

MB = 1024 * 1024
# A form's values are a few thousand short cells: the largest shipped form has under 3,000
# fields, and its filled template is some 200 KB as CSV, 100 KB as XLSX.
MAX_UPLOAD_BYTES = 2 * MB
MAX_ROWS = 20_000  # as many fields as a page may post (DATA_UPLOAD_MAX_NUMBER_FIELDS)
# An XLSX is a ZIP archive, refused by what its directory declares before anything is
# unpacked (zipfile never gives more bytes than a part declares): a few hundred kilobytes
# can unpack to gigabytes. 20,000 rows take some 3 MB unpacked; openpyxl reads the shared
# strings whole, at about 7 MB of memory per megabyte (definitions/spreadsheet/limits.py).
MAX_UNPACKED = 10 * MB
MAX_PARTS = 200
MAX_RATIO = 100  # sheet XML packs 10 to 20 times; far better is a repetition made to unpack
RATIO_FROM = 256 * 1024
PREVIEW_LIFETIME = timedelta(hours=2)
PREVIEW_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
HEADER_WORDS = frozenset({"kod", "kod pola", "pole", "odwołanie", "ref", "reference", "code"})
TEMPLATE_HEADER = ("kod", "wartość", "etykieta")
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\r\n")


class UploadRefused(DomainError):
    """A file that is not read at all: too large, not CSV nor XLSX, too many rows."""

    status = 400
    code = "bad_file"

    def __init__(self, message, params=None, *, status: int | None = None) -> None:
        super().__init__(message, params, status=status, code=self.code, field="file")


def _polish(number: int) -> str:
    return f"{number:,}".replace(",", " ")


# --- Reading the file ---------------------------------------------------------------------------


def read_rows(content: bytes, file_name: str = "") -> list[tuple[int, str, str]]:
    """The (row number, reference, value) of every filled row of an uploaded file, the header
    row left out; refused (`UploadRefused`) when the file is too large, is neither CSV nor
    XLSX, or has more than MAX_ROWS rows."""
    rows = []
    for number, (ref, value) in read_table(content, file_name, columns=2):
        ref, value = ref.strip(), value.strip()
        if not rows and ref.lower() in HEADER_WORDS:
            continue
        if ref and value:
            rows.append((number, ref, value))
    return rows


def read_table(
    content: bytes, file_name: str = "", *, columns: int
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(row number, its first `columns` cells as text) of every row of an uploaded CSV or XLSX
    file, bounded as `read_rows` says: the values upload reads two columns, the records
    upload one per field."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise too_large()
    if zipfile.is_zipfile(io.BytesIO(content)):
        cells = _xlsx_rows(content, columns)
    elif file_name.lower().endswith(".xlsx"):
        raise UploadRefused(
            _("Plik nie jest skoroszytem XLSX. Zapisz go w Excelu lub LibreOffice jako .xlsx.")
        )
    else:
        cells = _csv_rows(content, columns)
    for number, row in enumerate(cells, start=1):
        if number > MAX_ROWS:
            raise UploadRefused(
                _("Plik ma za dużo wierszy: może mieć najwyżej %(limit)s."),
                {"limit": _polish(MAX_ROWS)},
            )
        yield number, row


def too_large() -> UploadRefused:
    return UploadRefused(
        _("Plik jest za duży: może mieć najwyżej %(limit)d MB."),
        {"limit": MAX_UPLOAD_BYTES // MB},
        status=413,
    )


def _not_a_table() -> UploadRefused:
    return UploadRefused(
        _("To nie jest plik CSV ani XLSX. Wybierz plik z kodami pól i wartościami.")
    )


def _csv_rows(content: bytes, columns: int) -> Iterator[tuple[str, ...]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Polish Windows saves "CSV" in Windows-1250.
        try:
            text = content.decode("cp1250")
        except UnicodeDecodeError:
            raise _not_a_table() from None
    if any(character in _CONTROL for character in text):
        raise _not_a_table()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield tuple((row + [""] * columns)[:columns])
    except csv.Error as error:
        raise UploadRefused(
            _("Nie można odczytać pliku CSV (wiersz %(row)d): %(reason)s"),
            {"row": reader.line_num, "reason": str(error)},
        ) from None


def _delimiter(text: str) -> str:
    """The separator of the first line: a comma, a semicolon (as Polish Excel saves CSV) or a
    tab, whichever comes first outside quotes. A reference never holds any of them."""
    quoted = False
    for character in text.partition("\n")[0]:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in ",;\t":
            return character
    return ","


def _xlsx_rows(content: bytes, columns: int) -> Iterator[tuple[str, ...]]:
    import openpyxl

    _check_archive(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of what it drops: irrelevant here
            # Read-only: the sheet is parsed row by row as it is read, never held whole.
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in many ways, all the same to the user
        raise _unreadable_workbook() from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS:
            raise UploadRefused(
                _("Plik ma za dużo wierszy: może mieć najwyżej %(limit)s."),
                {"limit": _polish(MAX_ROWS)},
            )
        # The declared size may be too small too: read what is there, bounded by read_rows.
        sheet.reset_dimensions()
        try:
            for cells in sheet.iter_rows(max_col=columns, values_only=True):
                cells = (*cells, *(None,) * columns)[:columns]
                yield tuple(_cell_text(cell) for cell in cells)
        except UploadRefused:
            raise
        except Exception:
            raise _unreadable_workbook() from None
    finally:
        workbook.close()


def _unreadable_workbook() -> UploadRefused:
    return UploadRefused(
        _("Nie można odczytać skoroszytu XLSX. Zapisz go ponownie w Excelu lub LibreOffice.")
    )


# The workbook's bounds (ssoz.lib.archives); no part may be larger than all of them together.
ARCHIVE_BOUNDS = ArchiveBounds(
    max_parts=MAX_PARTS,
    max_unpacked=MAX_UNPACKED,
    max_part=MAX_UNPACKED,
    max_ratio=MAX_RATIO,
    ratio_from=RATIO_FROM,
)


def _check_archive(content: bytes) -> None:
    found = excess(content, ARCHIVE_BOUNDS)
    if found is not None:
        raise UploadRefused(
            _(
                "Skoroszyt po rozpakowaniu zajmowałby %(size)s MB albo jest spakowany "
                "nienaturalnie mocno; może mieć najwyżej %(limit)d MB. Wartości sprawozdania "
                "to zwykle kilkadziesiąt kilobajtów."
            ),
            {"size": f"{found.unpacked / MB:.1f}".replace(".", ","), "limit": MAX_UNPACKED // MB},
        )


def _cell_text(value: object) -> str:
    """A spreadsheet cell as it would be typed: numbers without a needless ".0", dates as
    RRRR-MM-DD, yes and no as „tak” and „nie”."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- The preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field the file changes: its label, the stored value and the uploaded one, and what
    the rules find wrong with the new value."""

    ref: str
    label: str
    old: str
    new: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedRow:
    """A row of the file that would not be stored, and why."""

    row: int
    ref: str
    reason: str


@dataclass
class Preview:
    """What applying a file would do (see the module's docstring)."""

    key: str
    report: Report
    file_name: str
    base_revision: int
    changes: list[FieldChange]
    rejected: list[RejectedRow]
    unchanged: int
    check: CheckResult  # over the values after the change, at stage verify
    values: dict[str, object] = field(default_factory=dict)

    def to_dict(self, language: str | None = None) -> dict:
        """The preview as plain data, its texts in `language`: for the API."""
        with translation.override(language or translation.get_language() or "pl"):
            return {
                "key": self.key,
                "report": self.report.pk,
                "revision": self.base_revision,
                "file": self.file_name,
                "changes": [
                    {
                        "field": change.ref,
                        "label": change.label,
                        "old": change.old,
                        "new": change.new,
                        "problems": list(change.problems),
                    }
                    for change in self.changes
                ],
                "rejected": [
                    {"row": rejected.row, "field": rejected.ref, "reason": rejected.reason}
                    for rejected in self.rejected
                ],
                "unchanged": self.unchanged,
                "check": self.check.to_dict(language),
            }


def shown(value: object) -> str:
    """A stored or uploaded value as the preview shows it (a multiple choice's codes
    separated by "; ", as in the file)."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def editable_report(actor: User, report_id: int) -> Report:
    """The report the user may fill in, by the access rule; refused while it is not
    editable (sent, approved)."""
    report = access.get_report_for_reporter(actor, report_id).report
    if not report.is_editable:
        raise workflow.WorkflowError(workflow.not_editable_message(report))
    return report


def preview_upload(*, report: Report, actor: User, content: bytes, file_name: str = "") -> Preview:
    """Read an uploaded file against a report fetched by `editable_report` and keep what
    applying it would store, changing nothing else. Rows the form has no input field for,
    and values that cannot be stored, are listed with why; the file as a whole is refused
    (`UploadRefused`) only when it cannot be read within the bounds."""
    form = report.compiled_form()
    rows = read_rows(content, file_name)
    by_upper = {ref.upper(): ref for ref in form.fields}
    first_row: dict[str, int] = {}
    rejected: list[RejectedRow] = []
    known: list[tuple[str, str]] = []
    for number, typed_ref, value in rows:
        ref = typed_ref if typed_ref in form.fields else by_upper.get(typed_ref.upper())
        if ref is None:
            reason = gettext("Formularz nie ma pola o tym kodzie.")
            rejected.append(RejectedRow(number, typed_ref[:200], reason))
        elif not form.fields[ref].is_input:
            reason = gettext("To pole jest wyliczane albo zablokowane: nie wpisuje się go.")
            rejected.append(RejectedRow(number, ref, reason))
        else:
            first_row.setdefault(ref, number)
            known.append((ref, value))
    accepted, refused = inputs.bounded(inputs.from_rows(known, form).changes, form)
    for ref, reason in refused.items():
        rejected.append(RejectedRow(first_row[ref], ref, reason))
    stored = dict(report.values)
    after = dict(stored)
    changed: dict[str, object] = {}
    for ref, value in accepted.items():
        if value == stored.get(ref, [] if isinstance(value, list) else ""):
            continue
        changed[ref] = value
        after[ref] = value
    candidate = copy.copy(report)
    candidate.values = after
    check = workflow.check_report(candidate, stage="verify")
    problems = {
        ref: tuple(problem.message() for problem in found)
        for ref, found in check.field_problems.items()
    }
    changes = [
        FieldChange(
            ref=ref,
            label=str(form.fields[ref].label),
            old=shown(stored.get(ref)),
            new=shown(changed[ref]),
            problems=problems.get(ref, ()),
        )
        for ref in form.fields
        if ref in changed
    ]
    rejected.sort(key=lambda item: item.row)
    key = keep_preview(report, actor, changed, file_name)
    return Preview(
        key=key,
        report=report,
        file_name=file_name,
        base_revision=report.revision,
        changes=changes,
        rejected=rejected,
        unchanged=len(accepted) - len(changed),
        check=check,
        values=changed,
    )


def keep_preview(report: Report, actor: User, changes: Mapping[str, object], file_name: str) -> str:
    """Store what a preview would apply (values; for a file of records, {"records": rows})
    under a new random key."""
    key = secrets.token_urlsafe(32)
    UploadPreview.objects.create(
        key=key,
        report=report,
        user=actor,
        base_revision=report.revision,
        changes=dict(changes),
        file_name=file_name[:255],
    )
    return key


def remove_stale_previews(now: datetime.datetime | None = None) -> int:
    """Forget the previews past their lifetime, never applied (by `run_periodic`); a stale
    one is refused by `kept_preview` meanwhile. How many were removed."""
    now = now or timezone.now()
    return UploadPreview.objects.filter(created_at__lt=now - PREVIEW_LIFETIME).delete()[0]


def kept_preview(*, report_id: int, actor: User, key: str) -> UploadPreview:
    """The user's own preview of that report under `key`, still fresh; refused with 404
    otherwise (a key of somebody else's is not told apart from none). A key is what
    `secrets.token_urlsafe` gives: anything else is none, and never reaches the database."""
    key = str(key)
    found = None
    if PREVIEW_KEY.fullmatch(key):
        found = UploadPreview.objects.filter(
            key=key,
            report_id=report_id,
            user=actor,
            created_at__gte=timezone.now() - PREVIEW_LIFETIME,
        ).first()
    if found is None:
        raise DomainError(
            _("Ten podgląd wygasł albo został już zastosowany. Wczytaj plik ponownie."),
            status=404,
            code="preview_gone",
        )
    return found


@transaction.atomic
def apply_upload(
    *, report: int, actor: User, key: str, ip_address: str | None = None
) -> workflow.SaveResult:
    """„Zastosuj zmiany”: save exactly the previewed values, with the revision the preview
    was read at, through the one save verb (its lock, access rule, merge and audit row). A
    preview is applied once. The access rule is asked first, so that nobody learns of a key
    on a report that is not theirs."""
    editable_report(actor, report)
    preview = kept_preview(report_id=report, actor=actor, key=key)
    save = workflow.save_report(
        report=report,
        actor=actor,
        changes=preview.changes,
        base_revision=preview.base_revision,
        ip_address=ip_address,
    )
    preview.delete()
    return save


# --- The template -------------------------------------------------------------------------------


def template_rows(form, values: Mapping[str, object] | None = None) -> Iterator[tuple[str, ...]]:
    """Every input field of the form: its reference, its value (the report's, when given)
    and its label, in the form's order."""
    values = values or {}
    for ref, spec in form.fields.items():
        if spec.is_input:
            yield ref, shown(values.get(ref)), str(spec.label)


def template_csv(form, values: Mapping[str, object] | None = None) -> bytes:
    """The template as CSV separated by ";" with a byte-order mark, as Excel in Polish opens
    it into columns."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(template_rows(form, values))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(form, values: Mapping[str, object] | None = None) -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook(buffer)
    workbook.sheet("Wartości", [TEMPLATE_HEADER], template_rows(form, values), numeric=(False,) * 3)
    workbook.close()
    return buffer.getvalue()


def template_file(report_or_version, suffix: str) -> tuple[bytes, str, str]:
    """The template of a report (with its values) or of a form version (empty), as CSV or
    XLSX (`suffix`): its content, its content type and its file name without extension."""
    if isinstance(report_or_version, Report):
        form, values = report_or_version.compiled_form(), report_or_version.values
        version = report_or_version.form_version
        name = f"{version.definition.code}-{version.version}-sprawozdanie-{report_or_version.pk}"
    else:
        form, values, version = report_or_version.compiled(), None, report_or_version
        name = f"{version.definition.code}-{version.version}-szablon"
    write = template_csv if suffix == "csv" else template_xlsx
    return write(form, values), EXPORT_CONTENT_TYPES[suffix], name.lower()
