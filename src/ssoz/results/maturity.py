"""The cybersecurity survey's maturity results (wyniki ankiety dojrzałości): how many entities
stand at each level 0–5 of each area and overall, the areas' means by voivodeship and entity
type, and one entity's areas against its peers', with its weakest link and what the next level
of its lagging areas would take.

Everything is read from the form itself (`scale_of`): an area is a computed field that
averages the points (`score()`) of single-choice controls, as ANKIETA-CYBER's
`A1_SCORE = round(avg(score(A1_Q6), score(A1_Q7), score(A1_Q8)), 2)`, and the overall level the
computed field that averages the areas. Reports keep what was typed, not computed fields, so
the scores are worked out here as the form works them out: a control counts when it is relevant
and its answer has points ("nie dotyczy" has none), an area is the mean of its counted controls
rounded as the field is, the overall level the mean of the areas that have a score.
`tests/results/test_maturity.py` checks this against the form's own engine.

An entity's level in an area is the whole level its score reaches (2.67 is level 2: level 3 is
not met in every control). An entity that reports per unit is one respondent: each area the
mean of its units' area scores, its computers their sum, each control its lowest level.

The respondents are read in one streamed pass of the needed values of the publication's
reports, whatever their number (`respondents`); the rest is arithmetic on that pass.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext_lazy as _

from ssoz.definitions.form import CompiledForm
from ssoz.definitions.form.plan import RELEVANCE_MISSING
from ssoz.definitions.form.structure import NUMERIC_TYPES, FieldType, Text
from ssoz.definitions.rules import RuleEngineError
from ssoz.publications.models import Publication
from ssoz.registry.models import EntityType
from ssoz.registry.teryt import Voivodeship
from ssoz.reports.models import Report, Status
from ssoz.results.aggregates import Scope
from ssoz.results.suppression import TOTAL, Reason, Rule, Table, protect

LEVELS = range(6)
TOP = 5
# The survey's own count of computers, by form code: the size of an entity for its peers.
SIZE_QUESTIONS = {"ANKIETA-CYBER": "A0_Q5"}
# Size bands by the count of computers (an entity with none is in the smallest).
BANDS = (
    ("1-49", _("1–49 komputerów"), Decimal(50)),
    ("50-249", _("50–249 komputerów"), Decimal(250)),
    ("250+", _("250 i więcej komputerów"), None),
)
BAND_LABELS = {code: label for code, label, _limit in BANDS}
_CHUNK = 2000
_LEVEL_HINT = re.compile(
    r"(?:[Pp]oziom|[Ll]evel)\s+(\d)\s*:\s*(.+?)"
    r"(?=;\s*(?:[Pp]oziom|[Ll]evel)\s+\d\s*:|\.\s+[A-ZĄĆĘŁŃÓŚŹŻ]|\.?$)"
)
_AREA_PREFIX = re.compile(r"^(?:Obszar|Area)\s+", re.IGNORECASE)


def size_band(computers: Decimal | None) -> str | None:
    """The size band of an entity with this many computers; None when it did not say."""
    if computers is None:
        return None
    for code, _label, limit in BANDS:
        if limit is None or computers < limit:
            return code
    return None


def level_of(score: Decimal | None) -> int | None:
    """The whole level a score reaches (the mean 2.67 is level 2)."""
    if score is None:
        return None
    return max(0, min(TOP, int(score)))


# --- The scale, read from the form ------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """A control (pytanie oceniane na skali 0–5): its levels' descriptions, as the form gives
    them in its answers and in its help ("Poziom 3: …")."""

    ref: str
    label: Text
    help: Text | None
    scores: Mapping[str, int]  # answer code → level; answers without points are absent
    levels: Mapping[int, Text]  # level → the answer's label
    hints: Mapping[int, Text]  # level → what the control's help says of it

    def next_level(self, level: int) -> tuple[int, Text, Text | None] | None:
        """The level above `level`, its description and the control's own hint, if any."""
        if level >= TOP:
            return None
        target = level + 1
        return (
            target,
            self.levels.get(target, Text(str(target), str(target))),
            self.hints.get(target),
        )


@dataclass(frozen=True)
class Area:
    """An area of the survey (obszar): a computed score over its controls."""

    code: str
    score_ref: str
    title: Text
    controls: tuple[Control, ...]
    quantum: Decimal

    @property
    def short_title(self) -> Text:
        return Text(_AREA_PREFIX.sub("", self.title.pl), _AREA_PREFIX.sub("", self.title.en))


