"""Aggregates of a form's figure (wyniki): the sum, mean, median and count of reporting
entities by voivodeship, county, entity type or another of the registry's attributes
(`BREAKDOWNS`), with the change against the previous period and, by voivodeship or county,
the rate per 10,000 inhabitants; under statistical confidentiality where the reader may not
see the data in full.

Who sees what (`scope_for`): the central administrator and analysts every entity
unsuppressed; a regional administrator her own voivodeship in full, and the whole country only
under the rule of `suppression` (docs/confidentiality.md). Reporters see no aggregates.

A per-unit report counts at its unit's TERYT, a collective one at its entity's. The figures
are those of reports approved at the last level their form needs (`Report.objects.final`), or,
when asked, of every report waiting for review or approved (whose values are those sent).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Expression, F, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import reads_the_whole_country, require_results_reader
from ssoz.accounts.models import User
from ssoz.definitions.form.structure import NUMERIC_TYPES
from ssoz.publications.models import Publication, previous_period
from ssoz.registry.codes import ACTIVITY_KINDS, PRACTICE_LEGAL_FORMS
from ssoz.registry.models import EntityType
from ssoz.registry.population import COUNTY_LEVEL, VOIVODESHIP_LEVEL, populations
from ssoz.registry.teryt import Voivodeship
from ssoz.reports.models import Report, Status
from ssoz.results.suppression import TOTAL, Reason, Rule, Table, protect


@dataclass(frozen=True)
class Breakdown:
    """One way of dividing a publication's reports into rows (podział): its label, a
    report's key as an SQL expression over `Report` (a string, so that every key is read in
    the query that reads the values), and how a key reads on the page. `population`: the
    TERYT level whose population gives the rows a rate per 10,000 inhabitants, if any."""

    label: Promise
    key: Expression
    name_of: Callable[[str], str]
    population: int | None = None


def _voivodeship_name(key: str) -> str:
    return str(Voivodeship(key).label) if key in Voivodeship.values else key


def _county_name(key: str) -> str:
    name = Voivodeship(key[:2]).label if key[:2] in Voivodeship.values else ""
    return f"{key} ({name})" if name else key


def _entity_type_name(key: str) -> str:
    return str(EntityType(key).label) if key in EntityType.values else key


def _named_code(names: dict[str, Promise], blank: Promise) -> Callable[[str], str]:
    """A code's name from a fixed list; another code as itself; no code as `blank`."""

    def name_of(key: str) -> str:
        if not key:
            return str(blank)
        return str(names[key]) if key in names else str(_("kod %(code)s") % {"code": key})

    return name_of


def _text(expression) -> Expression:
    return Coalesce(expression, Value(""), output_field=CharField())


_ENTITY = "obligation__entity__"
# The breakdowns, by their name in the address. A per-unit report counts at its unit's place
# and activity, a collective one at its entity's (and under no activity of its own).
BREAKDOWNS: dict[str, Breakdown] = {
    "wojewodztwo": Breakdown(
        _("województwo"),
        # A collective report keeps its entity's voivodeship (`Report.voivodeship`): no join.
        Coalesce(F("unit__voivodeship"), F("voivodeship")),
        _voivodeship_name,
        population=VOIVODESHIP_LEVEL,
    ),
    "powiat": Breakdown(
        _("powiat"),
        Coalesce(F("unit__county"), F(f"{_ENTITY}county")),
        _county_name,
        population=COUNTY_LEVEL,
    ),
    "typ": Breakdown(_("typ jednostki"), F(f"{_ENTITY}entity_type"), _entity_type_name),
    "forma": Breakdown(
        _("forma organizacyjno-prawna (część IV)"),
        _text(F(f"{_ENTITY}legal_form_code")),
        _named_code(PRACTICE_LEGAL_FORMS, _("bez kodu formy")),
    ),
    "tworzacy": Breakdown(
        _("podmiot tworzący (część III)"),
        _text(F(f"{_ENTITY}founding_body_code")),
        _named_code({}, _("bez podmiotu tworzącego")),
    ),
    "nfz": Breakdown(
        _("umowa z NFZ"),
        Case(
            When(**{f"{_ENTITY}nfz_contract": True}, then=Value("tak")),
            default=Value("nie"),
            output_field=CharField(),
        ),
        _named_code({"tak": _("z umową z NFZ"), "nie": _("bez umowy z NFZ")}, _("nie wiadomo")),
    ),
    "dzialalnosc": Breakdown(
        _("rodzaj działalności jednostki (część VI)"),
        _text(F("unit__activity_code")),
        _named_code(ACTIVITY_KINDS, _("zbiorczo za podmiot, bez jednostki")),
    ),
}


