"""Repeating records (rekordy) of a report: the cards (karty) of MZ/Szp-11B, one per
discharged patient. Each record is a small form of its own (`CompiledForm.records.form`),
checked by its own rules in the report's period; the report is sent with all of them.

The verbs lock the report as every other verb does (`access.lock_for_filling`), so the rights
to a record are the rights to its report, and audit each change in the report's trail.
Personal data in records (PESEL) is shown in full only to those `sees_personal_data` names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import is_administrator
from ssoz.accounts.models import User
from ssoz.definitions.rules import RuleResult, Severity
from ssoz.definitions.rules import Status as RuleStatus

from . import access, inputs
from .models import Record, Report, ReportEvent
from .workflow import WorkflowError, log_event, not_editable_message


@dataclass(frozen=True, slots=True)
class RecordsSummary:
    """How many records a report holds, and how many of them have errors and warnings."""

    count: int
    with_errors: int
    with_warnings: int
    # The numbers of the first of them, for the messages that send the clerk to them.
    first_with_errors: tuple[int, ...] = ()
    first_with_warnings: tuple[int, ...] = ()


NO_RECORDS = _("Ten formularz nie ma kart.")
NO_SUCH_RECORD = _("Sprawozdanie nie ma karty o tym numerze.")


def records_of(form):
    """The form's repeating records; refused (404) for a form without them."""
    if form.records is None:
        raise WorkflowError(NO_RECORDS, status=404, code="not_found")
    return form.records


def check_record(report: Report, values: Mapping[str, object], *, stage: str = "verify"):
    """One record checked by the engine of its form, in its report's period."""
    from .workflow import period_of

    form = records_of(report.compiled_form()).form
    return form.check(values, stage=stage, period=period_of(report, form, stage))


def summary(report: Report) -> RecordsSummary:
    """The counts of the report's records, from their last checks; one query."""
    counts = Record.objects.filter(report=report).aggregate(
        count=Count("pk"),
        with_errors=Count("pk", filter=Q(errors__gt=0)),
        with_warnings=Count("pk", filter=Q(warnings__gt=0)),
    )
    return RecordsSummary(**counts)


def unexplained(record_result, explanations: Mapping[str, str]) -> list:
    return [w for w in record_result.warnings if not (explanations.get(w.rule_id) or "").strip()]


def _form_checksum(report: Report) -> str:
    checksum = getattr(report, "form_checksum", None)
    return checksum if checksum is not None else report.form_version.checksum


def _checked(report: Report, record: Record) -> Record:
    """The record with the counts of its check brought up to date (not saved)."""
    result = check_record(report, record.values)
    record.errors = len(result.errors)
    record.warnings = len(unexplained(result, record.explanations))
    record.checked_with = _form_checksum(report)
    return record


def _editable(report: Report | int, actor: User) -> Report:
    locked = access.lock_for_filling(report, actor)
    if not locked.is_editable:
        raise WorkflowError(not_editable_message(locked))
    records_of(locked.compiled_form())
    return locked


def _bounded(report: Report, values: Mapping[str, object], explanations) -> tuple[dict, dict, dict]:
    form = records_of(report.compiled_form()).form
    accepted, refused = inputs.bounded(values, form, complete=True)
    kept = {ref: value for ref, value in accepted.items() if value not in ("", [])}
    explained = inputs.bounded_explanations(explanations or {}, form)
    return kept, refused, {rule: text for rule, text in explained.items() if text}


def _touch(report: Report, actor: User) -> None:
    """A change of a record is a change of the report: its revision moves on, so that a page
    of it loaded before knows it is out of date."""
    report.revision += 1
    report.updated_at = timezone.now()
    report.updated_by = actor
    report.save(update_fields=["revision", "updated_at", "updated_by", "last_record_number"])


@dataclass
class RecordSave:
    """What a record's save did: the record, and the values that could not be stored."""

    record: Record
    refused: dict[str, str]


