"""The report workflow: one function per verb, called by the pages and later by the API.

Each verb checks the user's right and the report's state, runs in one transaction with the
report row locked, writes the audit trail, and queues its mail once the transaction commits.
"""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import require_administrator
from ssoz.accounts.models import Role, User
from ssoz.definitions.form import OtherReports, Period
from ssoz.lib import origin
from ssoz.lib.emails import send_templated_mail
from ssoz.lib.errors import DomainError
from ssoz.publications.models import Obligation, previous_period
from ssoz.publications.services import activate_obligation
from ssoz.registry.models import Entity, OrganisationalUnit
from ssoz.reports import access, cross_form, inputs
from ssoz.reports.models import (
    Report,
    ReportEvent,
    ReportVersion,
    Status,
    ValueChange,
    values_checksum,
)


class WorkflowError(DomainError):
    """A verb that does not apply to the report now (409), or is missing what it needs (400)."""


@dataclass
class SaveResult:
    """What a save stored, what it could not, and why."""

    report: Report
    saved: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # ref: (theirs, mine)
    refused: dict[str, str] = field(default_factory=dict)  # ref: why it was not stored
    stale: bool = False  # somebody else saved since the user loaded the page

    @property
    def ok(self) -> bool:
        """Everything sent was stored."""
        return not self.conflicts and not self.refused

    def to_dict(self, check=None, language: str | None = None, *, values_of=None) -> dict:
        """The save as plain data in `language` (by default the active one), with the engine's
        result over the stored values when given (its values limited to `values_of`): for the
        background save and the API."""
        with translation.override(language or translation.get_language() or "pl"):
            return {
                "ok": self.ok,
                "revision": self.report.revision,
                "saved_at": timezone.localtime(self.report.updated_at).strftime("%H:%M:%S"),
                "saved": sorted(self.saved),
                "conflicts": {
                    ref: {"theirs": theirs, "mine": mine, "message": conflict_message(theirs)}
                    for ref, (theirs, mine) in self.conflicts.items()
                },
                "refused": dict(self.refused),
                "check": check.to_dict(language, values_of=values_of)
                if check is not None
                else None,
            }


def conflict_message(theirs: object) -> str:
    """What a field says when somebody else saved another value in it meanwhile."""
    if isinstance(theirs, list):
        theirs = ", ".join(theirs)
    return gettext(
        "W międzyczasie ktoś inny zapisał tu wartość „%(theirs)s”. Twoja wartość nie "
        "została zapisana: sprawdź, która jest właściwa, i zapisz ponownie."
    ) % {"theirs": theirs or "—"}


def log_event(
    report: Report,
    kind: ReportEvent.Kind,
    user: User | None,
    ip_address: str | None,
    *,
    changes: dict | None = None,
    comment: str = "",
    revision: int | None = None,
) -> None:
    ReportEvent.objects.create(
        report=report,
        user=user,
        kind=kind,
        ip_address=ip_address,
        changes=changes or {},
        comment=comment,
        revision=revision,
        api_token_id=origin.api_token_id(),
    )


def header_snapshot(entity: Entity, unit: OrganisationalUnit | None) -> dict[str, str]:
    """The metryczka as the registry has it when the report is created."""
    header = {
        "entity.name": entity.name,
        "entity.address": entity.address_line,
        "entity.regon": entity.regon,
        "entity.nip": entity.nip,
        "entity.register_book_number": entity.register_book_number,
        "entity.teryt": entity.teryt,
        "entity.voivodeship": str(entity.voivodeship_name),
        "entity.type": str(entity.get_entity_type_display()),
    }
    if unit is not None:
        header.update(
            {
                "unit.name": unit.name,
                "unit.regon14": unit.regon14,
                "unit.code": unit.unit_code,
                "unit.departmental_code": unit.departmental_code,
                "unit.address": unit.address_line,
                "unit.teryt": unit.teryt,
            }
        )
    return header