@dataclass(frozen=True)
class _Condition:
    run: Any
    references: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    """A form's maturity scale (skala dojrzałości): its areas, its overall level and the
    question that gives an entity's size."""

    form: CompiledForm
    areas: tuple[Area, ...]
    overall_ref: str
    overall_quantum: Decimal
    size_ref: str | None
    conditions: Mapping[str, tuple[_Condition, ...]]

    @property
    def controls(self) -> Iterator[Control]:
        for area in self.areas:
            yield from area.controls

    @functools.cached_property
    def refs(self) -> tuple[str, ...]:
        """The values one report's scores are worked out from: the controls, what their
        relevance looks at, and the size question."""
        wanted = [control.ref for control in self.controls]
        if self.size_ref:
            wanted.append(self.size_ref)
        seen: list[str] = []
        pending = list(wanted)
        while pending:
            ref = pending.pop(0)
            if ref in seen:
                continue
            seen.append(ref)
            for condition in self.conditions.get(ref, ()):
                pending.extend(condition.references)
        return tuple(seen)

    def area(self, code: str) -> Area:
        return next(area for area in self.areas if area.code == code)

    def scores(self, raw: Mapping[str, Any]) -> Scores:
        """One report's scores from what was typed, as the form computes them."""
        row = _Row(self, raw)
        controls: dict[str, int | None] = {}
        areas: list[Decimal | None] = []
        for area in self.areas:
            points = []
            for control in area.controls:
                level = row.level(control)
                controls[control.ref] = level
                if level is not None:
                    points.append(level)
            areas.append(_mean(points, area.quantum))
        computers = row.value(self.size_ref) if self.size_ref else None
        return Scores(
            tuple(areas),
            _mean([a for a in areas if a is not None], self.overall_quantum),
            computers if isinstance(computers, Decimal) else None,
            controls,
        )


def _mean(values: Sequence[Decimal | int], quantum: Decimal) -> Decimal | None:
    if not values:
        return None
    mean = Decimal(sum(values)) / len(values)
    return mean.quantize(quantum, ROUND_HALF_UP) if quantum else mean


class _Row:
    """One report's typed values, converted and checked for relevance only as far as asked."""

    def __init__(self, scale: Scale, raw: Mapping[str, Any]) -> None:
        self.scale = scale
        self.raw = raw
        self._values: dict[str, Any] = {}

    def level(self, control: Control) -> int | None:
        code = self.raw.get(control.ref)
        level = control.scores.get(code) if isinstance(code, str) else None
        if level is None or not self.relevant(control.ref):
            return None
        return level

    def value(self, ref: str) -> Any:
        if ref not in self._values:
            self._values[ref] = None  # a relevance cycle cannot be built; this guards anyway
            typed = self.raw.get(ref)
            value = None
            if typed not in (None, "", []):
                convert = self.scale.form.field(ref).converter
                if convert is not None:
                    value, problem = convert(typed)
                    if problem is not None:
                        value = None
            if value is not None and not self.relevant(ref):
                value = None
            self._values[ref] = value
        return self._values[ref]

    def relevant(self, ref: str) -> bool:
        for condition in self.scale.conditions.get(ref, ()):
            values = {}
            for name in condition.references:
                value = self.value(name)
                if value is not None:
                    values[name] = value
            try:
                if condition.run(values, {}) is not True:
                    return False
            except (ArithmeticError, RuleEngineError):
                continue  # as the engine does: when in doubt, the field is asked
        return True


@dataclass(frozen=True)
class Scores:
    """One report's scores: each area's, the overall level, its computers and its controls'
    levels."""

    areas: tuple[Decimal | None, ...]
    overall: Decimal | None
    computers: Decimal | None
    controls: Mapping[str, int | None]


def scale_of(form: CompiledForm) -> Scale | None:
    """The form's maturity scale, or None when it has none (the form is no maturity survey)."""
    return _scale_of(form)


