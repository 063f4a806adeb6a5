"""`workflow.add_obligations`: a publication extended to further entities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from ssoz.publications.services import activate_obligation, add_obligations, publish_form
from ssoz.registry.models import Entity


def test_only_entities_without_the_obligation_are_added(
    publication, hospital, clinic, dentist, nurse, alice, celina
):
    obligation = publication.obligations.get(entity=hospital)
    activate_obligation(obligation=obligation, actor=alice)
    added = add_obligations(
        publication=publication,
        entities=Entity.objects.all(),
        actor=celina,
        audience="lista numerów REGON (4)",
    )
    assert added == 2
    assert set(publication.obligations.values_list("entity_id", flat=True)) == {
        hospital.pk,
        clinic.pk,
        dentist.pk,
        nurse.pk,
    }
    obligation.refresh_from_db()
    assert obligation.is_activated
    publication.refresh_from_db()
    assert publication.audience.endswith("lista numerów REGON (4)")
    assert (
        add_obligations(publication=publication, entities=Entity.objects.all(), actor=celina) == 0
    )


def test_entities_of_types_the_form_is_not_for_are_left_out(
    quarterly_form, hospital, dentist, nurse, celina
):
    publication = publish_form(
        form_version=quarterly_form,
        year=2025,
        quarter=1,
        deadline=datetime.date(2025, 4, 30),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    added = add_obligations(publication=publication, entities=Entity.objects.all(), actor=celina)
    assert added == 1
    assert not publication.obligations.filter(entity=nurse).exists()


@pytest.mark.parametrize("who", ["alice", "wanda"])
def test_only_the_central_administrator_adds_obligations(request, publication, dentist, who):
    with pytest.raises(PermissionDenied):
        add_obligations(
            publication=publication,
            entities=Entity.objects.all(),
            actor=request.getfixturevalue(who),
        )
    assert not publication.obligations.filter(entity=dentist).exists()
