"""Reporting at national scale, made up: the shipped forms published to a synthetic registry,
reporter accounts, and reports in every state with their sent versions and audit trail.

For benchmarks and for trying the administrators' pages on realistic volumes. The rows are
those the services would write (a report's header from the registry, a version with its
checksum for every sending, an audit row for every step), inserted in bulk so that 75,000
reports take a minute rather than an hour. Values are typed text that passes every rule of its
form; each warning that fires has an explanation. Everything is made up, and the same for a
given seed.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ssoz.accounts.models import Role, User
from ssoz.definitions.form import Period
from ssoz.definitions.models import FormVersion
from ssoz.definitions.services import load_definition
from ssoz.publications.condition import FilingCondition
from ssoz.publications.models import Obligation, Publication
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity, OrganisationalUnit
from ssoz.registry.offices import ensure_voivodeship_offices
from ssoz.registry.synthetic import generate_registry
from ssoz.registry.teryt import Voivodeship
from ssoz.reports import obligation_state
from ssoz.reports.models import (
    Report,
    ReportEvent,
    ReportVersion,
    Status,
    ValueChange,
    values_checksum,
)
from ssoz.reports.workflow import header_snapshot

# How reports of the current period are spread over the states, as on a day before the
# deadline: many sent, some approved, some back for correction, the rest still being filled.
STATE_SHARES = {Status.DRAFT: 0.30, Status.SENT: 0.30, Status.APPROVED: 0.30, Status.RETURNED: 0.10}
# The share of obligations taken up („aktywuj”), and of those reported per unit.
ACTIVATED = 0.8
PER_UNIT = 0.25
# Valid sets of values made per form; each report takes one of them.
VARIANTS = 24
_BATCH = 2000
BENCH_PASSWORD = "Deadline-Day-2026"  # noqa: S105 (made-up accounts of a benchmark database)


@dataclass
class NationalSummary:
    entities: int = 0
    units: int = 0
    obligations: int = 0
    reports: Counter = field(default_factory=Counter)
    versions: int = 0
    events: int = 0
    reporters: int = 0

    def lines(self) -> list[str]:
        states = ", ".join(f"{state}: {count}" for state, count in sorted(self.reports.items()))
        return [
            f"entities: {self.entities}, units: {self.units}",
            f"obligations: {self.obligations}",
            f"reports: {sum(self.reports.values())} ({states})",
            f"sent versions: {self.versions}, audit rows: {self.events}",
            f"reporter accounts: {self.reporters} (password {BENCH_PASSWORD})",
        ]


_NUMERIC = ("integer", "money", "decimal", "percentage")


def _answer(spec, rng: random.Random) -> object:
    """A typed answer to one input field that its converter accepts."""
    kind = str(spec.type)
    if kind in ("integer", "money"):
        low = max(int(spec.min), 0) if spec.min is not None else 0
        high = min(int(spec.max), 60) if spec.max is not None else 60
        return str(rng.randint(low, max(high, low)))
    if kind in ("decimal", "percentage"):
        return f"{rng.randint(0, 90)},{rng.randint(0, 9)}"
    if kind == "yes_no":
        return rng.choice(["tak", "nie"])
    if kind == "single_choice":
        return rng.choice(spec.choices).code
    if kind == "multiple_choice":
        return [rng.choice(spec.choices).code]
    if kind == "email":
        return "statystyka@podmiot.example.pl"
    if kind == "phone":
        return "+48 22 555 01 01"
    if kind == "date":
        return str(spec.min) if spec.min is not None else "2025-06-30"
    if kind == "long_text":
        return "Brak uwag."
    return "Kierownik działu statystyki"


def valid_variants(
    form, rng: random.Random, count: int = VARIANTS, period: Period | None = None
) -> list[dict[str, object]]:
    """Sets of typed values of `form` with no errors at verification in `period`.

    Each starts as random answers; a value that a failing rule or its converter names is set
    to zero (or dropped) until the form verifies clean, which every shipped form does with few
    rounds. Fields made irrelevant by an answer are left out, as a clerk would leave them.
    """
    inputs = [spec for spec in form.fields.values() if spec.is_input]
    variants: list[dict[str, object]] = []
    for _variant in range(count * 3):
        values = {
            spec.ref: _answer(spec, rng) for spec in inputs if spec.required or rng.random() < 0.8
        }
        for _round in range(12):
            result = form.check(values, stage="verify", period=period)
            values = {ref: value for ref, value in values.items() if ref not in result.irrelevant}
            culprits = {ref for finding in result.errors for ref in finding.fields}
            if not culprits:
                variants.append(form.stored(values))  # as a sent report keeps them
                break
            for ref in culprits:
                spec = form.fields.get(ref)
                if spec is not None and spec.computed:
                    # A sum compared with another (a balance sheet's assets and liabilities,
                    # a result that is revenues less costs): zeroing its section's figures
                    # makes every such sum agree.
                    for other in inputs:
                        if other.section == spec.section and str(other.type) in _NUMERIC:
                            values[other.ref] = "0"
                    continue
                if spec is None or not spec.is_input:
                    continue
                if str(spec.type) in _NUMERIC:
                    values[ref] = "0"
                elif not spec.required:
                    values.pop(ref, None)
                else:
                    values[ref] = _answer(spec, rng)
        if len(variants) >= count:
            break
    if not variants:
        raise RuntimeError(f"no valid values found for {form.code} {form.version}")
    return variants


def _prepared(form, rng: random.Random, period: Period | None = None) -> list[tuple]:
    """Valid values with their explanations and warnings, for each report to take one of."""
    return [
        (values, *_explanations(form, values, period))
        for values in valid_variants(form, rng, period=period)
    ]


def _explanations(
    form, values: dict[str, object], period: Period | None
) -> tuple[dict[str, str], list[dict]]:
    warnings = form.check(values, stage="verify", period=period).warnings
    explanations = {w.rule_id: "Wartość sprawdzona w dokumentacji jednostki." for w in warnings}
    listed = [
        {"rule": w.rule_id, "message_pl": w.message_pl, "message_en": w.message_en}
        for w in warnings
    ]
    return explanations, listed


def _load_shipped_forms() -> list[FormVersion]:
    for path in sorted((Path(settings.BASE_DIR) / "definitions").glob("*/*.yaml")):
        load_definition(path.read_text(encoding="utf-8"), filename=str(path))
    return list(FormVersion.objects.select_related("definition"))


def _accounts(entity_ids: list[int], summary: NationalSummary) -> dict[int, int]:
    """A reporter per entity and the administrators; returns the reporter of each entity."""
    password = make_password(BENCH_PASSWORD)
    existing = dict(
        User.objects.filter(role=Role.REPORTER, entity_id__in=entity_ids).values_list(
            "entity_id", "pk"
        )
    )
    new = [
        User(
            username=f"sprawozdawca.{entity_id}",
            email=f"sprawozdawca.{entity_id}@podmiot.example.pl",
            first_name="Sprawozdawca",
            last_name=str(entity_id),
            role=Role.REPORTER,
            entity_id=entity_id,
            password=password,
        )
        for entity_id in entity_ids
        if entity_id not in existing
    ]
    User.objects.bulk_create(new, batch_size=_BATCH)
    summary.reporters = len(new)
    for code in Voivodeship.values:
        User.objects.get_or_create(
            username=f"administrator.{code}",
            defaults={
                "email": f"administrator.{code}@uw.example.gov.pl",
                "role": Role.REGIONAL_ADMIN,
                "voivodeship": code,
                "password": password,
            },
        )
    User.objects.get_or_create(
        username="centrala",
        defaults={
            "email": "centrala@cez.example.gov.pl",
            "role": Role.CENTRAL_ADMIN,
            "password": password,
        },  # fmt: skip
    )
    return dict(
        User.objects.filter(role=Role.REPORTER, entity_id__in=entity_ids).values_list(
            "entity_id", "pk"
        )
    )


class _Writer:
    """Collects rows and inserts them in batches, in the order their keys need."""

    def __init__(self, summary: NationalSummary) -> None:
        self.summary = summary
        self.reports: list[Report] = []
        self.pending: list[tuple[Report, str, int, dict, list, datetime]] = []

    def add(self, report: Report, state: str, reporter: int | None, explanations, warnings, at):
        self.reports.append(report)
        self.pending.append((report, state, reporter, explanations, warnings, at))
        if len(self.reports) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.reports:
            return
        Report.objects.bulk_create(self.reports, batch_size=_BATCH)
        versions: list[ReportVersion] = []
        events: list[ReportEvent] = []
        changes: list[ValueChange] = []
        for report, state, reporter, explanations, warnings, at in self.pending:
            self.summary.reports[state] += 1
            changes.extend(
                ValueChange(
                    report=report, ref=ref, revision=1, old=[] if isinstance(value, list) else ""
                )
                for ref, value in report.values.items()
            )
            events.append(ReportEvent(report=report, user_id=reporter, kind="created", at=at))
            saved = at + timedelta(hours=2)
            events.append(
                ReportEvent(
                    report=report,
                    user_id=reporter,
                    kind="saved",
                    at=saved,
                    revision=1,
                    changes={"values": {ref: ["", value] for ref, value in report.values.items()}},
                )
            )
            if state == Status.DRAFT:
                continue
            sent = saved + timedelta(hours=1)
            checksum = values_checksum(report.values, explanations)
            versions.append(
                ReportVersion(
                    report=report,
                    number=1,
                    values=report.values,
                    explanations=explanations,
                    warnings=warnings,
                    sent_at=sent,
                    sent_by_id=reporter,
                    checksum=checksum,
                )
            )
            events.append(
                ReportEvent(
                    report=report,
                    user_id=reporter,
                    kind="sent",
                    at=sent,
                    comment=f"#1 {checksum}",
                )  # fmt: skip
            )
            if state == Status.APPROVED:
                events.append(
                    ReportEvent(report=report, kind="approved", at=sent + timedelta(days=2))
                )
            elif state == Status.RETURNED:
                events.append(
                    ReportEvent(
                        report=report,
                        kind="returned",
                        at=sent + timedelta(days=2),
                        comment=report.return_comment,
                    )
                )
        ReportVersion.objects.bulk_create(versions, batch_size=_BATCH)
        ReportEvent.objects.bulk_create(events, batch_size=_BATCH)
        ValueChange.objects.bulk_create(changes, batch_size=5 * _BATCH)
        self.summary.versions += len(versions)
        self.summary.events += len(events)
        self.reports, self.pending = [], []


def _period_start(publication: Publication) -> datetime:
    return timezone.make_aware(datetime(publication.year + 1, 1, 10, 9, 0))


def generate_national(
    *,
    entities: int = 30_000,
    seed: int = 0,
    year: int = 2025,
    progress: Callable[[str], None] | None = None,
) -> NationalSummary:
    """Make the registry (if smaller than `entities`), publish the shipped forms for `year` and
    the one before it, and fill in reports: those of the year before all approved (so every
    field shows last period's value), those of `year` in every state (STATE_SHARES)."""
    say = progress or (lambda text: None)
    rng = random.Random(seed)
    summary = NationalSummary()
    ensure_voivodeship_offices()
    missing = entities - Entity.objects.count()
    if missing > 0:
        say(f"registry: {missing} entities")
        generate_registry(missing, seed=seed)
    summary.entities = Entity.objects.count()
    summary.units = OrganisationalUnit.objects.count()
    versions = _load_shipped_forms()
    entity_ids = list(Entity.objects.filter(is_active=True).values_list("pk", flat=True))
    say("accounts")
    reporters = _accounts(entity_ids, summary)
    units_of: dict[int, list[OrganisationalUnit]] = {}
    for unit in OrganisationalUnit.objects.filter(is_active=True).order_by(
        "entity_id", "unit_code"
    ):
        units_of.setdefault(unit.entity_id, []).append(unit)
    entities_by_id = Entity.objects.in_bulk(entity_ids)
    for version in versions:
        form = version.compiled()
        # Values valid in one period may not be in another when the rules read its dates.
        dated = form.needs_period("verify")
        prepared = None if dated else _prepared(form, rng)
        years = [year - 1, year] if form.kind == "periodic" else [int(version.version)]
        for period in years:
            publication = Publication.objects.filter(form_version=version, year=period).first()
            if publication is None:
                with transaction.atomic():
                    publication = publish_form(
                        form_version=version,
                        year=period,
                        quarter=None,
                        deadline=form.deadline.due(period)
                        if form.deadline
                        else date(period + 1, 3, 31),
                        entities=Entity.objects.filter(is_active=True),
                        actor=None,
                        audience="dane syntetyczne",
                        condition=FilingCondition(),
                    )
            elif publication.obligations.filter(reports__isnull=False).exists():
                continue  # filled in by an earlier run
            if dated:
                prepared = _prepared(form, rng, publication.period_dates())
            say(f"{form.code} {period}: reports")
            history = period < year and form.kind == "periodic"
            summary.obligations += _fill(
                publication, prepared, rng, reporters, units_of, entities_by_id, summary, history
            )
    return summary


def _fill(publication, prepared, rng, reporters, units_of, entities_by_id, summary, history) -> int:
    """Take up obligations and write their reports; returns how many obligations there are."""
    writer = _Writer(summary)
    start = _period_start(publication)
    states = list(STATE_SHARES)
    weights = list(STATE_SHARES.values())
    obligations = list(publication.obligations.order_by("pk").values_list("pk", "entity_id"))
    activated: list[int] = []
    with transaction.atomic():
        for obligation_id, entity_id in obligations:
            if rng.random() > (0.6 if history else ACTIVATED):
                continue
            activated.append(obligation_id)
            entity = entities_by_id[entity_id]
            units = units_of.get(entity_id, [])
            targets = (
                rng.sample(units, k=min(len(units), rng.randint(1, 3)))
                if units and rng.random() < PER_UNIT
                else [None]
            )
            for unit in targets:
                values, explanations, warnings = rng.choice(prepared)
                state = Status.APPROVED if history else rng.choices(states, weights)[0]
                at = start + timedelta(minutes=rng.randint(0, 60 * 24 * 40))
                sent = state != Status.DRAFT
                report = Report(
                    obligation_id=obligation_id,
                    unit=unit,
                    publication=publication,
                    voivodeship=entity.voivodeship,
                    status=state,
                    values=values,
                    explanations=explanations,
                    header=header_snapshot(entity, unit),
                    revision=1,
                    created_at=at,
                    updated_at=at + timedelta(hours=2),
                    updated_by_id=reporters.get(entity_id),
                    sent_at=at + timedelta(hours=3) if sent else None,
                    times_sent=1 if sent else 0,
                    warning_count=len(warnings) if sent else 0,
                    return_comment="Proszę sprawdzić dział 1." if state == Status.RETURNED else "",
                )
                writer.add(report, state, reporters.get(entity_id), explanations, warnings, at)
        writer.flush()
        for chunk in range(0, len(activated), _BATCH):
            Obligation.objects.filter(pk__in=activated[chunk : chunk + _BATCH]).update(
                activated_at=start
            )
        # Bulk inserts skip Report.save: the obligations' states follow here.
        for chunk in range(0, len(obligations), _BATCH):
            obligation_state.refresh(pk for pk, _entity in obligations[chunk : chunk + _BATCH])
    return len(obligations)