@transaction.atomic
def create_reports(
    *,
    obligation: Obligation,
    actor: User,
    collective: bool,
    units: Iterable[OrganisationalUnit] = (),
    ip_address: str | None = None,
) -> list[Report]:
    """Create the report for the whole entity (zbiorczo za całą działalność podmiotu), or one
    per chosen organisational unit (indywidualnie za wybrane jednostki organizacyjne).

    Choosing again adds reports for further units; existing reports are kept as they are.
    """
    obligation = activate_obligation(obligation=obligation, actor=actor, ip_address=ip_address)
    levels = obligation.publication.form_version.data.get("levels") or ["entity"]
    units = list(units)
    if collective and "entity" not in levels:
        raise WorkflowError(
            _("Ten formularz wypełnia się tylko za jednostki organizacyjne."), status=400
        )
    if not collective and "unit" not in levels:
        raise WorkflowError(
            _("Ten formularz wypełnia się tylko zbiorczo za cały podmiot."), status=400
        )
    if not collective and not units:
        raise WorkflowError(_("Zaznacz co najmniej jedną jednostkę organizacyjną."), status=400)
    if any(unit.entity_id != obligation.entity_id for unit in units):
        raise PermissionDenied
    existing = set(obligation.reports.values_list("unit_id", flat=True))
    targets: list[OrganisationalUnit | None] = [None] if collective else units
    created = []
    for unit in targets:
        if (unit.pk if unit is not None else None) in existing:
            continue
        report = Report.objects.create(
            obligation=obligation,
            unit=unit,
            publication=obligation.publication,
            voivodeship=obligation.entity.voivodeship,
            header=header_snapshot(obligation.entity, unit),
            updated_by=actor,
        )
        log_event(report, ReportEvent.Kind.CREATED, actor, ip_address)
        created.append(report)
    return created


@transaction.atomic
def enter_paper_report(
    *, obligation: Obligation | int, actor: User, ip_address: str | None = None
) -> Report:
    """An administrator types in a report the entity filed on paper (units with at most five
    staff may): the entity's collective report, recorded as entered by her, which she then
    fills in and sends as its reporter would."""
    require_administrator(actor)
    obligation = (
        Obligation.objects.visible_to(actor)
        .select_related("publication", "entity")
        .filter(pk=obligation if isinstance(obligation, int) else obligation.pk)
        .first()
    )
    if obligation is None:
        raise Http404
    if obligation.reports.filter(unit__isnull=True).exists():
        raise WorkflowError(_("Sprawozdanie zbiorcze tego podmiotu już istnieje."))
    if obligation.activated_at is None:
        obligation.activated_at = timezone.now()
        obligation.activated_by = actor
        obligation.save(update_fields=["activated_at", "activated_by"])
    report = Report.objects.create(
        obligation=obligation,
        publication=obligation.publication,
        voivodeship=obligation.entity.voivodeship,
        header=header_snapshot(obligation.entity, None),
        updated_by=actor,
        on_paper=True,
    )
    log_event(report, ReportEvent.Kind.PAPER, actor, ip_address)
    return report


@transaction.atomic
def save_report(
    *,
    report: Report | int,
    actor: User,
    changes: Mapping[str, object],
    base_revision: int | None,
    explanations: Mapping[str, str] | None = None,
    complete: bool = False,
    ip_address: str | None = None,
) -> SaveResult:
    """„Zapisz do uzupełnienia na później” and the background save: store what was typed.

    `report` is the report or its id: the right to save it is checked on the locked row
    itself, in the same query. `changes` are the values the user typed on a page loaded at
    revision `base_revision`; `complete` says they are the whole form (a page's post), so
    that a multiple choice with nothing ticked is cleared. When somebody else saved in
    between, a value both of them changed differently is not overwritten: the other person's
    value stays stored and this user's value comes back as a conflict to decide, so neither
    is thrown away.
    """
    report = access.lock_for_filling(report, actor)
    if not report.is_editable:
        raise WorkflowError(not_editable_message(report))
    form = report.compiled_form()
    accepted, refused = inputs.bounded(changes, form, complete=complete)
    result = SaveResult(report=report, refused=refused)
    result.stale = base_revision is not None and base_revision != report.revision
    stored = dict(report.values)
    on_page = _values_on_page(report, base_revision, accepted, stored) if result.stale else {}
    diff: dict[str, list[object]] = {}
    for ref, mine in accepted.items():
        blank: object = [] if isinstance(mine, list) else ""
        current = stored.get(ref, blank)
        if mine == current:
            continue
        if result.stale:
            original = on_page.get(ref, current)
            if mine == original:
                continue  # the user did not touch it; the other person's value stands
            if current != original:
                result.conflicts[ref] = (current, mine)
                continue
        diff[ref] = [current, mine]
        if mine in ("", []):
            stored.pop(ref, None)
        else:
            stored[ref] = mine
        result.saved[ref] = mine
    explanation_diff = {}
    if explanations is not None:
        current_explanations = dict(report.explanations)
        for rule_id, text in inputs.bounded_explanations(explanations, form).items():
            if current_explanations.get(rule_id, "") != text:
                explanation_diff[rule_id] = [current_explanations.get(rule_id, ""), text]
                if text:
                    current_explanations[rule_id] = text
                else:
                    current_explanations.pop(rule_id, None)
        report.explanations = current_explanations
    if diff or explanation_diff:
        report.values = stored
        report.revision += 1
        report.updated_at = timezone.now()
        report.updated_by = actor
        changes_log: dict = {"values": diff}
        if explanation_diff:
            changes_log["explanations"] = explanation_diff
        _store_save(report, actor, ip_address, changes_log, diff)
    result.report = report
    return result


