"""The report workflow: one function per verb, called by the pages and later by the API.

Each verb checks the user's right and the report's state, runs in one transaction with the
report row locked, writes the audit trail, and queues its mail once the transaction commits.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ssoz.accounts.models import User
from ssoz.lib.emails import send_templated_mail
from ssoz.registry.models import Entity, OrganisationalUnit
from ssoz.reports import access
from ssoz.reports.models import (
    Obligation,
    Publication,
    Report,
    ReportEvent,
    ReportVersion,
    Status,
    values_checksum,
)

# What one field may hold. Longer input is not stored (and said so): a form field is never a
# place for megabytes, and bounded rows keep saves and exports fast.
MAX_VALUE_CHARS = 20_000
MAX_EXPLANATION_CHARS = 5_000


class WorkflowError(Exception):
    """A verb that does not apply now; the message is for the user."""


@dataclass
class SaveResult:
    report: Report
    saved: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # ref: (theirs, mine)
    refused: dict[str, str] = field(default_factory=dict)  # ref: why it was not stored
    stale: bool = False  # somebody else saved since the user loaded the page


def _lock(report: Report) -> Report:
    # Only the report's row: PostgreSQL cannot lock the nullable side of the join to the unit.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("obligation__publication__form_version", "obligation__entity", "unit")
        .get(pk=report.pk)
    )


def _log(
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
    )


@transaction.atomic
def publish_form(
    *,
    form_version,
    year: int,
    quarter: int | None,
    deadline: date,
    entities: QuerySet[Entity],
    actor: User | None,
    audience: str = "",
) -> Publication:
    """Publish a form version for a period to a set of entities; their reporters then see it."""
    if actor is not None and not actor.is_central_admin:
        raise PermissionDenied
    data = form_version.data
    accounts = set(data.get("accounts") or ["non_financial"])
    publication = Publication.objects.create(
        form_version=form_version,
        year=year,
        quarter=quarter,
        deadline=deadline,
        published_by=actor,
        audience=audience[:500],
        for_non_financial="non_financial" in accounts,
        for_financial="financial" in accounts,
        for_psychiatric_card="psychiatric_card" in accounts,
    )
    _oblige(publication, entities)
    return publication


def _oblige(publication: Publication, entities: QuerySet[Entity]) -> int:
    """Create the obligations of those entities whose type the form is for; return how many."""
    entity_types = publication.form_version.data.get("entity_types")
    if entity_types:
        entities = entities.filter(entity_type__in=entity_types)
    created = Obligation.objects.bulk_create(
        [
            Obligation(publication=publication, entity_id=entity_id)
            for entity_id in entities.values_list("pk", flat=True).iterator()
        ],
        batch_size=2000,
    )
    return len(created)


@transaction.atomic
def add_obligations(
    *,
    publication: Publication,
    entities: QuerySet[Entity],
    actor: User | None,
    audience: str = "",
) -> int:
    """Extend a publication to further entities (ponowna publikacja); an entity already obliged
    keeps its obligation and reports as they are. Returns how many obligations were added."""
    if actor is not None and not actor.is_central_admin:
        raise PermissionDenied
    # The publication row is locked so that two extensions at once cannot both decide that
    # the same entity still needs an obligation.
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("form_version")
        .get(pk=publication.pk)
    )
    added = _oblige(publication, entities.exclude(obligations__publication=publication))
    if added and audience:
        publication.audience = "; ".join(filter(None, [publication.audience, audience]))[:500]
        publication.save(update_fields=["audience"])
    return added


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
def activate_obligation(
    *, obligation: Obligation, actor: User, ip_address: str | None = None
) -> Obligation:
    """„aktywuj”: the reporter takes up the obligation; next she chooses how to report."""
    if not (actor.is_reporter and obligation.entity_id == actor.entity_id):
        raise PermissionDenied
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.activated_at is None:
        obligation.activated_at = timezone.now()
        obligation.activated_by = actor
        obligation.save(update_fields=["activated_at", "activated_by"])
    return obligation


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
        raise WorkflowError(_("Ten formularz wypełnia się tylko za jednostki organizacyjne."))
    if not collective and "unit" not in levels:
        raise WorkflowError(_("Ten formularz wypełnia się tylko zbiorczo za cały podmiot."))
    if not collective and not units:
        raise WorkflowError(_("Zaznacz co najmniej jedną jednostkę organizacyjną."))
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
            header=header_snapshot(obligation.entity, unit),
            updated_by=actor,
        )
        _log(report, ReportEvent.Kind.CREATED, actor, ip_address)
        created.append(report)
    return created


def input_refs(form) -> set[str]:
    """The references a person fills in: neither computed nor blocked."""
    return {ref for ref, spec in form.fields.items() if spec.is_input}


def _bounded(
    changes: Mapping[str, object], known: set[str]
) -> tuple[dict[str, object], dict[str, str]]:
    """Keep what can be stored as typed (text; a list of codes for multiple choice); say why
    the rest cannot."""
    accepted: dict[str, object] = {}
    refused: dict[str, str] = {}
    too_long = _("Wpisany tekst jest za długi (ponad %(limit)s znaków) i nie został zapisany.") % {
        "limit": f"{MAX_VALUE_CHARS:,}".replace(",", " ")
    }
    for ref, raw in changes.items():
        if ref not in known:
            continue  # not a field of this form: ignored, as a stray form field would be
        if isinstance(raw, list | tuple):
            value: object = [str(item).replace("\x00", "") for item in raw][:200]
            size = sum(len(item) for item in value)
        else:
            value = str(raw).replace("\x00", "")
            size = len(value)
        if size > MAX_VALUE_CHARS:
            refused[ref] = too_long
            continue
        accepted[ref] = value
    return accepted, refused


@transaction.atomic
def save_report(
    *,
    report: Report,
    actor: User,
    changes: Mapping[str, object],
    base_revision: int | None,
    explanations: Mapping[str, str] | None = None,
    ip_address: str | None = None,
) -> SaveResult:
    """„Zapisz do uzupełnienia na później” and the background save: store what was typed.

    `changes` are the values the user typed on a page loaded at revision `base_revision`. When
    somebody else saved in between, a value both of them changed differently is not
    overwritten: the other person's value stays stored and this user's value comes back as a
    conflict to decide, so neither is thrown away.
    """
    if not access.can_edit(actor, report):
        if report.status not in (Status.DRAFT, Status.RETURNED):
            raise WorkflowError(_("Sprawozdanie zostało wysłane i nie można go już zmieniać."))
        raise PermissionDenied
    report = _lock(report)
    if not report.is_editable:
        raise WorkflowError(_("Sprawozdanie zostało wysłane i nie można go już zmieniać."))
    form = report.form_version.compiled()
    accepted, refused = _bounded(changes, input_refs(form))
    result = SaveResult(report=report, refused=refused)
    result.stale = base_revision is not None and base_revision != report.revision
    stored = dict(report.values)
    base = values_at_revision(report, base_revision) if result.stale else stored
    diff: dict[str, list[object]] = {}
    for ref, mine in accepted.items():
        current = stored.get(ref, [] if isinstance(mine, list) else "")
        original = base.get(ref, [] if isinstance(mine, list) else "")
        if mine == current:
            continue
        if result.stale and current != original and mine != original:
            result.conflicts[ref] = (current, mine)
            continue
        if result.stale and mine == original:
            continue  # the user did not touch it; the other person's value stands
        diff[ref] = [current, mine]
        if mine in ("", []):
            stored.pop(ref, None)
        else:
            stored[ref] = mine
        result.saved[ref] = mine
    explanation_diff = {}
    if explanations is not None:
        current_explanations = dict(report.explanations)
        for rule_id, text in explanations.items():
            text = str(text)[:MAX_EXPLANATION_CHARS].strip()
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
        report.save(
            update_fields=["values", "explanations", "revision", "updated_at", "updated_by"]
        )
        changes_log: dict = {"values": diff}
        if explanation_diff:
            changes_log["explanations"] = explanation_diff
        _log(
            report,
            ReportEvent.Kind.SAVED,
            actor,
            ip_address,
            changes=changes_log,
            revision=report.revision,
        )
    result.report = report
    return result


def values_at_revision(report: Report, revision: int) -> dict[str, str]:
    """The report's values as they were at an earlier revision, undoing later saves."""
    values = dict(report.values)
    later = report.events.filter(kind=ReportEvent.Kind.SAVED, revision__gt=revision).order_by(
        "-revision"
    )
    for event in later:
        for ref, (old, _new) in event.changes.get("values", {}).items():
            if old in ("", []):
                values.pop(ref, None)
            else:
                values[ref] = old
    return values


