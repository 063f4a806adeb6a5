"""Who files: the programme's condition over the registry, its preview, and the obligations of
entities that join the registry after the form was published."""

import datetime
import io

import cast
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from publications.test_publish import choices, page, preview, publish

from ssoz.publications.condition import FilingCondition
from ssoz.publications.models import Publication
from ssoz.publications.services import exempt_obligation, oblige_joiners
from ssoz.registry.models import EntityType, OrganisationalCell, OrganisationalUnit

MAZOWIECKIE = "14"


def with_cell(entity, specialty_code: str, *, activity_code: str = "2"):
    unit = OrganisationalUnit.objects.create(
        entity=entity,
        name=f"{entity.name} – zakład",
        unit_code="099",
        activity_code=activity_code,
        city=entity.city,
        teryt=entity.teryt,
    )
    OrganisationalCell.objects.create(
        unit=unit,
        name="Zakład opiekuńczo-leczniczy",
        cell_code="001",
        specialty_code=specialty_code,
    )
    return entity


@pytest.fixture
def long_term_care(db, mazovian_office):
    """A Mazovian care home with a ZOL cell (part VIII 5160) and a contract with NFZ."""
    entity = cast.make_entity(name="Dom Opieki Spokojna Przystań", nfz_contract=True)
    return with_cell(entity, "5160")


@pytest.fixture
def group_practice(db, mazovian_office):
    """A Mazovian group practice (part IV code 97) without a contract with NFZ."""
    return cast.make_entity(
        name="Praktyka Grupowa Zdrowie",
        entity_type=EntityType.DOCTOR_PRACTICE,
        legal_form_code="97",
    )


def test_the_condition_reads_specialty_codes_the_nfz_contract_and_practice_codes(
    hospital, clinic, long_term_care, group_practice
):
    assert set(FilingCondition(specialty_codes=("5160", "5170")).entities()) == {long_term_care}
    assert set(FilingCondition(nfz_contract=True).entities()) == {long_term_care}
    without_practices = FilingCondition(excluded_legal_forms=("93", "97", "99")).entities()
    assert group_practice not in without_practices
    assert hospital in without_practices
    # Part VI of the units: the hospital's units are all „1”.
    assert set(FilingCondition(activity_codes=("1",)).entities()) == {hospital}
    # Within the types the form is for.
    assert not FilingCondition().entities(["praktyka_dentystyczna"]).exists()


def test_an_inactive_cell_does_not_make_its_entity_file(long_term_care):
    OrganisationalCell.objects.update(is_active=False)
    assert not FilingCondition(specialty_codes=("5160",)).entities().exists()


def test_the_condition_says_itself_in_a_sentence():
    condition = FilingCondition(
        entity_types=("podmiot_leczniczy",),
        voivodeships=(MAZOWIECKIE,),
        specialty_codes=("5160",),
        nfz_contract=True,
        excluded_legal_forms=("93",),
    )
    assert condition.describe() == (
        "typy: Podmiot leczniczy; województwa: mazowieckie; komórki o specjalności "
        "(część VIII): 5160; z umową z NFZ; bez podmiotów o kodach formy (część IV): 93"
    )
    assert FilingCondition.from_json(condition.to_json()) == condition


@pytest.mark.parametrize(
    "stored",
    [
        {"entity_types": ["szpital_na_ksiezycu"]},
        {"specialty_codes": ["51600"]},
        {"nfz_contract": "tak"},
        {"voivodeships": "14"},
        [],
    ],
)
def test_a_malformed_stored_condition_is_refused(stored):
    with pytest.raises(ValidationError):
        FilingCondition.from_json(stored)


def test_the_preview_shows_who_would_file_by_voivodeship_and_by_name(
    client, celina, survey, hospital, clinic, long_term_care
):
    cast.log_in(client, celina)
    response = preview(client, survey, specialty_codes="5160, 5170")
    content = response.content.decode()
    assert response.context["preview"].chosen == 1
    assert "Dom Opieki Spokojna Przystań" in content
    assert "Sprawozdający według województw" in content
    assert response.context["preview"].by_voivodeship == [("mazowieckie", 1)]
    assert "komórki o specjalności (część VIII): 5160, 5170" in content


