import datetime
from unittest import mock

import cast
import pytest
from django.urls import reverse

from ssoz.publications import audience, services
from ssoz.publications.forms import BY_REGON, BY_TYPE
from ssoz.publications.models import Obligation, Publication
from ssoz.publications.services import activate_obligation
from ssoz.registry.models import Entity

MAZOWIECKIE, SLASKIE = "14", "24"


def page(version) -> str:
    return f"{reverse('publications:publish')}?wersja={version.pk}"


def choices(**fields) -> dict:
    data = {
        "year": "2023",
        "deadline": "2024-03-31",
        "audience": BY_TYPE,
        "entity_types": ["podmiot_leczniczy"],
        "voivodeships": [MAZOWIECKIE, SLASKIE],
        "regons": "",
    }
    data.update(fields)
    return data


def preview(client, version, **fields):
    return client.post(page(version), {**choices(**fields), "action": "preview"})


def publish(client, version, **fields):
    """Preview, then „Opublikuj” what the preview showed."""
    shown = preview(client, version, **fields)
    assert shown.status_code == 200, shown.content.decode()
    key = shown.context["preview"].key
    return client.post(
        page(version), {**choices(**fields), "action": "publish", "preview_key": key}
    )


def obliged(publication) -> set[int]:
    return set(publication.obligations.values_list("entity_id", flat=True))


@pytest.mark.parametrize("who", ["alice", "wanda", "olaf"])
def test_only_the_central_administrator_may_publish(client, request, survey, who):
    cast.log_in(client, request.getfixturevalue(who))
    assert client.get(reverse("publications:publish")).status_code == 403
    assert client.get(page(survey)).status_code == 403
    assert preview(client, survey).status_code == 403
    assert client.get(reverse("publications:list")).status_code == 403
    assert not Publication.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, survey):
    response = client.get(page(survey))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_the_page_offers_the_loaded_versions_then_the_chosen_ones_options(
    client, celina, survey, quarterly_form
):
    cast.log_in(client, celina)
    content = client.get(reverse("publications:publish")).content.decode()
    assert "Publikacja formularza" in content
    assert "TEST-1 – Ankieta testowa, wersja 1" in content
    assert "TEST-Q" in content
    assert 'name="year"' not in content  # nothing to fill in before a version is chosen

    content = client.get(page(quarterly_form)).content.decode()
    assert 'name="quarter"' in content
    # The entity types are those the definition names.
    assert 'value="praktyka_dentystyczna"' in content
    assert 'value="praktyka_pielegniarska"' not in content
    assert "Dalej: podgląd" in content

    content = client.get(page(survey)).content.decode()
    assert 'name="quarter"' not in content
    assert 'value="2024-03-31"' in content  # the definition's deadline, editable


def test_publish_by_entity_type(client, celina, survey, hospital, clinic, dentist):
    cast.log_in(client, celina)
    response = publish(client, survey, entity_types=["praktyka_dentystyczna"])
    assert response.status_code == 302
    assert response.url == reverse("publications:list")
    publication = Publication.objects.get()
    assert obliged(publication) == {dentist.pk}
    assert (publication.year, publication.quarter) == (2023, None)
    assert publication.deadline == datetime.date(2024, 3, 31)
    assert publication.published_by == celina
    assert "Praktyka lekarza dentysty" in publication.audience
    content = client.get(response.url).content.decode()
    assert "obowiązek sprawozdawczy otrzymało podmiotów: 1" in content


def test_publish_by_voivodeship(client, celina, survey, hospital, clinic, dentist):
    cast.log_in(client, celina)
    response = publish(
        client,
        survey,
        entity_types=["podmiot_leczniczy", "praktyka_dentystyczna"],
        voivodeships=[SLASKIE],
    )
    assert response.status_code == 302
    assert obliged(Publication.objects.get()) == {clinic.pk}


def test_inactive_entities_are_not_obliged(client, celina, survey, hospital, clinic):
    Entity.objects.filter(pk=clinic.pk).update(is_active=False)
    cast.log_in(client, celina)
    publish(client, survey)
    assert obliged(Publication.objects.get()) == {hospital.pk}