def _store_save(
    report: Report,
    actor: User,
    ip_address: str | None,
    changes: dict,
    diff: Mapping[str, list[object]],
) -> None:
    """Write a save: the report's values, its audit row and the values it replaced. On
    PostgreSQL the three go in one statement, one round trip instead of three (the background
    save's every few seconds: docs/performance.md)."""
    if connection.vendor != "postgresql":
        report.save(
            update_fields=["values", "explanations", "revision", "updated_at", "updated_by"]
        )
        log_event(
            report, ReportEvent.Kind.SAVED, actor, ip_address, changes=changes,
            revision=report.revision,
        )  # fmt: skip
        ValueChange.objects.bulk_create(
            ValueChange(report=report, ref=ref, revision=report.revision, old=old)
            for ref, (old, _new) in diff.items()
        )
        return
    json = Report._meta.get_field("values")
    with connection.cursor() as cursor:
        cursor.execute(
            _save_statement(),
            [
                json.get_db_prep_value(report.values, connection),
                json.get_db_prep_value(report.explanations, connection),
                report.revision,
                report.updated_at,
                actor.pk,
                report.pk,
                actor.pk,
                ReportEvent.Kind.SAVED.value,
                report.updated_at,
                ip_address,
                json.get_db_prep_value(changes, connection),
                report.revision,
                origin.api_token_id(),
                report.revision,
                list(diff),
                [json.get_db_prep_value(old, connection) for old, _new in diff.values()],
            ],
        )
        if cursor.rowcount != len(diff):
            raise DatabaseError("the save did not write the report it locked")


@functools.cache
def _save_statement() -> str:
    """UPDATE the report, INSERT its audit row and its replaced values, as one statement;
    the tables' and columns' names come from the models."""
    from psycopg import sql

    report, event, change = Report._meta, ReportEvent._meta, ValueChange._meta

    def column(meta, name: str) -> sql.Identifier:
        return sql.Identifier(meta.get_field(name).column)

    def columns(meta, *names: str) -> sql.Composed:
        return sql.SQL(", ").join(column(meta, name) for name in names)

    statement = sql.SQL(
        "WITH saved AS (UPDATE {report} SET {values} = %s, {explanations} = %s, "
        "{revision} = %s, {updated_at} = %s, {updated_by} = %s WHERE {id} = %s "
        "RETURNING {id} AS id), "
        "logged AS (INSERT INTO {event} ({event_columns}) SELECT id, %s::bigint, %s::varchar, "
        "%s::timestamptz, %s::inet, %s::jsonb, %s::integer, '', %s::bigint FROM saved) "
        "INSERT INTO {change} ({change_columns}) SELECT saved.id, replaced.ref, %s::integer, "
        "replaced.old FROM saved, unnest(%s::text[], %s::jsonb[]) AS replaced(ref, old)"
    ).format(
        report=sql.Identifier(report.db_table),
        **{
            name: column(report, name)
            for name in ("values", "explanations", "revision", "updated_at", "updated_by")
        },
        id=sql.Identifier(report.pk.column),
        event=sql.Identifier(event.db_table),
        event_columns=columns(
            event,
            "report",
            "user",
            "kind",
            "at",
            "ip_address",
            "changes",
            "revision",
            "comment",
            "api_token",
        ),  # fmt: skip
        change=sql.Identifier(change.db_table),
        change_columns=columns(change, "report", "ref", "revision", "old"),
    )
    return statement.as_string(connection.connection)


