"""„Wyniki” by the registry's other attributes: legal form, founding body, the contract with
NFZ and the kind of activity of the reporting unit; each from the table of breakdowns, under
the same confidentiality, and in as many queries however many rows."""

import cast
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from results.test_aggregates import page, rows

from ssoz.registry.models import Entity
from ssoz.results import aggregates
from ssoz.results.forms import AggregateForm


def silesian(n: int) -> Entity:
    return Entity.objects.get(name=f"Przychodnia Śląska {n}")


@pytest.fixture
def attributes(approved, hospital, clinic):
    """The hospital (15, of which 3 from its unit) has NFZ's contract and a county as its
    founding body; the clinic (5) and the first Silesian clinic (4) are individual practices
    (98), the second (6) a group practice (97); the third (8) has no code."""
    Entity.objects.filter(pk=hospital.pk).update(nfz_contract=True, founding_body_code="32")
    Entity.objects.filter(pk=clinic.pk).update(nfz_contract=True, legal_form_code="98")
    Entity.objects.filter(pk=silesian(0).pk).update(legal_form_code="98")
    Entity.objects.filter(pk=silesian(1).pk).update(legal_form_code="97")
    return approved


def test_the_form_offers_every_breakdown_of_the_table(anna):
    form = AggregateForm(None, figures=[("X", "X")], user=anna)
    offered = [(key, str(label)) for key, label in form.fields["wedlug"].choices]
    assert offered == [(key, str(b.label)) for key, b in aggregates.BREAKDOWNS.items()]
    assert ("nfz", "umowa z NFZ") in offered
    assert [(key, str(label)) for key, label in form.fields["kolumny"].choices][1:] == offered


def test_by_legal_form_with_the_practices_named(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="forma")
    found = rows(client.get(url, query))
    assert found["98 – indywidualna praktyka"] == (None, 9, 2)
    assert found["97 – grupowa praktyka"] == (None, 6, 1)
    assert found["bez kodu formy"] == (None, 23, 2)
    assert found["Razem"] == (None, 38, 5)


def test_a_code_outside_the_list_reads_as_itself(client, attributes, celina):
    Entity.objects.filter(name="Przychodnia Śląska 2").update(legal_form_code="12")
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="forma")
    assert rows(client.get(url, query))["kod 12"] == (None, 8, 1)


def test_by_founding_body(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="tworzacy")
    found = rows(client.get(url, query))
    assert found["kod 32"] == (None, 15, 1)
    assert found["bez podmiotu tworzącego"] == (None, 23, 4)


def test_by_the_contract_with_nfz(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="nfz")
    found = rows(client.get(url, query))
    assert found["z umową z NFZ"] == (None, 20, 2)
    assert found["bez umowy z NFZ"] == (None, 18, 3)


def test_by_the_units_activity_a_collective_report_apart(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="dzialalnosc")
    found = rows(client.get(url, query))
    assert found["1 – stacjonarne i całodobowe świadczenia szpitalne"] == (None, 3, 1)
    assert found["zbiorczo za podmiot, bez jednostki"] == (None, 35, 5)
    # The hospital, in both rows, is one entity of the total.
    assert found["Razem"] == (None, 38, 5)


def test_a_new_breakdown_is_kept_confidential_too(client, attributes, wanda):
    cast.log_in(client, wanda)
    url, query = page(attributes, wedlug="nfz")
    found = rows(client.get(url, query))
    assert found["z umową z NFZ"][0] == aggregates.Reason.FEW  # two entities
    assert found["bez umowy z NFZ"][0] is not None  # or the total would tell


def test_a_two_way_table_by_contract_and_voivodeship(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="nfz", kolumny="wojewodztwo")
    grid = client.get(url, query).context["grid"]
    assert grid.sums["tak", "14"] == 15
    assert grid.sums["tak", "24"] == 5
    assert grid.sums["nie", "__total__"] == 18
    assert grid.row_label == "umowa z NFZ"


def test_the_csv_names_the_breakdown(client, attributes, celina):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug="forma")
    body = client.get(url, {**query, "format": "csv"}).content.decode("utf-8")
    assert body.splitlines()[1].startswith("forma organizacyjno-prawna (część IV);Suma;")


def queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("breakdown", ["forma", "tworzacy", "nfz"])
def test_the_page_takes_as_many_queries_for_one_row_as_for_five(
    client, attributes, celina, breakdown
):
    cast.log_in(client, celina)
    url, query = page(attributes, wedlug=breakdown)
    entities = Entity.objects.filter(pk__in=attributes.obligations.values("entity"))
    entities.update(legal_form_code="98", founding_body_code="32", nfz_contract=True)
    assert len(client.get(url, query).context["result"].rows) == 1
    one_row = queries(client, url, query)
    for number, entity in enumerate(entities.order_by("pk")):
        Entity.objects.filter(pk=entity.pk).update(
            legal_form_code=f"9{number}", founding_body_code=f"3{number}", nfz_contract=number % 2
        )
    many = len(client.get(url, query).context["result"].rows)
    assert many == (2 if breakdown == "nfz" else 5)
    assert queries(client, url, query) == one_row
