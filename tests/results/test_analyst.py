"""Anna, an analyst at the Ministry: she finds every publication's results from her home page,
reads the whole country in full like the central administrator, and changes nothing."""

import cast
import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from results.test_aggregates import page, rows

from ssoz.accounts.access import may_read_results
from ssoz.accounts.models import Role
from ssoz.results import aggregates


def test_her_menu_and_home_page_lead_to_the_publications_and_their_results(client, approved, anna):
    cast.log_in(client, anna)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Analityk – wyniki dla całego kraju" in home
    assert f'href="{reverse("publications:list")}"' in home
    assert reverse("review:queue") not in home
    listing = client.get(reverse("publications:list")).content.decode()
    assert reverse("results:aggregate", args=[approved.pk]) in listing


def test_the_publications_list_shows_her_no_verb(client, approved, anna):
    cast.log_in(client, anna)
    listing = client.get(reverse("publications:list")).content.decode()
    for verb in ("publications:close", "publications:acceptance", "publications:recheck"):
        assert reverse(verb, args=[approved.pk]) not in listing
    assert reverse("publications:publish") not in listing
    assert reverse("publications:deadline", args=[approved.pk]) not in listing
    assert reverse("completeness:summary", args=[approved.pk]) not in listing


def test_the_central_administrator_keeps_her_verbs_beside_the_results(client, approved, celina):
    cast.log_in(client, celina)
    listing = client.get(reverse("publications:list")).content.decode()
    assert reverse("publications:close", args=[approved.pk]) in listing
    assert reverse("results:aggregate", args=[approved.pk]) in listing


def test_she_sees_the_whole_country_without_suppression(client, approved, anna):
    cast.log_in(client, anna)
    url, query = page(approved, wedlug="wojewodztwo")
    response = client.get(url, query)
    found = rows(response)
    # The one Mazovian entity, which a regional administrator sees hidden.
    assert found["mazowieckie"] == (None, 15, 1)
    assert found["Razem"] == (None, 38, 5)
    assert response.context["result"].scope == aggregates.Scope(None, suppressed=False)
    assert "ukryte: tajemnica statystyczna" not in response.content.decode()


def test_she_may_choose_any_voivodeship(client, approved, anna):
    cast.log_in(client, anna)
    url, query = page(approved, wedlug="typ", zakres="24")
    assert rows(client.get(url, query))["Razem"] == (None, 23, 4)


def test_her_way_back_from_the_results_is_the_publications_list(client, approved, anna):
    cast.log_in(client, anna)
    url, query = page(approved)
    content = client.get(url, query).content.decode()
    assert reverse("completeness:summary", args=[approved.pk]) not in content
    assert reverse("publications:list") in content


def test_an_analyst_belongs_to_no_entity_and_no_voivodeship(db, hospital):
    with pytest.raises(IntegrityError):
        cast.make_user("ania", role=Role.ANALYST, voivodeship="14")


def test_an_inactive_analyst_reads_nothing(client, approved, anna):
    anna.is_active = False
    anna.save()
    assert not may_read_results(anna)
    with pytest.raises(PermissionDenied):
        aggregates.scope_for(anna, None)