def previous_values(report: Report) -> dict[str, object]:
    """Typed values of this entity's (or unit's) approved report for the previous period."""
    previous = previous_report(report)
    if previous is None:
        return {}
    form = previous.form_version.compiled()
    return dict(form.check(previous.values, stage="save").values)


def previous_report(report: Report) -> Report | None:
    publication = report.publication
    if publication.quarter:
        year, quarter = (
            (publication.year, publication.quarter - 1)
            if publication.quarter > 1
            else (publication.year - 1, 4)
        )
    else:
        year, quarter = publication.year - 1, None
    return (
        Report.objects.filter(
            obligation__entity_id=report.obligation.entity_id,
            unit_id=report.unit_id,
            obligation__publication__form_version__definition_id=(
                report.form_version.definition_id
            ),
            obligation__publication__year=year,
            obligation__publication__quarter=quarter,
            status=Status.APPROVED,
        )
        .select_related("obligation__publication__form_version")
        .first()
    )


def check_report(report: Report, *, stage: str = "verify", previous: dict | None = None):
    """Run the one engine over a report: type checks, relevance, totals and (verify) all rules.

    `previous` is last period's typed values when the caller has them already."""
    form = report.form_version.compiled()
    if previous is None:
        previous = previous_values(report)
    return form.check(report.values, previous, stage=stage)


