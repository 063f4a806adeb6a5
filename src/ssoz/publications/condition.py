"""Who files (kto sprawozdaje): the programme's condition over registry attributes.

The condition is a structured filter rather than an expression of the rule language: the rule
language reads a report's cells, while this reads the registry, and a filter of a few named
attributes can be chosen with checkboxes, checked field by field, stored as JSON, turned into
one query and described in a sentence. Every part that is set must hold (AND); within a part,
any value listed may match (OR). An empty part does not restrict.

- `entity_types`: the entity's type (typ jednostki); within those the form is for.
- `voivodeships`: the voivodeship of the entity's seat.
- `activity_codes`: part VI of an active unit of the entity (1 hospital, 2 other inpatient,
  3 outpatient care).
- `specialty_codes`: part VIII of an active cell of an active unit (e.g. MZ-29A's 5160, 5170).
- `nfz_contract`: True or False to require a contract with NFZ or its absence; None for
  either.
- `excluded_legal_forms`: part IV codes whose entities do not file, e.g. the practice codes
  93–99.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ssoz.registry.models import Entity, EntityType, OrganisationalCell, OrganisationalUnit
from ssoz.registry.teryt import Voivodeship

ACTIVITY_CODES = {"1", "2", "3"}
PRACTICE_FORM_CODES = ("93", "94", "95", "96", "97", "98", "99")
# More specialty codes than this in one condition is a mistake, not a programme entry.
MAX_SPECIALTY_CODES = 200


@dataclass(frozen=True)
class FilingCondition:
    entity_types: tuple[str, ...] = ()
    voivodeships: tuple[str, ...] = ()
    activity_codes: tuple[str, ...] = ()
    specialty_codes: tuple[str, ...] = ()
    nfz_contract: bool | None = None
    excluded_legal_forms: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        problems = []
        if unknown := set(self.entity_types) - set(EntityType.values):
            problems.append(_("Nieznany typ jednostki: %s.") % ", ".join(sorted(unknown)))
        if unknown := set(self.voivodeships) - set(Voivodeship.values):
            problems.append(_("Nieznane województwo: %s.") % ", ".join(sorted(unknown)))
        if unknown := set(self.activity_codes) - ACTIVITY_CODES:
            problems.append(_("Nieznany rodzaj działalności: %s.") % ", ".join(sorted(unknown)))
        if len(self.specialty_codes) > MAX_SPECIALTY_CODES:
            problems.append(
                _("Podaj najwyżej %(limit)d kodów specjalności.") % {"limit": MAX_SPECIALTY_CODES}
            )
        elif bad := [c for c in self.specialty_codes if not re.fullmatch(r"\d{4}", c)]:
            problems.append(
                _("Kod specjalności (część VIII) ma 4 cyfry: %s.") % ", ".join(bad[:10])
            )
        if bad := [c for c in self.excluded_legal_forms if not re.fullmatch(r"\d{1,3}", c)]:
            problems.append(_("Kod formy (część IV) ma do 3 cyfr: %s.") % ", ".join(bad[:10]))
        if problems:
            raise ValidationError(problems)

    # Stored form ------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FilingCondition:
        """The condition stored on a publication; a malformed one raises ValidationError."""
        if not isinstance(data, dict):
            raise ValidationError(_("Warunek musi być obiektem."))

        def codes(name: str) -> tuple[str, ...]:
            value = data.get(name) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError(_("Pole %(name)s musi być listą tekstów.") % {"name": name})
            return tuple(sorted(set(value)))

        nfz = data.get("nfz_contract")
        if nfz is not None and not isinstance(nfz, bool):
            raise ValidationError(_("Pole nfz_contract musi być true, false albo null."))
        return cls(
            entity_types=codes("entity_types"),
            voivodeships=codes("voivodeships"),
            activity_codes=codes("activity_codes"),
            specialty_codes=codes("specialty_codes"),
            nfz_contract=nfz,
            excluded_legal_forms=codes("excluded_legal_forms"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_types": sorted(self.entity_types),
            "voivodeships": sorted(self.voivodeships),
            "activity_codes": sorted(self.activity_codes),
            "specialty_codes": sorted(self.specialty_codes),
            "nfz_contract": self.nfz_contract,
            "excluded_legal_forms": sorted(self.excluded_legal_forms),
        }

    # Meaning ----------------------------------------------------------------------------

    def as_q(self) -> Q:
        """The condition on Entity; the caller adds "active" and the form's own types."""
        condition = Q()
        if self.entity_types:
            condition &= Q(entity_type__in=self.entity_types)
        if self.voivodeships:
            condition &= Q(voivodeship__in=self.voivodeships)
        if self.activity_codes:
            condition &= Q(
                Exists(
                    OrganisationalUnit.objects.filter(
                        entity=OuterRef("pk"), is_active=True, activity_code__in=self.activity_codes
                    )
                )
            )
        if self.specialty_codes:
            condition &= Q(
                Exists(
                    OrganisationalCell.objects.filter(
                        unit__entity=OuterRef("pk"),
                        unit__is_active=True,
                        is_active=True,
                        specialty_code__in=self.specialty_codes,
                    )
                )
            )
        if self.nfz_contract is not None:
            condition &= Q(nfz_contract=self.nfz_contract)
        if self.excluded_legal_forms:
            condition &= ~Q(legal_form_code__in=self.excluded_legal_forms)
        return condition

    def entities(self, form_entity_types: Iterable[str] | None = None) -> QuerySet[Entity]:
        """The active entities that file: the condition within the types the form is for."""
        entities = Entity.objects.filter(is_active=True).filter(self.as_q())
        if form_entity_types:
            entities = entities.filter(entity_type__in=list(form_entity_types))
        return entities

    def describe(self) -> str:
        """The condition as one Polish sentence, for the publication and its preview."""
        with translation.override("pl"):
            parts = []
            if self.entity_types:
                parts.append(
                    _("typy: %s") % ", ".join(str(EntityType(t).label) for t in self.entity_types)
                )
            else:
                parts.append(_("typy: wszystkie, dla których jest formularz"))
            if self.voivodeships and set(self.voivodeships) != set(Voivodeship.values):
                places = ", ".join(str(Voivodeship(v).label) for v in sorted(self.voivodeships))
            else:
                places = _("wszystkie województwa")
            parts.append(_("województwa: %s") % places)
            if self.activity_codes:
                parts.append(
                    _("jednostki o rodzaju działalności (część VI): %s")
                    % ", ".join(self.activity_codes)
                )
            if self.specialty_codes:
                parts.append(
                    _("komórki o specjalności (część VIII): %s") % ", ".join(self.specialty_codes)
                )
            if self.nfz_contract is True:
                parts.append(_("z umową z NFZ"))
            elif self.nfz_contract is False:
                parts.append(_("bez umowy z NFZ"))
            if self.excluded_legal_forms:
                parts.append(
                    _("bez podmiotów o kodach formy (część IV): %s")
                    % ", ".join(self.excluded_legal_forms)
                )
            return "; ".join(parts)
