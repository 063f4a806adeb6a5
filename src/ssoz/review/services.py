"""Publishing a form (publikacja formularza): who it goes to, what the preview says, and the
publication itself through the workflow verbs."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ssoz.accounts.models import User
from ssoz.definitions.models import FormVersion
from ssoz.registry.identifiers import compact_digits, validate_regon
from ssoz.registry.models import Entity, EntityType, OrganisationalUnit
from ssoz.registry.teryt import Voivodeship
from ssoz.reports import workflow
from ssoz.reports.models import Publication

# A pasted list longer than this is a mistake (a whole registry is chosen by type instead).
MAX_REGONS = 20_000
# Problems listed back; beyond that, the count of the rest.
MAX_PROBLEMS_SHOWN = 50
# SQLite allows 32,766 parameters per statement, older builds 999: look numbers up in chunks.
_LOOKUP_CHUNK = 900


class PublishError(Exception):
    """A publication that cannot be made; the message is for the administrator."""


@dataclass(frozen=True)
class RegonProblem:
    line: int
    value: str
    problem: str

    def __str__(self) -> str:
        return _("Wiersz %(line)d: „%(value)s” – %(problem)s") % {
            "line": self.line,
            "value": self.value,
            "problem": self.problem,
        }


@dataclass
class RegonList:
    """The entities a pasted list of REGONs names, and what is wrong with the rest."""

    entity_ids: list[int] = field(default_factory=list)
    problems: list[RegonProblem] = field(default_factory=list)


def split_regons(text: str) -> list[tuple[int, str]]:
    """(line number, number as typed) for each REGON: one per line or comma-separated."""
    numbers = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for token in re.split(r"[,;]", line):
            token = token.strip()
            if token:
                numbers.append((line_number, token))
    return numbers


def resolve_regons(text: str, form_version: FormVersion) -> RegonList:
    """Check each REGON of a pasted list and find its entity in the registry.

    A 9-digit REGON names an entity, a 14-digit one a local unit (and so its entity). Every
    number that is malformed, unknown, of an inactive entity or of an entity type the form is
    not for is reported with its line, so the list can be fixed before anything is published.
    """
    result = RegonList()
    typed = split_regons(text)
    if len(typed) > MAX_REGONS:
        result.problems.append(
            RegonProblem(
                typed[MAX_REGONS][0],
                typed[MAX_REGONS][1],
                _("lista może mieć najwyżej %(limit)d numerów.") % {"limit": MAX_REGONS},
            )
        )
        return result
    valid: list[tuple[int, str, str]] = []  # line, as typed, digits
    for line, value in typed:
        number = compact_digits(value)
        try:
            validate_regon(number)
        except ValidationError as error:
            result.problems.append(RegonProblem(line, value, " ".join(error.messages)))
        else:
            valid.append((line, value, number))
    entities = _entities_by_regon({number for _line, _value, number in valid})
    allowed_types = form_version.data.get("entity_types")
    seen: set[int] = set()
    for line, value, number in valid:
        entity = entities.get(number)
        if entity is None:
            problem = _("nie ma podmiotu o tym numerze REGON w rejestrze.")
        elif not entity.is_active:
            problem = _("podmiot %(name)s jest nieaktywny w rejestrze.") % {"name": entity.name}
        elif allowed_types and entity.entity_type not in allowed_types:
            problem = _("podmiot %(name)s (%(type)s) nie sprawozdaje na tym formularzu.") % {
                "name": entity.name,
                "type": entity.get_entity_type_display(),
            }
        else:
            if entity.pk not in seen:  # a number given twice counts once
                seen.add(entity.pk)
                result.entity_ids.append(entity.pk)
            continue
        result.problems.append(RegonProblem(line, value, problem))
    return result


def _entities_by_regon(numbers: set[str]) -> dict[str, Entity]:
    """Entities by the REGONs given: their own 9-digit one, or a 14-digit one of their units."""
    found: dict[str, Entity] = {}
    entity_regons = sorted({n for n in numbers if len(n) == 9} | {n[:9] for n in numbers})
    by_regon: dict[str, Entity] = {}
    for start in range(0, len(entity_regons), _LOOKUP_CHUNK):
        chunk = entity_regons[start : start + _LOOKUP_CHUNK]
        by_regon.update((e.regon, e) for e in Entity.objects.filter(regon__in=chunk))
    unit_regons = sorted(n for n in numbers if len(n) == 14)
    unit_entities: dict[str, int] = {}
    for start in range(0, len(unit_regons), _LOOKUP_CHUNK):
        chunk = unit_regons[start : start + _LOOKUP_CHUNK]
        unit_entities.update(
            OrganisationalUnit.objects.filter(regon14__in=chunk).values_list("regon14", "entity_id")
        )
    missing_ids = set(unit_entities.values()) - {e.pk for e in by_regon.values()}
    by_id = {e.pk: e for e in by_regon.values()}
    by_id.update((e.pk, e) for e in Entity.objects.filter(pk__in=missing_ids))
    for number in numbers:
        if len(number) == 9:
            entity = by_regon.get(number)
        else:
            # A local unit's REGON starts with its entity's REGON; the registry's link wins.
            entity_id = unit_entities.get(number)
            entity = by_id.get(entity_id) if entity_id else by_regon.get(number[:9])
        if entity is not None:
            found[number] = entity
    return found


@dataclass
class Audience:
    """Who a publication goes to (adresaci), with a line saying so for the publication."""

    entities: QuerySet[Entity]
    description: str


def audience_by_type(
    form_version: FormVersion, *, entity_types: list[str], voivodeships: list[str]
) -> Audience:
    """Active entities of the chosen types in the chosen voivodeships."""
    allowed = form_version.data.get("entity_types")
    types = [t for t in entity_types if not allowed or t in allowed]
    entities = Entity.objects.filter(
        is_active=True, entity_type__in=types, voivodeship__in=voivodeships
    )
    with translation.override("pl"):
        type_names = ", ".join(str(EntityType(t).label) for t in types)
        if set(voivodeships) == set(Voivodeship.values):
            places = _("wszystkie województwa")
        else:
            places = ", ".join(str(Voivodeship(v).label) for v in sorted(voivodeships))
        description = _("typy: %(types)s; województwa: %(places)s") % {
            "types": type_names,
            "places": places,
        }
    return Audience(entities=entities, description=description)


def audience_by_regons(regons: RegonList) -> Audience:
    with translation.override("pl"):
        description = _("lista numerów REGON (%(count)d)") % {"count": len(regons.entity_ids)}
    return Audience(
        entities=Entity.objects.filter(pk__in=regons.entity_ids), description=description
    )


def default_deadline(form_version: FormVersion, year: int, quarter: int | None) -> date | None:
    """The deadline the form's definition sets for the period, if it sets one."""
    rule = form_version.compiled().deadline
    return rule.due(year, quarter) if rule is not None else None