def unexplained_warnings(report: Report, result) -> list:
    return [
        warning
        for warning in result.warnings
        if not (report.explanations.get(warning.rule_id) or "").strip()
    ]


def record_verification(report: Report, actor: User, ip_address: str | None, result) -> None:
    _log(
        report,
        ReportEvent.Kind.VERIFIED,
        actor,
        ip_address,
        comment=_("błędy: %(errors)d, ostrzeżenia: %(warnings)d")
        % {"errors": len(result.errors), "warnings": len(result.warnings)},
    )


@transaction.atomic
def send_report(*, report: Report, actor: User, ip_address: str | None = None) -> ReportVersion:
    """„Wyślij”: only without errors and with every warning explained; the report becomes
    read-only, a version is kept with its checksum, and the sender gets a confirmation."""
    if not access.can_edit(actor, report):
        if report.status not in (Status.DRAFT, Status.RETURNED):
            raise WorkflowError(_("To sprawozdanie zostało już wysłane."))
        raise PermissionDenied
    report = _lock(report)
    if not report.is_editable:
        raise WorkflowError(_("To sprawozdanie zostało już wysłane."))
    result = check_report(report)
    if result.errors:
        raise WorkflowError(
            _("Sprawozdanie ma błędy (%(count)d). Popraw je przed wysłaniem.")
            % {"count": len(result.errors)}
        )
    missing = unexplained_warnings(report, result)
    if missing:
        raise WorkflowError(
            _("Wyjaśnij każde ostrzeżenie przed wysłaniem (brakuje wyjaśnień: %(count)d).")
            % {"count": len(missing)}
        )
    now = timezone.now()
    number = report.versions.count() + 1
    explanations = {
        warning.rule_id: report.explanations[warning.rule_id] for warning in result.warnings
    }
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        values=report.values,
        explanations=explanations,
        warnings=[
            {"rule": w.rule_id, "message_pl": w.message_pl, "message_en": w.message_en}
            for w in result.warnings
        ],
        sent_at=now,
        sent_by=actor,
        checksum=values_checksum(report.values, explanations),
    )
    report.status = Status.SENT
    report.sent_at = now
    report.save(update_fields=["status", "sent_at"])
    _log(report, ReportEvent.Kind.SENT, actor, ip_address, comment=f"#{number} {version.checksum}")
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


def _review_transition(report: Report, actor: User, allowed_from: set[str], error: str) -> Report:
    if not access.can_review(actor, report):
        raise PermissionDenied
    report = _lock(report)
    if report.status not in allowed_from:
        raise WorkflowError(error)
    return report


@transaction.atomic
def return_report(
    *, report: Report, actor: User, comment: str, ip_address: str | None = None
) -> Report:
    """An administrator returns a sent report for correction („do korekty”) with a comment."""
    if not access.can_review(actor, report):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Napisz, co trzeba poprawić."))
    report = _review_transition(
        report, actor, {Status.SENT}, _("Zwrócić do korekty można tylko wysłane sprawozdanie.")
    )
    report.status = Status.RETURNED
    report.return_comment = comment
    report.save(update_fields=["status", "return_comment"])
    _log(report, ReportEvent.Kind.RETURNED, actor, ip_address, comment=comment)
    _mail_reporters(report, "report-returned", {"comment": comment})
    return report


@transaction.atomic
def approve_report(*, report: Report, actor: User, ip_address: str | None = None) -> Report:
    report = _review_transition(
        report, actor, {Status.SENT}, _("Zatwierdzić można tylko wysłane sprawozdanie.")
    )
    report.status = Status.APPROVED
    report.return_comment = ""
    report.save(update_fields=["status", "return_comment"])
    _log(report, ReportEvent.Kind.APPROVED, actor, ip_address)
    return report


@transaction.atomic
def reopen_report(
    *, report: Report, actor: User, comment: str, ip_address: str | None = None
) -> Report:
    """Reopen an approved report for a correction (korekta); it is verified again when re-sent."""
    if not access.can_review(actor, report):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Napisz, czego dotyczy korekta."))
    report = _review_transition(
        report,
        actor,
        {Status.APPROVED},
        _("Do korekty można otworzyć tylko zatwierdzone sprawozdanie."),
    )
    report.status = Status.RETURNED
    report.is_correction = True
    report.return_comment = comment
    report.save(update_fields=["status", "is_correction", "return_comment"])
    _log(report, ReportEvent.Kind.REOPENED, actor, ip_address, comment=comment)
    _mail_reporters(report, "report-returned", {"comment": comment})
    return report


def _mail_reporters(report: Report, template: str, context: dict) -> None:
    """Mail the reporters of the entity whose accounts may open this form."""
    for email in access.reporters_who_see(report).values_list("email", flat=True):
        send_templated_mail(
            template,
            email,
            {
                "report": report,
                "report_url": settings.SITE_URL + reverse("reports:detail", args=[report.pk]),
                **context,
            },
        )
