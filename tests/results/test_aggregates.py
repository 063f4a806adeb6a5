"""„Wyniki”: a figure summed by voivodeship, county or entity type; the central administrator
sees every cell, a regional one her voivodeship in full and the country only under
statistical confidentiality."""

import datetime

import cast
from django.urls import reverse
from results.conftest import FIGURE

from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.results import aggregates


def page(publication, **query):
    return reverse("results:aggregate", args=[publication.pk]), {"cecha": FIGURE, **query}


def rows(response) -> dict[str, tuple]:
    result = response.context["result"]
    return {row.label: (row.hidden, row.total, row.count) for row in [*result.rows, result.total]}


def test_the_central_administrator_sees_every_cell(client, approved, celina):
    cast.log_in(client, celina)
    url, query = page(approved, wedlug="wojewodztwo")
    found = rows(client.get(url, query))
    # The hospital's collective report and its unit's, one entity: 12 + 3.
    assert found["mazowieckie"] == (None, 15, 1)
    assert found["śląskie"] == (None, 23, 4)
    assert found["Razem"] == (None, 38, 5)


def test_a_regional_administrator_sees_the_country_under_confidentiality(client, approved, wanda):
    cast.log_in(client, wanda)
    url, query = page(approved, wedlug="wojewodztwo")
    response = client.get(url, query)
    found = rows(response)
    # One entity in Mazowieckie: hidden, and Śląskie with it, or the total would tell.
    assert found["mazowieckie"][0] == aggregates.Reason.FEW
    assert found["śląskie"][0] is not None
    content = response.content.decode()
    assert "ukryte: tajemnica statystyczna" in content
    assert "dane ukryte ze względu na tajemnicę statystyczną" in content


def test_her_own_voivodeship_she_sees_in_full(client, approved, wanda):
    cast.log_in(client, wanda)
    url, query = page(approved, wedlug="typ", zakres="14")
    found = rows(client.get(url, query))
    assert found["Razem"] == (None, 15, 1)


def test_another_voivodeship_alone_is_refused(client, approved, wanda):
    cast.log_in(client, wanda)
    url, query = page(approved, zakres="24")
    assert client.get(url, query).status_code == 400  # not among her choices


def test_reporters_see_no_aggregates(client, approved, alice):
    cast.log_in(client, alice)
    url, query = page(approved)
    assert client.get(url, query).status_code == 403


def test_an_unknown_figure_is_explained_next_to_its_field(client, approved, celina):
    cast.log_in(client, celina)
    url, _query = page(approved)
    response = client.get(url, {"cecha": "D9.W99.K9"})
    assert response.status_code == 400
    assert "Wybierz pozycję formularza z listy." in response.content.decode()


def test_the_change_against_last_period_of_the_same_version(approved, celina, survey, hospital):
    later = publish_form(
        form_version=survey,
        year=2024,
        quarter=None,
        deadline=datetime.date(2025, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    scope = aggregates.scope_for(celina, "14")
    result = aggregates.aggregate(
        publication=later, figure=FIGURE, breakdown="wojewodztwo", scope=scope, final_only=False
    )
    assert result.previous == approved
    assert result.total.count == 0  # nothing sent for 2024 yet
    previous = aggregates.aggregate(
        publication=approved, figure=FIGURE, breakdown="wojewodztwo", scope=scope
    )
    assert previous.total.change is None  # 2022 was not published


def test_a_two_way_table_adds_up_and_the_central_administrator_sees_it_whole(
    client, approved, celina
):
    cast.log_in(client, celina)
    url, query = page(approved, wedlug="wojewodztwo", kolumny="typ")
    grid = client.get(url, query).context["grid"]
    assert grid.sums["14", "podmiot_leczniczy"] == 15
    assert grid.sums["__total__", "__total__"] == 38
    assert grid.hidden == {}


def test_a_two_way_table_under_confidentiality_hides_cells_that_stay_protected(
    client, approved, wanda
):
    from results.test_suppression import attacker_interval

    from ssoz.results.suppression import Table

    cast.log_in(client, wanda)
    url, query = page(approved, wedlug="wojewodztwo", kolumny="typ")
    response = client.get(url, query)
    grid = response.context["grid"]
    assert grid.hidden["14", "podmiot_leczniczy"] == aggregates.Reason.FEW
    assert "ukryte: tajemnica statystyczna" in response.content.decode()
    # What the page publishes protects every hidden cell (the independent program).
    rows = [key for key, _label in grid.rows]
    columns = [key for key, _label in grid.columns]
    cells = {key: {0: float(value)} for key, value in grid.sums.items() if "__total__" not in key}
    table = Table.from_entities(rows, columns, cells)
    for key in grid.hidden:
        value = float(grid.sums[key])
        low, high = attacker_interval(table, set(grid.hidden), key)
        assert low <= 0.8 * value + 1e-6 and high >= 1.2 * value - 1e-6


def test_rows_and_columns_by_the_same_breakdown_are_refused(client, approved, celina):
    cast.log_in(client, celina)
    url, query = page(approved, wedlug="typ", kolumny="typ")
    response = client.get(url, query)
    assert response.status_code == 400
    assert "Wybierz do kolumn inny podział niż do wierszy." in response.content.decode()


def test_the_table_beside_its_chart_downloads_as_csv_as_shown(client, approved, wanda):
    import csv
    import io

    cast.log_in(client, wanda)
    url, query = page(approved, wedlug="wojewodztwo", zakres="14")
    response = client.get(url, query)
    content = response.content.decode()
    assert '<svg role="img" aria-labelledby="results-chart-title"' in content
    assert "<script" not in content.split("results-chart-title")[1].split("</svg>")[0]
    csv_response = client.get(url, {**query, "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[2] == ["mazowieckie", "15", "15", "15", "1"]


def test_the_csv_keeps_hidden_cells_hidden(client, approved, wanda):
    import csv
    import io

    cast.log_in(client, wanda)
    url, query = page(approved, wedlug="wojewodztwo")
    body = client.get(url, {**query, "format": "csv"}).content.decode("utf-8")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert ["mazowieckie", "×", "×", "×", "×"] in lines