@dataclass(frozen=True)
class Scope:
    """What one reader sees: one voivodeship in full, or the country, suppressed or not."""

    voivodeship: str | None
    suppressed: bool


def get_publication_for_results(user: User, publication_id: int) -> Publication:
    """A publication whose results `user` may read (`accounts.access.may_read_results`): 403
    for anybody else, 404 when there is none she sees."""
    require_results_reader(user)
    found = (
        Publication.objects.visible_to(user)
        .select_related("form_version__definition")
        .defer("form_version__data", "form_version__source")
        .filter(pk=publication_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def scope_for(user: User, voivodeship: str | None) -> Scope:
    """The central administrator and analysts: the country or a voivodeship, unsuppressed. A
    regional administrator: her voivodeship in full, or (asking for none) the country under
    the rule; another voivodeship alone she may not ask for. 403 for anybody else."""
    require_results_reader(user)
    if reads_the_whole_country(user):
        return Scope(voivodeship or None, suppressed=False)
    if voivodeship and voivodeship != user.voivodeship:
        raise PermissionDenied
    return Scope(voivodeship or None, suppressed=not voivodeship)


def numeric_figures(form) -> list[tuple[str, str]]:
    """The form's figures that can be added up: its numeric input fields and cells."""
    return [
        (ref, f"{ref} – {field.label}")
        for ref, field in form.fields.items()
        if field.is_input and field.type in NUMERIC_TYPES
    ]


@dataclass
class Row:
    key: str
    label: str
    total: Decimal = Decimal(0)
    count: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    change: Decimal | None = None  # per cent against the previous period
    rate: Decimal | None = None  # per 10,000 inhabitants
    hidden: Reason | None = None


@dataclass
class Aggregate:
    publication: Publication
    figure: str
    breakdown: str
    scope: Scope
    final_only: bool
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    previous: Publication | None = None
    rule: Rule = field(default_factory=Rule)
    # The year of the population the rates divide by; None: no rates.
    population_year: int | None = None

    @property
    def breakdown_label(self) -> str:
        return str(BREAKDOWNS[self.breakdown].label)

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in [*self.rows, self.total] if row is not None and row.hidden)


def aggregate(
    *,
    publication: Publication,
    figure: str,
    breakdown: str,
    scope: Scope,
    final_only: bool = True,
    rule: Rule | None = None,
) -> Aggregate:
    """The figure's aggregate by the breakdown over what the scope sees."""
    rule = rule or Rule()
    result = Aggregate(publication, figure, breakdown, scope, final_only, rule=rule)
    contributions = _contributions(publication, figure, breakdown, scope, final_only)
    labels = _labels(breakdown, contributions)
    keys = sorted(contributions, key=lambda key: labels[key])
    values_of, hidden = _rows(contributions, keys, scope, rule)
    previous = _previous_totals(publication, figure, breakdown, scope, final_only, rule)
    if previous is not None:
        result.previous = previous[0]
    people = _population(result, keys)
    for key in [*keys, TOTAL]:
        values = values_of[key]
        row = Row(key, labels[key] if key != TOTAL else str(_("Razem")), hidden=hidden.get(key))
        if not row.hidden and values:
            row.total = sum(values, Decimal(0))
            row.count = len(values)
            row.mean = row.total / row.count
            row.median = Decimal(statistics.median(values))
            before = previous[1].get(key) if previous is not None else None
            if before:
                row.change = (row.total - before) / before * 100
            # A hidden row has no rate either: with the population public, it would tell
            # the sum.
            if people.get(key):
                row.rate = row.total * RATE_PER / people[key]
        if key == TOTAL:
            result.total = row
        else:
            result.rows.append(row)
    return result


# Rates are per this many inhabitants.
RATE_PER = 10_000


def _population(result: Aggregate, keys: list[str]) -> dict[str, int]:
    """The population of each row's voivodeship or county, and the scope's as the total's,
    for the publication's year or the latest earlier one loaded (one query); none for
    another breakdown, or when a row's population is missing (the total's would be wrong)."""
    level = BREAKDOWNS[result.breakdown].population
    if level is None:
        return {}
    year, people = populations(level, result.publication.year)
    if not people:
        return {}
    result.population_year = year
    within = result.scope.voivodeship or ""
    found = {key: people[key] for key in keys if key in people}
    if len(found) == len(keys):
        found[TOTAL] = sum(count for code, count in people.items() if code.startswith(within))
    return found


def _rows(
    contributions: dict[str, dict[int, Decimal]], keys: list[str], scope: Scope, rule: Rule
) -> tuple[dict[str, list[Decimal]], dict[str, Reason]]:
    """Each row's contributions (and the total's), and the rows the scope's confidentiality
    hides, with why."""
    values_of = {key: list(contributions[key].values()) for key in keys}
    # The total's contributors are entities: one with units in two rows is one, its
    # contributions added.
    merged: dict[int, Decimal] = {}
    for key in keys:
        for entity, value in contributions[key].items():
            merged[entity] = merged.get(entity, Decimal(0)) + value
    values_of[TOTAL] = list(merged.values())
    hidden: dict[str, Reason] = {}
    if scope.suppressed:
        table = Table.from_rows((key, contributions[key]) for key in keys)
        for (row, _column), reason in protect(table, rule).hidden.items():
            hidden.setdefault(row, reason)
    return values_of, hidden


@dataclass
class TwoWay:
    """A figure's sums by two breakdowns, with margins, under the scope's confidentiality."""

    figure: str
    row_breakdown: str
    column_breakdown: str
    scope: Scope
    rows: list[tuple[str, str]]  # key, label
    columns: list[tuple[str, str]]
    sums: dict[tuple[str, str], Decimal]
    hidden: dict[tuple[str, str], Reason]
    rule: Rule

    @property
    def row_label(self) -> str:
        return str(BREAKDOWNS[self.row_breakdown].label)

    @property
    def column_label(self) -> str:
        return str(BREAKDOWNS[self.column_breakdown].label)

    def grid(self) -> list[tuple[str, list[tuple[Decimal, Reason | None]]]]:
        """Each row's label with its cells and its total, then the totals' row: for the
        template, every cell a (sum, reason it is hidden) pair."""
        lines = []
        for key, label in [*self.rows, (TOTAL, str(_("Razem")))]:
            line = [
                (self.sums.get((key, column), Decimal(0)), self.hidden.get((key, column)))
                for column, _label in [*self.columns, (TOTAL, "")]
            ]
            lines.append((label, line))
        return lines


def two_way(
    *,
    publication: Publication,
    figure: str,
    rows_by: str,
    columns_by: str,
    scope: Scope,
    final_only: bool = True,
    rule: Rule | None = None,
) -> TwoWay:
    """The figure by two breakdowns (voivodeship by entity type, say), with margins; under
    suppression, every hidden cell is protected within the table (`suppression.protect`)."""
    rule = rule or Rule()
    convert = publication.form_version.compiled().field(figure).converter
    cells: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    found = (
        _reports(publication, scope, final_only)
        .order_by()
        .values_list(
            BREAKDOWNS[rows_by].key,
            BREAKDOWNS[columns_by].key,
            "obligation_id",
            KeyTextTransform(figure, "values"),
        )
    )
    for row, column, obligation, raw in list(found):
        value, problem = convert(raw) if raw not in (None, "") else (None, None)
        if value is None or problem is not None or value < 0:
            continue
        cell = cells[row, column]
        cell[obligation] = cell.get(obligation, Decimal(0)) + value
    row_labels = _labels(rows_by, {row for row, _c in cells})
    column_labels = _labels(columns_by, {column for _r, column in cells})
    rows = sorted(row_labels.items(), key=lambda item: item[1])
    columns = sorted(column_labels.items(), key=lambda item: item[1])
    table = Table.from_entities([key for key, _l in rows], [key for key, _l in columns], cells)
    hidden = protect(table, rule).hidden if scope.suppressed else {}
    exact = {key: sum(values.values(), Decimal(0)) for key, values in cells.items()}
    sums = dict(exact)
    for row, _label in rows:
        sums[row, TOTAL] = sum((exact.get((row, c), Decimal(0)) for c, _l in columns), Decimal(0))
    for column, _label in columns:
        sums[TOTAL, column] = sum(
            (exact.get((r, column), Decimal(0)) for r, _l in rows), Decimal(0)
        )
    sums[TOTAL, TOTAL] = sum(exact.values(), Decimal(0))
    return TwoWay(figure, rows_by, columns_by, scope, rows, columns, sums, hidden, rule)


def _reports(publication: Publication, scope: Scope, final_only: bool):
    reports = Report.objects.filter(publication=publication)
    reports = (
        reports.final() if final_only else reports.filter(status__in=[Status.SENT, Status.APPROVED])
    )
    if scope.voivodeship:
        reports = reports.filter(
            Q(unit__voivodeship=scope.voivodeship)
            | Q(unit__isnull=True, voivodeship=scope.voivodeship)
        )
    return reports


def _contributions(
    publication: Publication, figure: str, breakdown: str, scope: Scope, final_only: bool
) -> dict[str, dict[int, Decimal]]:
    """Each row's contributions, one per entity (its reports in the row added up)."""
    convert = publication.form_version.compiled().field(figure).converter
    rows: dict[str, dict[int, Decimal]] = defaultdict(dict)
    found = (
        _reports(publication, scope, final_only)
        .order_by()
        # Within a publication an obligation is one entity: its key needs no join.
        .values_list(BREAKDOWNS[breakdown].key, "obligation_id", KeyTextTransform(figure, "values"))
    )
    # Three short columns per report: fetched at once, without a server-side cursor's trips.
    for place, entity, raw in list(found):
        value, problem = convert(raw) if raw not in (None, "") else (None, None)
        if value is None or problem is not None or value < 0:
            continue
        cell = rows[place]
        cell[entity] = cell.get(entity, Decimal(0)) + value
    return rows


def _labels(breakdown: str, rows) -> dict[str, str]:
    name_of = BREAKDOWNS[breakdown].name_of
    return {key: name_of(key) for key in rows}


def _previous_totals(publication, figure, breakdown, scope, final_only, rule):
    """Last period's totals by row, with its own suppression applied, so that a change
    cannot reveal what last period's table hid; None when last period has no such figure.

    The figure is last period's when last period's version has a field of the same code and
    the same label: a version that gives a code another meaning (MZ-88's row 1) changes its
    label, and then no change is shown until versions map their cells (docs/results.md)."""
    year, quarter, month = previous_period(publication.year, publication.quarter, publication.month)
    previous = (
        Publication.objects.filter(
            form_version__definition_id=publication.form_version.definition_id,
            year=year,
            quarter=quarter,
            month=month,
        )
        .select_related("form_version")
        .first()
    )
    if previous is None:
        return None
    if previous.form_version_id != publication.form_version_id:
        now = publication.form_version.compiled().fields.get(figure)
        before = previous.form_version.compiled().fields.get(figure)
        if (
            now is None
            or before is None
            or (now.label.pl, now.type)
            != (
                before.label.pl,
                before.type,
            )
        ):
            return None
    contributions = _contributions(previous, figure, breakdown, scope, final_only)
    values_of, hidden = _rows(contributions, sorted(contributions), scope, rule)
    totals = {
        key: sum(values, Decimal(0)) for key, values in values_of.items() if key not in hidden
    }
    return previous, totals