def test_publish_by_regon_list_one_per_line_or_comma_separated(
    client, celina, survey, hospital, clinic, dentist
):
    cast.log_in(client, celina)
    unit_regon = hospital.units.first().regon14
    regons = f"{clinic.regon}, {dentist.regon}\n\n{unit_regon}\n{clinic.regon}\n"
    response = publish(client, survey, audience=BY_REGON, regons=regons)
    assert response.status_code == 302
    publication = Publication.objects.get()
    # A unit's 14-digit REGON names its entity; a number given twice counts once.
    assert obliged(publication) == {hospital.pk, clinic.pk, dentist.pk}
    assert publication.audience == "lista numerów REGON (3)"


def test_a_bad_regon_is_listed_back_with_its_line_and_nothing_is_published(
    client, celina, survey, hospital, clinic
):
    cast.log_in(client, celina)
    unknown = cast.valid_regon9()
    regons = f"{hospital.regon}\n12345\n{clinic.regon}, 123456789\n{unknown}"
    response = preview(client, survey, audience=BY_REGON, regons=regons)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Popraw zaznaczone pola" in content
    assert "Wiersz 2: „12345” – REGON ma 9 albo 14 cyfr." in content
    assert "Wiersz 3: „123456789” – REGON 123456789 ma błędną cyfrę kontrolną" in content
    assert f"Wiersz 4: „{unknown}” – nie ma podmiotu o tym numerze REGON w rejestrze." in content
    assert "Wiersz 1" not in content
    assert "Opublikuj" not in content
    # „Opublikuj” with the same list is refused just the same.
    response = client.post(
        page(survey),
        {**choices(audience=BY_REGON, regons=regons), "action": "publish", "preview_key": "x"},
    )
    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_a_regon_of_an_entity_the_form_is_not_for_is_refused(
    client, celina, quarterly_form, hospital, nurse
):
    cast.log_in(client, celina)
    regons = f"{hospital.regon}\n{nurse.regon}"
    response = preview(client, quarterly_form, quarter="1", audience=BY_REGON, regons=regons)
    assert response.status_code == 400
    assert "Wiersz 2" in response.content.decode()
    assert "nie sprawozdaje na tym formularzu" in response.content.decode()


def test_the_regon_list_is_required_when_chosen(client, celina, survey):
    cast.log_in(client, celina)
    response = preview(client, survey, audience=BY_REGON, regons="  \n")
    assert response.status_code == 400
    assert "Wklej numery REGON podmiotów." in response.content.decode()


def test_types_and_voivodeships_are_required_when_chosen(client, celina, survey):
    cast.log_in(client, celina)
    response = preview(client, survey, entity_types=[], voivodeships=[])
    assert response.status_code == 400
    content = response.content.decode()
    assert "Zaznacz co najmniej jeden typ jednostki." in content
    assert "Zaznacz co najmniej jedno województwo." in content
    assert 'href="#id_entity_types"' in content  # the error summary leads to the group


def test_the_preview_counts_the_entities_before_anything_is_published(
    client, celina, survey, hospital, clinic, dentist
):
    cast.log_in(client, celina)
    response = preview(client, survey, entity_types=["podmiot_leczniczy", "praktyka_dentystyczna"])
    assert response.status_code == 200
    shown = response.context["preview"]
    assert shown.chosen == 3
    assert shown.already == 0
    assert shown.existing is None
    content = response.content.decode()
    assert "Podgląd publikacji" in content
    assert 'form="publish-form" name="action" value="publish"' in content
    assert not Publication.objects.exists()


def test_the_deadline_defaults_to_the_definitions_rule_for_the_period(
    client, celina, quarterly_form, hospital
):
    cast.log_in(client, celina)
    response = preview(client, quarterly_form, year="2025", quarter="2", deadline="")
    assert response.status_code == 200
    assert response.context["preview"].deadline == datetime.date(2025, 7, 30)
    publish(client, quarterly_form, year="2025", quarter="2", deadline="")
    publication = Publication.objects.get()
    assert (publication.year, publication.quarter) == (2025, 2)
    assert publication.deadline == datetime.date(2025, 7, 30)


def test_an_edited_deadline_is_kept_and_its_difference_is_pointed_out(
    client, celina, survey, hospital
):
    cast.log_in(client, celina)
    response = preview(client, survey, deadline="2024-04-15")
    assert "termin różni się od terminu z definicji formularza" in response.content.decode()
    publish(client, survey, deadline="2024-04-15")
    assert Publication.objects.get().deadline == datetime.date(2024, 4, 15)