def not_editable_message(report: Report):
    """Why a report cannot be changed now: sent already, or its period is closed."""
    if report.status in (Status.DRAFT, Status.RETURNED):
        return _(
            "Okres sprawozdawczy jest zamknięty: zmiany są możliwe tylko w korekcie, którą "
            "otwiera administrator."
        )
    return _("Sprawozdanie zostało wysłane i nie można go już zmieniać.")


def _values_on_page(
    report: Report, revision: int, accepted: Mapping[str, object], stored: Mapping[str, object]
) -> dict[str, object]:
    """What a page loaded at `revision` showed for the values this save would change: for
    each, the value before the first save after `revision` that changed it (a value no later
    save changed is what is stored). One indexed look-up per such value, whatever the number
    of saves since."""
    shown: dict[str, object] = {}
    for ref, mine in accepted.items():
        if mine == stored.get(ref, [] if isinstance(mine, list) else ""):
            continue
        first = (
            ValueChange.objects.filter(report=report, ref=ref, revision__gt=revision)
            .order_by("revision")
            .values_list("old", flat=True)
            .first()
        )
        if first is not None:
            shown[ref] = first
    return shown


def previous_values(report: Report) -> dict[str, object]:
    """Typed values of this entity's (or unit's) approved report for the previous period."""
    previous = previous_report(report)
    if previous is None:
        return {}
    form = previous.compiled_form()
    return dict(form.check(previous.values, stage="save", period=period_of(previous, form)).values)


def previous_report(report: Report) -> Report | None:
    entity_id, definition_id, *period = report.period_key()
    year, quarter, month = previous_period(*period)
    return (
        Report.objects.filter(
            obligation__entity_id=entity_id,
            unit_id=report.unit_id,
            publication__form_version__definition_id=definition_id,
            publication__year=year,
            publication__quarter=quarter,
            publication__month=month,
            status=Status.APPROVED,
        )
        .with_form_key()
        .order_by()  # at most one: no sort, no join for it
        .first()
    )


def check_report(report: Report, *, stage: str = "verify", previous: dict | None = None):
    """Run the one engine over a report: type checks, relevance, totals and (verify) all rules,
    in its publication's period (for period_start(), period_end() and deadline()).

    `previous` is last period's typed values when the caller has them already. The reports of
    the other forms its rules read (`reads:`) are looked up when a verify needs them."""
    form = report.compiled_form()
    if previous is None:
        previous = previous_values(report) if form.needs_previous(stage) else {}
    with_records = form.records is not None and stage == "verify"
    result = form.check(
        report.values,
        previous,
        stage=stage,
        period=period_of(report, form, stage),
        others=others_of(report, form, stage),
        record_count=report.records.count() if with_records else None,
    )
    if with_records:
        from . import records

        result.rule_results.extend(records.findings(records.verify_records(report)))
    return result


def others_of(report: Report, form, stage: str = "verify") -> OtherReports | None:
    """The sent reports of the other forms `form` reads, for the same entity and period, when
    checking at `stage` reads them (a verify of a form with `reads:`); one query."""
    return cross_form.other_reports(report, form) if form.needs_others(stage) else None


def period_of(report: Report, form, stage: str = "save") -> Period | None:
    """The report's period as its rules read it, when checking `form` at `stage` reads it:
    otherwise the publication is not read at all (a save reads no more than it needs)."""
    return report.publication.period_dates() if form.needs_period(stage) else None


def unexplained_warnings(report: Report, result) -> list:
    """The warnings still to explain. A warning that another form's report has not been sent
    yet is not among them: there is nothing for the reporter to explain, and the rule is
    checked again once that report is sent."""
    return [
        warning
        for warning in result.warnings
        if warning.awaiting is None and not (report.explanations.get(warning.rule_id) or "").strip()
    ]


