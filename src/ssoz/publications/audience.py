"""Who a publication goes to (adresaci): entities chosen by type and voivodeship, or named by a
pasted list of REGONs, each number checked and found in the registry."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ssoz.definitions.models import FormVersion
from ssoz.publications.condition import FilingCondition
from ssoz.registry.identifiers import compact_digits, validate_regon
from ssoz.registry.models import Entity, OrganisationalUnit

# A pasted list longer than this is a mistake (a whole registry is chosen by type instead).
MAX_REGONS = 20_000
# Problems listed back; beyond that, the count of the rest.
MAX_PROBLEMS_SHOWN = 50
# SQLite allows 32,766 parameters per statement, older builds 999: look numbers up in chunks.
_LOOKUP_CHUNK = 900


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
    """Who a publication goes to (adresaci), with a line saying so for the publication, and
    the programme's condition when it was chosen by one (a named list has none)."""

    entities: QuerySet[Entity]
    description: str
    condition: FilingCondition | None = None


def audience_by_condition(form_version: FormVersion, condition: FilingCondition) -> Audience:
    """The active entities that meet the programme's condition, within the form's types."""
    return Audience(
        entities=condition.entities(form_version.data.get("entity_types")),
        description=condition.describe(),
        condition=condition,
    )


def audience_by_type(
    form_version: FormVersion, *, entity_types: list[str], voivodeships: list[str]
) -> Audience:
    """Active entities of the chosen types in the chosen voivodeships."""
    return audience_by_condition(
        form_version,
        FilingCondition(entity_types=tuple(entity_types), voivodeships=tuple(voivodeships)),
    )


def audience_by_regons(regons: RegonList) -> Audience:
    with translation.override("pl"):
        description = _("lista numerów REGON (%(count)d)") % {"count": len(regons.entity_ids)}
    return Audience(
        entities=Entity.objects.filter(pk__in=regons.entity_ids), description=description
    )