@functools.lru_cache(maxsize=32)
def _scale_of(form: CompiledForm) -> Scale | None:
    areas: list[Area] = []
    overall = None
    for section in form.sections:
        for spec in section.fields:
            if not (spec.computed and spec.calculation and spec.type in NUMERIC_TYPES):
                continue
            refs = spec.calculation.current_references
            quantum = Decimal(1).scaleb(-(spec.precision or 0))
            if (
                refs
                and "avg(" in spec.calculation.source
                and all(_is_control(form, r) for r in refs)
            ):
                areas.append(
                    Area(
                        section.code,
                        spec.ref,
                        section.title,
                        tuple(_control(form, form.field(r)) for r in refs),
                        quantum,
                    )
                )
            elif refs and "avg(" in spec.calculation.source:
                overall = (spec.ref, refs, quantum)
    if not areas or overall is None:
        return None
    by_ref = {area.score_ref: area for area in areas}
    if not set(overall[1]) <= set(by_ref):
        return None
    chosen = tuple(by_ref[ref] for ref in overall[1])
    size_ref = SIZE_QUESTIONS.get(form.code)
    if size_ref is not None and size_ref not in form.fields:
        size_ref = None
    return Scale(
        form, chosen, overall[0], overall[2], size_ref, _conditions(form, chosen, size_ref)
    )


def _is_control(form: CompiledForm, ref: str) -> bool:
    spec = form.fields.get(ref)
    return (
        spec is not None
        and spec.type == FieldType.SINGLE_CHOICE
        and any(choice.score is not None for choice in spec.choices)
    )


def _control(form: CompiledForm, spec) -> Control:
    scores = {c.code: int(c.score) for c in spec.choices if c.score is not None}
    levels = {int(c.score): c.label for c in spec.choices if c.score is not None}
    hints: dict[int, Text] = {}
    if spec.help is not None:
        polish = dict(_hints(spec.help.pl))
        english = dict(_hints(spec.help.en))
        for level in sorted(set(polish) | set(english)):
            hints[level] = Text(polish.get(level, ""), english.get(level, ""))
    return Control(spec.ref, spec.label, spec.help, scores, levels, hints)


def _hints(text: str) -> Iterator[tuple[int, str]]:
    for match in _LEVEL_HINT.finditer(text):
        yield int(match.group(1)), match.group(2).strip()


def _conditions(form: CompiledForm, areas, size_ref) -> dict[str, tuple[_Condition, ...]]:
    """The relevance conditions (the section's and the field's own) of every value the scores
    read, and of every value those conditions read, as the form's plan applies them."""
    section_of = {ref: section for section in form.sections for ref in section.refs}
    found: dict[str, tuple[_Condition, ...]] = {}
    pending = [control.ref for area in areas for control in area.controls]
    if size_ref:
        pending.append(size_ref)
    while pending:
        ref = pending.pop()
        if ref in found:
            continue
        spec = form.field(ref)
        section = section_of.get(ref)
        expressions = [e for e in (section.relevance if section else None, spec.relevance) if e]
        conditions = tuple(
            _Condition(e.runner(RELEVANCE_MISSING), tuple(e.current_references))
            for e in expressions
        )
        found[ref] = conditions
        for condition in conditions:
            pending.extend(r for r in condition.references if r not in found)
    return {ref: conditions for ref, conditions in found.items() if conditions}


# --- The respondents: one streamed pass -------------------------------------------------------


@dataclass
class Respondent:
    """An entity that answered the survey, with its scores (its units' combined)."""

    entity_id: int
    voivodeship: str
    entity_type: str
    computers: Decimal | None
    areas: tuple[Decimal | None, ...]
    overall: Decimal | None

    @property
    def band(self) -> str | None:
        return size_band(self.computers)


@dataclass
class Respondents:
    """Every entity that answered, and the controls' levels of the one asked about."""

    scale: Scale
    all: list[Respondent]
    controls: dict[str, int | None] = field(default_factory=dict)

    def of(self, entity_id: int | None) -> Respondent | None:
        return next((r for r in self.all if r.entity_id == entity_id), None)

    def within(self, scope: Scope) -> list[Respondent]:
        if not scope.voivodeship:
            return self.all
        return [r for r in self.all if r.voivodeship == scope.voivodeship]


def counted_reports(publication: Publication, *, final_only: bool = True, reports=None):
    """The reports a survey's results count (of `reports`, by default all): approved at the
    last level the form needs, or, when asked, also those sent and waiting for review."""
    reports = (reports if reports is not None else Report.objects).filter(publication=publication)
    if final_only:
        return reports.final()
    return reports.filter(status__in=[Status.SENT, Status.APPROVED])


