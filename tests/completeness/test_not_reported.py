"""„Podmioty, które nie wysłały sprawozdania”: the entities that have not activated or not
sent, with their contacts and the days late, a page at a time and as CSV; a regional
administrator never sees another voivodeship's entities."""

import csv
import io

import cast
import pytest
from django.urls import reverse

from ssoz.completeness import selectors
from ssoz.completeness.models import EntityState
from ssoz.reports import workflow


@pytest.fixture
def filling(publication, hospital, alice):
    """The hospital has activated the survey and is filling it in; the clinic and the dental
    practice have not activated."""
    workflow.create_reports(
        obligation=publication.obligations.get(entity=hospital), actor=alice, collective=True
    )
    return publication


def rows_of(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def test_the_list_holds_who_has_not_activated_or_not_sent(
    filling, hospital, clinic, dentist, celina
):
    rows = selectors.with_contacts(
        filling, selectors.not_reported(selectors.scope_for(celina, filling))
    )
    assert {row.entity: row.state for row in rows} == {
        hospital: EntityState.FILLING,
        clinic: EntityState.NOT_ACTIVATED,
        dentist: EntityState.NOT_ACTIVATED,
    }


def test_an_entity_that_has_sent_is_not_on_the_list(filling, hospital, alice, send, celina):
    send(filling.reports.get(obligation__entity=hospital), alice)
    listed = selectors.not_reported(selectors.scope_for(celina, filling))
    assert hospital.pk not in {obligation.entity_id for obligation in listed}


def test_a_regional_administrator_sees_only_her_voivodeship_on_the_page_and_in_the_csv(
    client, filling, olaf, clinic, hospital
):
    cast.log_in(client, olaf)
    page = client.get(reverse("completeness:not_reported", args=[filling.pk]))
    assert [row.entity for row in page.context["rows"]] == [clinic]
    assert hospital.name not in page.content.decode()
    # Asking for another voivodeship changes nothing: she reads her own.
    csv_rows = rows_of(
        client.get(
            reverse("completeness:not_reported_csv", args=[filling.pk]), {"wojewodztwo": "14"}
        )
    )
    assert [row["Nazwa podmiotu"] for row in csv_rows] == [clinic.name]


def test_the_contact_is_the_reporters_who_may_fill_the_form_else_the_registry(
    filling, hospital, dentist, alice, celina
):
    cast.make_user("bob", entity=hospital)
    cast.make_user("piotr", entity=hospital, psychiatric_card_only=True)
    cast.make_user("ola", entity=hospital, is_active=False)
    dentist.email, dentist.phone = "gabinet@example.org", "22 123 45 67"
    dentist.save()
    found = selectors.contacts(filling, [hospital, dentist])
    assert found[hospital.pk].emails == ("alice@example.org", "bob@example.org")
    assert not found[hospital.pk].from_registry
    assert found[dentist.pk].emails == ("gabinet@example.org",)
    assert found[dentist.pk].phones == ("22 123 45 67",)
    assert found[dentist.pk].from_registry


def test_the_csv_has_polish_headings_and_the_days_late(client, filling, wanda, hospital):
    cast.log_in(client, wanda)
    response = client.get(reverse("completeness:not_reported_csv", args=[filling.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = {row["REGON"]: row for row in rows_of(response)}
    row = rows[hospital.regon]
    assert row["Stan"] == str(EntityState.FILLING.label)
    assert row["E-mail"] == "alice@example.org"
    assert int(row["Dni do terminu (ujemne: po terminie)"]) < 0


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    client, filling, dentist, wanda
):
    dentist.name = '=HYPERLINK("http://evil.example")'
    dentist.save()
    cast.log_in(client, wanda)
    rows = rows_of(client.get(reverse("completeness:not_reported_csv", args=[filling.pk])))
    assert '\'=HYPERLINK("http://evil.example")' in {row["Nazwa podmiotu"] for row in rows}


def test_the_filters_narrow_the_list_and_a_wrong_one_is_refused_in_polish(
    client, filling, celina, clinic
):
    cast.log_in(client, celina)
    url = reverse("completeness:not_reported", args=[filling.pk])
    response = client.get(url, {"wojewodztwo": "24", "stan": "not_activated"})
    assert [row.entity for row in response.context["rows"]] == [clinic]
    refused = client.get(url, {"powiat": "14x5"})
    assert refused.status_code == 400
    assert "Kod TERYT powiatu ma cztery cyfry." in refused.content.decode()
    assert client.get(url, {"strona": "9" * 40}).status_code == 200


def test_the_list_takes_the_same_queries_however_many_entities(
    client, filling, wanda, many_mazovian_entities, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast.log_in(client, wanda)
    url = reverse("completeness:not_reported", args=[filling.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    many_mazovian_entities(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 50