def test_a_quarterly_form_needs_its_quarter(client, celina, quarterly_form, hospital):
    cast.log_in(client, celina)
    response = preview(client, quarterly_form, deadline="")
    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_publishing_what_the_preview_did_not_show_is_refused(
    client, celina, survey, hospital, clinic
):
    cast.log_in(client, celina)
    key = preview(client, survey, voivodeships=[MAZOWIECKIE]).context["preview"].key
    response = client.post(page(survey), {**choices(), "action": "publish", "preview_key": key})
    assert response.status_code == 409
    assert "zmieniły się od podglądu" in response.content.decode()
    assert not Publication.objects.exists()


def test_publishing_the_same_version_and_period_again_is_refused(
    client, celina, survey, hospital, clinic
):
    cast.log_in(client, celina)
    first = preview(client, survey)
    key = first.context["preview"].key
    data = {**choices(), "action": "publish", "preview_key": key}
    assert client.post(page(survey), data).status_code == 302
    # The same „Opublikuj” again (a second tab, a double click): refused, nothing changes.
    response = client.post(page(survey), data)
    assert response.status_code == 409
    assert Publication.objects.count() == 1
    assert Obligation.objects.count() == 2
    # The preview says so, and there is nothing new to publish.
    response = preview(client, survey)
    content = response.content.decode()
    assert "Ten formularz jest już opublikowany za okres 2023" in content
    assert response.context["preview"].already == 2
    assert not response.context["preview"].can_publish
    assert 'value="publish"' not in content


def publication_2023(survey, actor) -> dict:
    """What services.publish takes to publish the survey for 2023 to Mazowieckie's entities."""
    chosen = audience.audience_by_type(
        survey, entity_types=["podmiot_leczniczy"], voivodeships=[MAZOWIECKIE]
    )
    return {
        "form_version": survey,
        "year": 2023,
        "quarter": None,
        "deadline": datetime.date(2024, 3, 31),
        "audience": chosen,
        "actor": actor,
    }


def test_the_service_refuses_a_second_publication_with_a_clear_message(celina, survey, hospital):
    arguments = publication_2023(survey, celina)
    services.publish(**arguments)
    with pytest.raises(services.PublishError, match="już opublikowany za okres 2023"):
        services.publish(**arguments)


def test_a_concurrent_publication_hits_the_constraint_and_is_refused_not_a_500(
    celina, survey, hospital
):
    arguments = publication_2023(survey, celina)
    services.publish(**arguments)
    # Another administrator's publication commits between our check and our insert.
    with (
        mock.patch.object(
            services, "published_for_period", side_effect=[None, Publication.objects.get()]
        ),
        pytest.raises(services.PublishError, match="już opublikowany"),
    ):
        services.publish(**arguments)
    assert Publication.objects.count() == 1
    assert Obligation.objects.count() == 1


def test_another_version_of_the_form_for_the_same_period_is_refused(
    client, celina, survey, hospital
):
    from reports.conftest import SURVEY

    from ssoz.definitions.services import load_definition

    second = load_definition(
        SURVEY.replace('version: "1"', 'version: "2"'), filename="test-1-v2.yaml"
    ).form_version
    cast.log_in(client, celina)
    publish(client, survey)
    response = preview(client, second)
    assert response.context["preview"].other_version
    assert "Za jeden okres można opublikować tylko jedną wersję." in response.content.decode()
    assert 'value="publish"' not in response.content.decode()
    assert Publication.objects.count() == 1


def test_a_republication_adds_only_the_newly_chosen_entities(
    client, celina, survey, hospital, clinic, dentist, alice
):
    cast.log_in(client, celina)
    publish(client, survey, voivodeships=[MAZOWIECKIE])
    publication = Publication.objects.get()
    obligation = publication.obligations.get(entity=hospital)
    activate_obligation(obligation=obligation, actor=alice)

    fields = {"entity_types": ["podmiot_leczniczy", "praktyka_dentystyczna"]}
    shown = preview(client, survey, **fields).context["preview"]
    assert (shown.chosen, shown.already, shown.added) == (3, 1, 2)
    response = publish(client, survey, **fields)
    assert response.status_code == 302
    assert Publication.objects.count() == 1
    assert obliged(publication) == {hospital.pk, clinic.pk, dentist.pk}
    # The obligation already taken up is kept as it was.
    obligation.refresh_from_db()
    assert obligation.is_activated
    content = client.get(response.url).content.decode()
    assert "dodano podmioty: 2" in content
