"""„Wyniki” per 10,000 inhabitants: by voivodeship or county, where GUS's population is loaded
for the period's year or an earlier one; a hidden row's rate is hidden with it, since the
population is public and would give its sum away."""

import csv
import io
from decimal import Decimal

import cast
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from results.test_aggregates import page

from ssoz.registry.models import Entity, Population

RATE = "na 10 tys. ludności"


@pytest.fixture
def people(db):
    """Mazowieckie 5 million, Śląskie 4 million in 2022, the year before the survey's;
    Warsaw's county 1.8 million, Katowice's 0.3 million."""
    for teryt, population in (("14", 5_000_000), ("24", 4_000_000)):
        Population.objects.create(teryt=teryt, year=2022, population=population)
    for teryt, population in (("1465", 1_800_000), ("2469", 300_000), ("1401", 200_000)):
        Population.objects.create(teryt=teryt, year=2022, population=population)


def result(client, publication, **query):
    url, query = page(publication, **query)
    response = client.get(url, query)
    return response, {row.label: row for row in [*response.context["result"].rows]}


def test_each_voivodeship_and_the_country_per_10_000_inhabitants(client, approved, people, anna):
    cast.log_in(client, anna)
    response, rows = result(client, approved, wedlug="wojewodztwo")
    assert rows["mazowieckie"].rate == Decimal(15) * 10_000 / 5_000_000
    assert rows["śląskie"].rate == Decimal(23) * 10_000 / 4_000_000
    total = response.context["result"].total
    assert total.rate == Decimal(38) * 10_000 / 9_000_000
    content = response.content.decode()
    assert RATE in content
    # 2023's survey is divided by 2022's population, the latest loaded before it: so it says.
    assert "ludność 2022" in content


def test_a_county_of_a_voivodeship_and_the_voivodeships_counties_in_total(
    client, approved, people, wanda
):
    cast.log_in(client, wanda)
    response, rows = result(client, approved, wedlug="powiat", zakres="14")
    assert rows["1465 (mazowieckie)"].rate == Decimal(15) * 10_000 / 1_800_000
    # Mazowieckie's total is over its loaded counties, not the country's.
    assert response.context["result"].total.rate == Decimal(15) * 10_000 / 2_000_000


def test_a_hidden_row_has_no_rate_on_the_page_or_in_the_csv(client, approved, people, wanda):
    cast.log_in(client, wanda)
    response, rows = result(client, approved, wedlug="wojewodztwo")
    assert rows["mazowieckie"].hidden and rows["mazowieckie"].rate is None
    assert rows["śląskie"].hidden and rows["śląskie"].rate is None
    content = response.content.decode()
    row = content.split('<th scope="row">mazowieckie</th>')[1].split("</tr>")[0]
    assert row.count("ukryte: tajemnica statystyczna") == 6
    assert "0,03" not in content  # 15 per 5 million
    url, query = page(approved, wedlug="wojewodztwo")
    body = client.get(url, {**query, "format": "csv"}).content.decode("utf-8")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[1][:3] == ["województwo", "Suma", "Na 10 tys. ludności (ludność 2022)"]
    assert ["mazowieckie", "×", "×", "×", "×", "×"] in lines


def test_the_csv_has_the_rate_beside_the_sum(client, approved, people, celina):
    cast.log_in(client, celina)
    url, query = page(approved, wedlug="wojewodztwo")
    body = client.get(url, {**query, "format": "csv"}).content.decode("utf-8")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[2] == ["mazowieckie", "15", "0,03", "15", "15", "1"]


def test_no_rates_without_a_population_of_that_year_or_before(client, approved, celina):
    Population.objects.create(teryt="14", year=2024, population=5_000_000)
    cast.log_in(client, celina)
    response, rows = result(client, approved, wedlug="wojewodztwo")
    assert response.context["result"].population_year is None
    assert RATE not in response.content.decode()


def test_no_rates_by_an_attribute_that_is_not_a_place(client, approved, people, celina):
    cast.log_in(client, celina)
    response, rows = result(client, approved, wedlug="typ")
    assert response.context["result"].population_year is None
    assert RATE not in response.content.decode()


def test_a_row_without_a_population_has_no_rate_and_the_total_none(
    client, approved, people, celina
):
    Population.objects.filter(teryt="24").delete()
    cast.log_in(client, celina)
    response, rows = result(client, approved, wedlug="wojewodztwo")
    assert rows["mazowieckie"].rate is not None
    assert rows["śląskie"].rate is None
    assert response.context["result"].total.rate is None


def queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_the_rates_take_one_query_however_many_counties(client, approved, people, celina):
    cast.log_in(client, celina)
    url, query = page(approved, wedlug="powiat")
    silesian = Entity.objects.filter(name__startswith="Przychodnia Śląska").order_by("pk")
    assert len(client.get(url, query).context["result"].rows) == 2
    few = queries(client, url, query)
    for number, entity in enumerate(silesian, start=2):
        Entity.objects.filter(pk=entity.pk).update(teryt=f"24{number:02d}011")
        Population.objects.create(teryt=f"24{number:02d}", year=2022, population=100_000)
    found = client.get(url, query).context["result"]
    assert len(found.rows) == 5 and all(row.rate is not None for row in found.rows)
    assert queries(client, url, query) == few


def test_the_exported_table_has_the_rates_shown_and_hides_a_hidden_row_s_rate(
    client, approved, people, wanda, django_capture_on_commit_callbacks
):
    """„Eksportuj tabelę” writes the table as the page shows it: the rate column beside the
    sum, and under confidentiality a hidden row's rate hidden with its sum."""
    from django.urls import reverse

    from ssoz.exports.models import Export

    cast.log_in(client, wanda)
    query = {"cecha": "D1.W01.K2", "wedlug": "wojewodztwo", "zakres": "", "format": "csv"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:table", args=[approved.pk]), query)
    export = Export.objects.get()
    content = client.get(reverse("exports:download", args=[export.pk]))
    codes, labels, *rows = list(csv.reader(io.StringIO(b"".join(content).decode())))
    assert codes[:4] == ["klucz", "nazwa", "suma", "na_10_tys"]
    assert labels[3] == "Na 10 tys. ludności (ludność 2022)"
    _response, shown = result(client, approved, wedlug="wojewodztwo", zakres="")
    for row in rows[:-1]:  # the last is the total
        on_page = shown[row[1]]
        if on_page.hidden:
            assert row[2:4] == ["×", "×"]
        else:
            assert row[3] == str(round(on_page.rate, 2))
    assert any(row[2] == "×" for row in rows)
    assert any(row[3] not in ("", "×") for row in rows)