@transaction.atomic
def add_record(
    *,
    report: Report | int,
    actor: User,
    values: Mapping[str, object],
    explanations: Mapping[str, str] | None = None,
    ip_address: str | None = None,
) -> RecordSave:
    """„Dodaj kartę”: a new record with what was typed, kept as typed even with errors (they
    are shown beside it), numbered after the last one ever given in the report."""
    report = _editable(report, actor)
    spec = records_of(report.compiled_form())
    if Record.objects.filter(report=report).count() >= spec.max:
        raise WorkflowError(
            _("Sprawozdanie ma już najwięcej kart, ile może mieć (%(max)d)."), {"max": spec.max}
        )
    kept, refused, explained = _bounded(report, values, explanations)
    report.last_record_number += 1
    record = _checked(
        report,
        Record(
            report=report, number=report.last_record_number, values=kept, explanations=explained
        ),
    )
    record.save()
    _touch(report, actor)
    log_event(
        report,
        ReportEvent.Kind.SAVED,
        actor,
        ip_address,
        changes={"records": {str(record.number): {"added": kept}}},
        comment=gettext("%(name)s nr %(number)d: dodano")
        % {"name": str(spec.name), "number": record.number},
        revision=report.revision,
    )
    return RecordSave(record, refused)


def _record(report: Report, number: int) -> Record:
    record = Record.objects.filter(report=report, number=number).first()
    if record is None:
        raise WorkflowError(NO_SUCH_RECORD, status=404, code="not_found")
    return record


@transaction.atomic
def change_record(
    *,
    report: Report | int,
    number: int,
    actor: User,
    values: Mapping[str, object],
    explanations: Mapping[str, str] | None = None,
    ip_address: str | None = None,
) -> RecordSave:
    """„Zapisz kartę”: the record's values replaced by what was typed on its page."""
    report = _editable(report, actor)
    spec = records_of(report.compiled_form())
    record = _record(report, number)
    kept, refused, explained = _bounded(report, values, explanations)
    # A value that could not be stored stays as it was rather than being cleared.
    for ref in refused:
        if ref in record.values:
            kept[ref] = record.values[ref]
    diff = {
        ref: [record.values.get(ref, ""), kept.get(ref, "")]
        for ref in sorted(set(record.values) | set(kept))
        if record.values.get(ref) != kept.get(ref)
    }
    if not diff and explained == record.explanations:
        return RecordSave(record, refused)
    record.values = kept
    record.explanations = explained
    record.updated_at = timezone.now()
    _checked(report, record).save()
    _touch(report, actor)
    log_event(
        report,
        ReportEvent.Kind.SAVED,
        actor,
        ip_address,
        changes={"records": {str(number): {"values": diff}}},
        comment=gettext("%(name)s nr %(number)d: zmieniono")
        % {"name": str(spec.name), "number": number},
        revision=report.revision,
    )
    return RecordSave(record, refused)


@transaction.atomic
def remove_record(
    *, report: Report | int, number: int, actor: User, ip_address: str | None = None
) -> None:
    """„Usuń kartę”: the record is removed; its values stay in the report's trail."""
    report = _editable(report, actor)
    spec = records_of(report.compiled_form())
    record = _record(report, number)
    record.delete()
    _touch(report, actor)
    log_event(
        report,
        ReportEvent.Kind.SAVED,
        actor,
        ip_address,
        changes={"records": {str(number): {"removed": record.values}}},
        comment=gettext("%(name)s nr %(number)d: usunięto")
        % {"name": str(spec.name), "number": number},
        revision=report.revision,
    )


@transaction.atomic
def replace_records(
    *,
    report: Report | int,
    actor: User,
    rows: Sequence[Mapping[str, object]],
    ip_address: str | None = None,
) -> int:
    """A file of records applied: the report's records become the file's rows, in its order,
    numbered on after the last number ever given (so that no number names two records).
    Returns how many records the report now holds."""
    report = _editable(report, actor)
    spec = records_of(report.compiled_form())
    if len(rows) > spec.max:
        raise WorkflowError(
            _("Plik ma więcej kart (%(count)d), niż sprawozdanie może mieć (%(max)d)."),
            {"count": len(rows), "max": spec.max},
        )
    existing = Record.objects.filter(report=report)
    last = report.last_record_number
    removed = existing.count()
    existing.delete()
    records = []
    for i, row in enumerate(rows, start=1):
        kept, _refused, _explained = _bounded(report, row, None)
        records.append(_checked(report, Record(report=report, number=last + i, values=kept)))
    Record.objects.bulk_create(records, batch_size=500)
    report.last_record_number = last + len(records)
    _touch(report, actor)
    log_event(
        report,
        ReportEvent.Kind.SAVED,
        actor,
        ip_address,
        changes={"records": {"replaced": {"removed": removed, "added": len(records)}}},
        comment=gettext("wczytano z pliku: %(added)d, usunięto: %(removed)d")
        % {"added": len(records), "removed": removed},
        revision=report.revision,
    )
    return len(records)