def published_for_period(
    form_version: FormVersion, year: int, quarter: int | None
) -> Publication | None:
    """The publication of this form (any of its versions) for the period, if there is one."""
    return (
        Publication.objects.filter(
            form_version__definition_id=form_version.definition_id, year=year, quarter=quarter
        )
        .select_related("form_version__definition")
        .first()
    )


@dataclass
class Preview:
    """What „Opublikuj” would do: how many entities get the obligation, how many have it."""

    form_version: FormVersion
    year: int
    quarter: int | None
    deadline: date
    default_deadline: date | None
    audience: Audience
    chosen: int
    already: int
    existing: Publication | None
    key: str

    @property
    def period_label(self) -> str:
        return f"{self.year} Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def added(self) -> int:
        return self.chosen - self.already

    @property
    def other_version(self) -> bool:
        """The period is taken by another version of the same form."""
        return self.existing is not None and self.existing.form_version_id != self.form_version.pk

    @property
    def can_publish(self) -> bool:
        return not self.other_version and self.added > 0


def preview_publication(
    *,
    form_version: FormVersion,
    year: int,
    quarter: int | None,
    deadline: date,
    audience: Audience,
    inputs: dict,
) -> Preview:
    """Count the entities a publication would oblige; `inputs` are what the administrator chose,
    and the preview's key changes when any of them (or the publication found) changes."""
    existing = published_for_period(form_version, year, quarter)
    chosen = audience.entities.count()
    already = audience.entities.filter(obligations__publication=existing).count() if existing else 0
    return Preview(
        form_version=form_version,
        year=year,
        quarter=quarter,
        deadline=deadline,
        default_deadline=default_deadline(form_version, year, quarter),
        audience=audience,
        chosen=chosen,
        already=already,
        existing=existing,
        key=preview_key(form_version, inputs, existing),
    )


def preview_key(form_version: FormVersion, inputs: dict, existing: Publication | None) -> str:
    """A fingerprint of a preview: „Opublikuj” publishes only what the administrator saw."""
    canonical = json.dumps(
        {"version": form_version.pk, "existing": existing.pk if existing else None, **inputs},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Published:
    publication: Publication
    added: int
    extended: bool


def publish(
    *,
    form_version: FormVersion,
    year: int,
    quarter: int | None,
    deadline: date,
    audience: Audience,
    actor: User,
    extend: bool = False,
) -> Published:
    """„Opublikuj”: publish the form for the period to the audience.

    A period already published is refused, unless `extend` says the administrator saw that in
    the preview and chose to add the newly chosen entities to that publication (its deadline
    stays). Another version of the same form for the same period is always refused: reporters
    would get the same form twice.
    """
    existing = published_for_period(form_version, year, quarter)
    if existing is not None:
        if existing.form_version_id != form_version.pk:
            raise PublishError(
                _(
                    "Formularz %(code)s jest już opublikowany za okres %(period)s w wersji "
                    "%(version)s. Za jeden okres można opublikować tylko jedną wersję."
                )
                % {
                    "code": existing.form_version.definition.code,
                    "period": existing.period_label,
                    "version": existing.form_version.version,
                }
            )
        if not extend:
            raise PublishError(_already_published(existing))
        added = workflow.add_obligations(
            publication=existing,
            entities=audience.entities,
            actor=actor,
            audience=audience.description,
        )
        return Published(publication=existing, added=added, extended=True)
    if not audience.entities.exists():
        raise PublishError(_("Nie wybrano żadnego podmiotu: nie ma komu opublikować formularza."))
    try:
        # A savepoint of its own: a concurrent publication of the same period fails on the
        # unique constraint, and the caller's transaction must stay usable after that.
        with transaction.atomic():
            publication = workflow.publish_form(
                form_version=form_version,
                year=year,
                quarter=quarter,
                deadline=deadline,
                entities=audience.entities,
                actor=actor,
                audience=audience.description,
            )
    except IntegrityError:
        existing = published_for_period(form_version, year, quarter)
        raise PublishError(
            _already_published(existing)
            if existing
            else _("Nie udało się opublikować formularza. Spróbuj ponownie.")
        ) from None
    return Published(publication=publication, added=publication.obligations.count(), extended=False)


def _already_published(existing: Publication) -> str:
    return _(
        "Ten formularz jest już opublikowany za okres %(period)s (termin %(deadline)s). "
        "Nie można go opublikować drugi raz; w podglądzie można dodać do tej publikacji "
        "nowe podmioty."
    ) % {"period": existing.period_label, "deadline": existing.deadline.strftime("%d.%m.%Y")}