def record_verification(report: Report, actor: User, ip_address: str | None, result) -> None:
    log_event(
        report,
        ReportEvent.Kind.VERIFIED,
        actor,
        ip_address,
        comment=gettext("błędy: %(errors)d, ostrzeżenia: %(warnings)d")
        % {"errors": len(result.errors), "warnings": len(result.warnings)},
    )


@transaction.atomic
def send_report(*, report: Report, actor: User, ip_address: str | None = None) -> ReportVersion:
    """„Wyślij”: only without errors and with every warning explained; the report becomes
    read-only, a version is kept with its checksum, and the sender gets a confirmation."""
    report = access.lock_for_filling(report, actor)
    if not report.is_editable:
        raise WorkflowError(not_editable_message(report))
    result = check_report(report)
    if result.errors:
        raise WorkflowError(
            _("Sprawozdanie ma błędy (%(count)d). Popraw je przed wysłaniem."),
            {"count": len(result.errors)},
        )
    missing = unexplained_warnings(report, result)
    if missing:
        raise WorkflowError(
            _("Wyjaśnij każde ostrzeżenie przed wysłaniem (brakuje wyjaśnień: %(count)d)."),
            {"count": len(missing)},
        )
    records = _sendable_records(report)
    # Kept as the form reads it ("1 234,5" as 1234.5), so that results and exports read the
    # sent values without converting them again.
    report.values = report.compiled_form().stored(report.values)
    version = _record_sending(
        report, actor, ip_address, warnings=result.warnings, zero=False, records=records
    )
    version.readers_job = revalidate_readers(report, actor)
    return version


@transaction.atomic
def send_zero_report(
    *, report: Report | int, actor: User, ip_address: str | None = None
) -> ReportVersion:
    """„Wyślij jako sprawozdanie zerowe”: the entity has nothing to report on this form, and
    says so with one action, after a confirmation. Whatever was typed is cleared by a save of
    its own, so that it stays in the report's history; no rule applies to a report with no
    values; the report is sent, and it and its version are recorded as zero."""
    report = access.lock_for_filling(report, actor)
    if not report.is_editable:
        raise WorkflowError(not_editable_message(report))
    if not report.compiled_form().zero_report:
        raise WorkflowError(_("Tego formularza nie wysyła się jako sprawozdania zerowego."))
    if report.compiled_form().records is not None and report.records.exists():
        from . import records

        records.replace_records(report=report, actor=actor, rows=[], ip_address=ip_address)
        report.refresh_from_db()
    if report.values or report.explanations:
        diff = {
            ref: [old, [] if isinstance(old, list) else ""] for ref, old in report.values.items()
        }
        changes: dict = {"values": diff}
        if report.explanations:
            changes["explanations"] = {
                rule_id: [text, ""] for rule_id, text in report.explanations.items()
            }
        report.values = {}
        report.explanations = {}
        report.revision += 1
        report.updated_at = timezone.now()
        report.updated_by = actor
        _store_save(report, actor, ip_address, changes, diff)
    version = _record_sending(report, actor, ip_address, warnings=[], zero=True)
    version.readers_job = revalidate_readers(report, actor)
    return version


def _sendable_records(report: Report) -> list[dict]:
    """The records of a form with repeating records as the version keeps them (their errors
    and unexplained warnings are errors of the report's check); [] for other forms."""
    if report.compiled_form().records is None:
        return []
    from . import records

    return records.sent_records(report)


def revalidate_readers(report: Report, actor: User):
    """Once `report` is sent (first, or again as a correction), the sent and approved reports
    of the same entity and period whose rules read it are checked again, as a job of the
    sender enqueued when the transaction commits; None when no such report exists. Drafts
    need none: they are checked whenever opened or verified."""
    from ssoz.review.services import start_readers_revalidation

    if not cross_form.readers_of(report).exists():
        return None
    return start_readers_revalidation(report=report, actor=actor)