def respondents(
    publication: Publication,
    scale: Scale,
    *,
    final_only: bool = True,
    controls_of: int | None = None,
) -> Respondents:
    """The country's respondents in one pass over the publication's counted reports, reading
    only the values the scores need; the controls' levels are kept for `controls_of` alone.

    A survey is about the entity as a whole, so it is placed where its report is reviewed
    (`Report.voivodeship`, its entity's)."""
    refs = scale.refs
    found = (
        counted_reports(publication, final_only=final_only)
        .order_by()
        .values_list(
            "obligation__entity_id",
            "voivodeship",
            "obligation__entity__entity_type",
            *(KeyTextTransform(ref, "values") for ref in refs),
        )
    )
    combined: dict[int, list] = {}
    lowest: dict[str, int | None] = {}
    for entity_id, voivodeship, entity_type, *typed in found.iterator(chunk_size=_CHUNK):
        raw = {ref: _typed(value) for ref, value in zip(refs, typed, strict=True)}
        scores = scale.scores(raw)
        if entity_id == controls_of:
            for ref, level in scores.controls.items():
                before = lowest.get(ref)
                if level is not None:
                    lowest[ref] = level if before is None else min(level, before)
                else:
                    lowest.setdefault(ref, None)
        entry = combined.get(entity_id)
        if entry is None:
            combined[entity_id] = [voivodeship, entity_type, scores.computers, [scores]]
        else:
            entry[3].append(scores)
            if scores.computers is not None:
                entry[2] = (entry[2] or Decimal(0)) + scores.computers
    result = []
    for entity_id, (voivodeship, entity_type, computers, reports) in combined.items():
        if len(reports) == 1:
            areas, overall = reports[0].areas, reports[0].overall
        else:
            areas = tuple(
                _mean([s.areas[i] for s in reports if s.areas[i] is not None], area.quantum)
                for i, area in enumerate(scale.areas)
            )
            overall = _mean([a for a in areas if a is not None], scale.overall_quantum)
        result.append(Respondent(entity_id, voivodeship, entity_type, computers, areas, overall))
    return Respondents(scale, result, lowest)


def _typed(value: Any) -> Any:
    # A multiple choice comes back from the JSON as the text of its list.
    if isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# --- The distribution -------------------------------------------------------------------------

NO_SCORE = "none"  # the distribution's column of respondents without a score in the area


@dataclass
class DistributionRow:
    label: str
    counts: dict[str, int]  # "0"…"5" and NO_SCORE
    total: int
    hidden: dict[str, Reason]

    def cells(self) -> list[tuple[int, Reason | None]]:
        return [(self.counts[key], self.hidden.get(key)) for key in distribution_keys()]


def distribution_keys() -> list[str]:
    return [str(level) for level in LEVELS] + [NO_SCORE]


def distribution(
    scale: Scale, respondents: Iterable[Respondent], *, suppressed: bool, rule: Rule | None = None
) -> list[DistributionRow]:
    """How many entities stand at each level of each area and overall. Under suppression,
    each row is protected as a one-way table whose total (the respondents) is published."""
    rule = rule or Rule()
    members: list[dict[str, dict[int, float]]] = [
        {key: {} for key in distribution_keys()} for _ in range(len(scale.areas) + 1)
    ]
    for respondent in respondents:
        for index, score in enumerate([*respondent.areas, respondent.overall]):
            level = level_of(score)
            key = NO_SCORE if level is None else str(level)
            members[index][key][respondent.entity_id] = 1.0
    labels = [str(area.title) for area in scale.areas] + [str(_("Ogólny poziom dojrzałości"))]
    rows = []
    for label, cells in zip(labels, members, strict=True):
        hidden: dict[str, Reason] = {}
        if suppressed:
            table = Table.from_rows((key, cells[key]) for key in distribution_keys())
            for (key, _column), reason in protect(table, rule).hidden.items():
                hidden.setdefault(key, reason)
        counts = {key: len(cells[key]) for key in distribution_keys()}
        total_hidden = hidden.pop(TOTAL, None)
        if total_hidden:
            hidden = dict.fromkeys(distribution_keys(), total_hidden)
        rows.append(DistributionRow(label, counts, sum(counts.values()), hidden))
    return rows