def verify_records(report: Report) -> RecordsSummary:
    """The report's records as its verify and send see them: the counts of every record
    checked again where they were found with another version of the form's rules (a record's
    check reads only its own values, the period and the rules, so its counts stand until the
    rules change), then the report's summary from them."""
    checksum = _form_checksum(report)
    stale = list(Record.objects.filter(report=report).exclude(checked_with=checksum))
    for record in stale:
        _checked(report, record)
    Record.objects.bulk_update(stale, ["errors", "warnings", "checked_with"], batch_size=500)
    counts = summary(report)
    found = Record.objects.filter(report=report).order_by("number")
    return RecordsSummary(
        count=counts.count,
        with_errors=counts.with_errors,
        with_warnings=counts.with_warnings,
        first_with_errors=tuple(
            found.filter(errors__gt=0).values_list("number", flat=True)[:FIRST_SHOWN]
        ),
        first_with_warnings=tuple(
            found.filter(warnings__gt=0).values_list("number", flat=True)[:FIRST_SHOWN]
        ),
    )


FIRST_SHOWN = 10


def findings(found: RecordsSummary) -> list[RuleResult]:
    """What the records' checks mean for the report's verification: one error naming the
    records with errors, one naming those with warnings not explained yet (explained on each
    record's own page); both block sending."""
    out = []
    for rule_id, count, numbers, pl, en in (
        (
            "records.errors",
            found.with_errors,
            found.first_with_errors,
            "Karty z błędami: {count} (nr {numbers}). Popraw je na liście kart.",
            "Cards with errors: {count} (no. {numbers}). Correct them on the list of cards.",
        ),
        (
            "records.warnings",
            found.with_warnings,
            found.first_with_warnings,
            "Karty z niewyjaśnionymi ostrzeżeniami: {count} (nr {numbers}). Wyjaśnij je na "
            "stronie każdej karty.",
            "Cards with warnings not explained: {count} (no. {numbers}). Explain them on the "
            "page of each card.",
        ),
    ):
        if not count:
            continue
        listed = ", ".join(map(str, numbers)) + (", …" if count > len(numbers) else "")
        out.append(
            RuleResult(
                rule_id,
                Severity.ERROR,
                RuleStatus.FAILED,
                (),
                pl.format(count=count, numbers=listed),
                en.format(count=count, numbers=listed),
            )
        )
    return out


def sent_records(report: Report) -> list[dict]:
    """The records as a sent version keeps them: values as the record's form stores them."""
    form = records_of(report.compiled_form()).form
    return [
        {
            "number": record.number,
            "values": form.stored(record.values),
            "explanations": record.explanations,
        }
        for record in Record.objects.filter(report=report).order_by("number")
    ]


# -- personal data ------------------------------------------------------------------------------


def sees_personal_data(user: User | None, report: Report) -> bool:
    """Who sees a record's PESEL in full: the central administrator, and the entity's own
    accounts restricted to MZ/Szp-11B. Everyone else — regional administrators, other
    reporters, analysts, every export — sees it masked."""
    if user is None or not user.is_authenticated:
        return False
    if is_administrator(user, central=True):
        return True
    return bool(
        user.is_reporter
        and user.psychiatric_card_only
        and user.entity_id == report.obligation.entity_id
    )


def mask(value: object) -> str:
    """A personal identifier masked: its last four characters after bullets (a PESEL's
    date of birth and serial stay hidden)."""
    text = str(value or "")
    if not text:
        return ""
    return "•" * max(len(text) - 4, 3) + text[-4:]


def shown(values: Mapping[str, object], personal: frozenset[str], full: bool) -> dict:
    """`values` with the personal ones masked unless `full`."""
    if full or not personal:
        return dict(values)
    return {ref: mask(v) if ref in personal else v for ref, v in values.items()}