def _record_sending(
    report: Report,
    actor: User,
    ip_address: str | None,
    *,
    warnings: list,
    zero: bool,
    records: list[dict] | None = None,
) -> ReportVersion:
    """The sent version of a locked report whose values are as it keeps them, with its
    checksum and the explanations of its warnings; the report read-only; the sender's
    confirmation by mail when the transaction commits."""
    now = timezone.now()
    number = report.versions.count() + 1
    explanations = {
        warning.rule_id: report.explanations[warning.rule_id]
        for warning in warnings
        if warning.rule_id in report.explanations
    }
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        values=report.values,
        explanations=explanations,
        warnings=[
            {"rule": w.rule_id, "message_pl": w.message_pl, "message_en": w.message_en}
            for w in warnings
        ],
        sent_at=now,
        sent_by=actor,
        checksum=values_checksum(report.values, explanations, records),
        is_zero=zero,
        records=records or [],
    )
    report.status = Status.SENT
    report.sent_at = now
    report.times_sent = number
    report.warning_count = len(warnings)
    report.is_zero = zero
    report.save(
        update_fields=[
            "values",
            "status",
            "sent_at",
            "times_sent",
            "warning_count",
            "is_zero",
            *report.record_first_sending(now),
        ]
    )
    comment = f"#{number} {version.checksum}"
    if zero:
        comment = f"{comment} ({gettext('sprawozdanie zerowe')})"
    log_event(report, ReportEvent.Kind.SENT, actor, ip_address, comment=comment)
    send_templated_mail(
        "report-sent",
        actor.email,
        {
            "user": actor,
            "report": report,
            "version": version,
            "report_url": settings.SITE_URL + reverse("reports:detail", args=[report.pk]),
        },
    )
    return version


def _review_transition(report: Report, actor: User, allowed_from: set[str], error) -> Report:
    """The report locked for an administrator who may review it, in a state the verb applies
    to: 403 for non-administrators, 404 outside her voivodeship, 409 in another state."""
    require_administrator(actor)
    report = access.lock_visible(report, actor)
    if report.status not in allowed_from:
        raise WorkflowError(error)
    return report


@transaction.atomic
def return_report(
    *, report: Report, actor: User, comment: str, ip_address: str | None = None
) -> Report:
    """An administrator returns a sent report for correction („do korekty”) with a comment."""
    require_administrator(actor)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Napisz, co trzeba poprawić."), status=400)
    report = _review_transition(
        report, actor, {Status.SENT}, _("Zwrócić do korekty można tylko wysłane sprawozdanie.")
    )
    report.status = Status.RETURNED
    report.return_comment = comment
    report.save(update_fields=["status", "return_comment"])
    log_event(report, ReportEvent.Kind.RETURNED, actor, ip_address, comment=comment)
    mail_reporters(report, "report-returned", {"comment": comment})
    return report


@transaction.atomic
def approve_report(
    *,
    report: Report | int,
    actor: User,
    comment: str = "",
    only_without_warnings: bool = False,
    ip_address: str | None = None,
) -> Report:
    """„Zatwierdź”: a sent report is approved, with an optional comment; its reporters are
    told by e-mail. A bulk approval approves only reports sent without warnings, as checked
    on the locked row."""
    report = _review_transition(
        report, actor, {Status.SENT}, _("Zatwierdzić można tylko wysłane sprawozdanie.")
    )
    if only_without_warnings and report.warning_count:
        raise WorkflowError(_("Sprawozdanie ma ostrzeżenia: zatwierdź je osobno."))
    comment = comment.strip()
    report.status = Status.APPROVED
    report.return_comment = ""
    report.save(update_fields=["status", "return_comment"])
    log_event(report, ReportEvent.Kind.APPROVED, actor, ip_address, comment=comment)
    mail_reporters(report, "report-approved", {"comment": comment})
    return report