def test_a_malformed_specialty_code_is_explained_next_to_the_field_and_kept(client, celina, survey):
    cast.log_in(client, celina)
    response = preview(client, survey, specialty_codes="5160, 51x0")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Kod specjalności ma 4 cyfry; popraw: 51x0." in content
    assert 'value="5160, 51x0"' in content


def test_a_preliminary_deadline_after_the_final_one_is_refused(client, celina, survey):
    cast.log_in(client, celina)
    response = preview(client, survey, preliminary_deadline="2024-04-30")
    assert response.status_code == 400
    assert "Termin wstępny musi być wcześniejszy" in response.content.decode()


def test_publishing_keeps_the_condition_and_the_preliminary_deadline(
    client, celina, survey, hospital, long_term_care
):
    cast.log_in(client, celina)
    response = publish(client, survey, specialty_codes="5160", preliminary_deadline="2024-02-28")
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.filing_conditions() == [
        FilingCondition(
            entity_types=("podmiot_leczniczy",),
            voivodeships=(MAZOWIECKIE, "24"),
            specialty_codes=("5160",),
        )
    ]
    assert publication.preliminary_deadline == datetime.date(2024, 2, 28)
    assert set(publication.obligations.values_list("entity", flat=True)) == {long_term_care.pk}


@pytest.fixture
def open_publication(client, celina, survey, hospital):
    """The survey published to Mazovian health care providers, due in a month."""
    cast.log_in(client, celina)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    fields = choices(voivodeships=[MAZOWIECKIE], deadline=deadline.isoformat())
    shown = client.post(page(survey), {**fields, "action": "preview"})
    client.post(
        page(survey),
        {**fields, "action": "publish", "preview_key": shown.context["preview"].key},
    )
    client.logout()
    return Publication.objects.get()


def test_an_entity_that_joins_the_registry_later_gets_its_obligation(
    open_publication, mazovian_office
):
    assert open_publication.obligations.count() == 1
    newcomer = cast.make_entity(name="Nowy Szpital Powiatowy")
    call_command("run_periodic", stdout=io.StringIO())
    assert open_publication.obligations.filter(entity=newcomer).exists()
    # Once: the next run adds nothing.
    assert oblige_joiners() == 0


def test_a_newcomer_outside_the_condition_gets_nothing(open_publication, clinic):
    assert oblige_joiners() == 0
    assert not open_publication.obligations.filter(entity=clinic).exists()


def test_nobody_joins_a_closed_period_or_one_past_its_deadline(open_publication, mazovian_office):
    cast.make_entity(name="Nowy Szpital Powiatowy")
    Publication.objects.update(closed_at=timezone.now())
    assert oblige_joiners() == 0
    Publication.objects.update(closed_at=None, deadline=datetime.date(2024, 3, 31))
    assert oblige_joiners() == 0


def test_an_exempted_obligation_is_not_created_again(open_publication, hospital, celina):
    obligation = open_publication.obligations.get(entity=hospital)
    exempt_obligation(obligation=obligation, actor=celina, reason="Likwidacja podmiotu.")
    assert oblige_joiners() == 0
    assert open_publication.obligations.get(entity=hospital).is_exempted


def test_the_publishing_page_asks_for_the_conditions_with_labels(client, celina, survey):
    cast.log_in(client, celina)
    content = client.get(page(survey)).content.decode()
    for label in (
        "Rodzaj działalności jednostek (część VI)",
        "Specjalności komórek (część VIII)",
        "Umowa z NFZ",
        "Nie sprawozdają praktyki o kodach (część IV)",
        "Termin wstępny (nieobowiązkowy)",
        "Pytanie ankiety przypisującej (nieobowiązkowe)",
    ):
        assert label in content
    assert reverse("publications:publish") in content


def test_the_reporters_see_the_preliminary_deadline_beside_the_final_one(
    client, survey, hospital, alice, celina
):
    from ssoz.publications.services import publish_form
    from ssoz.registry.models import Entity

    publish_form(
        form_version=survey,
        year=2025,
        quarter=None,
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        preliminary_deadline=timezone.localdate() + datetime.timedelta(days=30),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    cast.log_in(client, alice)
    home = client.get(reverse("portal:home")).content.decode()
    assert "termin wstępny" in home
    assert (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d.%m.%Y") in home