# --- Means by group ---------------------------------------------------------------------------

GROUPINGS = {"wojewodztwo": _("województwo"), "typ": _("typ jednostki")}


@dataclass
class GroupRow:
    key: str
    label: str
    count: int
    overall: Decimal | None
    areas: list[Decimal | None]
    hidden: Reason | None = None  # the whole row
    hidden_areas: dict[int, Reason] = field(default_factory=dict)

    def area_cells(self) -> list[tuple[Decimal | None, Reason | None]]:
        return [
            (mean, self.hidden or self.hidden_areas.get(index))
            for index, mean in enumerate(self.areas)
        ]


def group_means(
    scale: Scale,
    respondents: Sequence[Respondent],
    grouping: str,
    *,
    suppressed: bool,
    rule: Rule | None = None,
) -> list[GroupRow]:
    """The mean overall level and area scores by voivodeship or entity type, the country's
    (or the scope's) last. Under suppression the sums behind the means are protected: the
    overall level as a one-way table, the areas as a two-way table of groups by areas."""
    rule = rule or Rule()
    key_of = (lambda r: r.voivodeship) if grouping == "wojewodztwo" else (lambda r: r.entity_type)
    overall: dict[str, dict[int, float]] = defaultdict(dict)
    areas: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for respondent in respondents:
        key = key_of(respondent)
        overall[key]  # noqa: B018 (a group with no overall score still counts its entities)
        if respondent.overall is not None:
            overall[key][respondent.entity_id] = float(respondent.overall)
        for index, score in enumerate(respondent.areas):
            if score is not None:
                areas[key, str(index)][respondent.entity_id] = float(score)
    counts: dict[str, int] = defaultdict(int)
    for respondent in respondents:
        counts[key_of(respondent)] += 1
    labels = {key: _group_label(grouping, key) for key in counts}
    keys = sorted(counts, key=lambda key: labels[key])
    columns = [str(index) for index in range(len(scale.areas))]
    hidden_rows: dict[str, Reason] = {}
    hidden_cells: dict[tuple[str, str], Reason] = {}
    if suppressed and keys:
        one_way = Table.from_rows((key, overall[key]) for key in keys)
        for (row, _column), reason in protect(one_way, rule).hidden.items():
            hidden_rows.setdefault(row, reason)
        two_way = Table.from_entities(keys, columns, areas)
        hidden_cells = protect(two_way, rule).hidden
    rows = []
    for key in [*keys, TOTAL]:
        if key == TOTAL:
            members = list(respondents)
            label = str(_("Razem"))
        else:
            members = [r for r in respondents if key_of(r) == key]
            label = labels[key]
        row = GroupRow(
            key,
            label,
            len(members),
            _plain_mean([r.overall for r in members]),
            [_plain_mean([r.areas[i] for r in members]) for i in range(len(scale.areas))],
            hidden=hidden_rows.get(key),
        )
        row.hidden_areas = {
            int(column): reason
            for (group, column), reason in hidden_cells.items()
            if group == key and column != TOTAL
        }
        rows.append(row)
    return rows


def _plain_mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return (sum(present, Decimal(0)) / len(present)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _group_label(grouping: str, key: str) -> str:
    if grouping == "wojewodztwo":
        return str(Voivodeship(key).label) if key in Voivodeship.values else key
    return str(EntityType(key).label) if key in EntityType.values else key


# --- One entity against its peers -------------------------------------------------------------


@dataclass
class Peers:
    """The entities an entity is compared with (grupa porównawcza): of its type and size
    band, or of its type alone when its band has too few; never itself."""

    basis: str | None  # "band", "type", or None when even its type has too few
    band: str | None
    count: int
    areas: tuple[Decimal | None, ...]  # None where fewer than `min_count` peers have a score
    overall: Decimal | None

    @property
    def shown(self) -> bool:
        return self.basis is not None

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band]) if self.band else ""