@transaction.atomic
def reopen_report(
    *, report: Report, actor: User, comment: str, ip_address: str | None = None
) -> Report:
    """Reopen an approved report for a correction (korekta); it is verified again when re-sent."""
    require_administrator(actor)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Napisz, czego dotyczy korekta."), status=400)
    report = _review_transition(
        report,
        actor,
        {Status.APPROVED},
        _("Do korekty można otworzyć tylko zatwierdzone sprawozdanie."),
    )
    report.status = Status.RETURNED
    report.is_correction = True
    report.return_comment = comment
    report.accepted_at, report.accepted_by = None, None
    report.reopen_request = ""
    report.save(
        update_fields=[
            "status",
            "is_correction",
            "return_comment",
            "accepted_at",
            "accepted_by",
            "reopen_request",
        ]
    )
    log_event(report, ReportEvent.Kind.REOPENED, actor, ip_address, comment=comment)
    mail_reporters(report, "report-returned", {"comment": comment})
    return report


@transaction.atomic
def request_reopening(
    *, report: Report | int, actor: User, reason: str, ip_address: str | None = None
) -> Report:
    """A reporter asks for her approved report to be reopened for a correction, with a reason
    that the reviewing office sees on the report and gets by mail."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(
            _("Napisz, co trzeba poprawić w zatwierdzonym sprawozdaniu."), status=400
        )
    report = access.lock_for_filling(report, actor)
    if report.status != Status.APPROVED:
        raise WorkflowError(_("O korektę można poprosić tylko w zatwierdzonym sprawozdaniu."))
    report.reopen_request = reason
    report.save(update_fields=["reopen_request"])
    log_event(report, ReportEvent.Kind.REOPEN_REQUESTED, actor, ip_address, comment=reason)
    for reviewer in reviewers_of(report):
        send_templated_mail(
            "reopen-requested",
            reviewer.email,
            {
                "report": report,
                "reason": reason,
                "review_url": settings.SITE_URL + reverse("review:report", args=[report.pk]),
            },
        )
    return report


def reviewers_of(report: Report) -> QuerySet[User]:
    """The active administrators who verify the report: those of the office the programme
    names for its voivodeship, else the voivodeship office's."""
    office = report.publication.verifier_in(report.voivodeship)
    return User.objects.filter(
        role=Role.REGIONAL_ADMIN, voivodeship=report.voivodeship, is_active=True, office=office
    )


@transaction.atomic
def accept_report(*, report: Report | int, actor: User, ip_address: str | None = None) -> Report:
    """„Akceptuj”: the second level. The central administrator accepts a report that the
    reviewing office approved, where its publication asks for acceptance."""
    require_administrator(actor, central=True)
    report = _review_transition(
        report, actor, {Status.APPROVED}, _("Zaakceptować można tylko zatwierdzone sprawozdanie.")
    )
    if not report.publication.needs_acceptance:
        raise WorkflowError(_("Ten formularz nie wymaga akceptacji administratora centralnego."))
    if report.accepted_at is not None:
        raise WorkflowError(_("To sprawozdanie jest już zaakceptowane."))
    report.accepted_at = timezone.now()
    report.accepted_by = actor
    report.save(update_fields=["accepted_at", "accepted_by"])
    log_event(report, ReportEvent.Kind.ACCEPTED, actor, ip_address)
    return report


@transaction.atomic
def withdraw_approval(
    *, report: Report | int, actor: User, reason: str, ip_address: str | None = None
) -> Report:
    """The central administrator withdraws an approval, with a reason: the report is sent
    again, waiting for a decision, and its reporters are told why."""
    require_administrator(actor, central=True)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Napisz, dlaczego zatwierdzenie jest cofane."), status=400)
    report = _review_transition(
        report,
        actor,
        {Status.APPROVED},
        _("Cofnąć można tylko zatwierdzenie zatwierdzonego sprawozdania."),
    )
    report.status = Status.SENT
    report.accepted_at, report.accepted_by = None, None
    report.save(update_fields=["status", "accepted_at", "accepted_by"])
    log_event(report, ReportEvent.Kind.WITHDRAWN, actor, ip_address, comment=reason)
    mail_reporters(report, "approval-withdrawn", {"comment": reason})
    return report


def mail_reporters(report: Report, template: str, context: dict) -> int:
    """Mail the reporters of the entity whose accounts may open this form; returns how many."""
    reporters = access.reporters_who_see(report)
    for reporter in reporters:
        send_templated_mail(
            template,
            reporter.email,
            {
                "report": report,
                "report_url": settings.SITE_URL + reverse("reports:detail", args=[report.pk]),
                **context,
            },
        )
    return len(reporters)