def peers_of(
    entity: Respondent, respondents: Iterable[Respondent], *, rule: Rule | None = None
) -> Peers:
    """The peers' means, each of at least `min_count` other entities (statistical
    confidentiality: no figure shown is one other entity's answer)."""
    rule = rule or Rule()
    others = [
        r
        for r in respondents
        if r.entity_id != entity.entity_id and r.entity_type == entity.entity_type
    ]
    band = entity.band
    group = [r for r in others if band is not None and r.band == band]
    basis = "band"
    if len(group) < rule.min_count:
        group, basis = others, "type"
    if len(group) < rule.min_count:
        return Peers(None, band, len(group), tuple(None for _ in entity.areas), None)

    def mean(values: list[Decimal | None]) -> Decimal | None:
        present = [v for v in values if v is not None]
        return _plain_mean(present) if len(present) >= rule.min_count else None

    return Peers(
        basis,
        band,
        len(group),
        tuple(mean([r.areas[i] for r in group]) for i in range(len(entity.areas))),
        mean([r.overall for r in group]),
    )


@dataclass(frozen=True)
class Step:
    """What the next level of one control would take."""

    control: Control
    level: int
    next_level: int
    description: Text  # the level's answer, as the form words it
    hint: Text | None  # what the control's help says of that level


@dataclass(frozen=True)
class Lag:
    """An area in which the entity lags: behind its peers' mean, or behind level 5."""

    area: Area
    score: Decimal
    reference: Decimal
    against_peers: bool
    steps: tuple[Step, ...]

    @property
    def gap(self) -> Decimal:
        return self.reference - self.score


@dataclass(frozen=True)
class CriticalZero:
    """An area or a control at level 0: a gap the mean hides."""

    area: Area
    control: Control | None  # None: the whole area is at 0


@dataclass
class Profile:
    """One entity's survey read for its weakest link: its areas with its peers', its lowest
    area, its zeros, and the three areas in which it lags most."""

    scale: Scale
    respondent: Respondent
    peers: Peers
    controls: Mapping[str, int | None]

    def rows(self) -> list[tuple[Area, Decimal | None, Decimal | None]]:
        return [
            (area, self.respondent.areas[i], self.peers.areas[i])
            for i, area in enumerate(self.scale.areas)
        ]

    @property
    def weakest(self) -> list[tuple[Area, Decimal]]:
        """The lowest-scored area (all of them, when several share the lowest score)."""
        scored = [(a, s) for a, s, _p in self.rows() if s is not None]
        if not scored:
            return []
        lowest = min(score for _area, score in scored)
        return [(area, score) for area, score in scored if score == lowest]

    @property
    def critical_zeros(self) -> list[CriticalZero]:
        found = []
        for area, score, _peers in self.rows():
            if score is not None and score == 0:
                found.append(CriticalZero(area, None))
                continue
            for control in area.controls:
                if self.controls.get(control.ref) == 0:
                    found.append(CriticalZero(area, control))
        return found

    @property
    def is_mature_by_mean_only(self) -> bool:
        """A mean at level 3 or above that hides a zero: the mean is not the whole story."""
        overall = level_of(self.respondent.overall)
        return overall is not None and overall >= 3 and bool(self.critical_zeros)

    def lagging(self, count: int = 3) -> list[Lag]:
        """The `count` areas furthest behind their reference: the peers' mean where it is
        shown, level 5 otherwise; the lower score first among equal gaps."""
        candidates = []
        for order, (area, score, peers) in enumerate(self.rows()):
            if score is None:
                continue
            if score >= TOP:
                continue
            reference = peers if peers is not None else Decimal(TOP)
            candidates.append((-(reference - score), score, order, area, reference, peers))
        candidates.sort(key=lambda item: item[:3])
        return [
            Lag(area, score, reference, peers is not None, tuple(self.steps(area)))
            for _gap, score, _order, area, reference, peers in candidates[:count]
        ]

    def steps(self, area: Area) -> list[Step]:
        """For each answered control of the area below level 5, its next level, the lowest
        controls first (they hold the area back most)."""
        steps = []
        for control in area.controls:
            level = self.controls.get(control.ref)
            if level is None:
                continue
            following = control.next_level(level)
            if following is None:
                continue
            target, description, hint = following
            steps.append(Step(control, level, target, description, hint))
        steps.sort(key=lambda step: step.level)
        return steps


def profile(
    scale: Scale, found: Respondents, entity_id: int, *, rule: Rule | None = None
) -> Profile | None:
    """The entity's profile against the country's respondents, or None if it did not answer
    (`found` must have been read with `controls_of=entity_id`)."""
    respondent = found.of(entity_id)
    if respondent is None:
        return None
    return Profile(scale, respondent, peers_of(respondent, found.all, rule=rule), found.controls)
