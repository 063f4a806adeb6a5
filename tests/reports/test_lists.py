import cast
from django.urls import reverse

from ssoz.registry.models import OrganisationalUnit
from ssoz.reports import workflow
from ssoz.reports.models import Report, Status


def list_page(client, **query) -> str:
    return client.get(reverse("reports:list"), query).content.decode()


def test_the_tabs_and_states_of_the_manual_are_there(client, alice, publication):
    cast.log_in(client, alice)
    content = list_page(client, rodzaj="jednorazowe")
    for label in (
        "sprawozdania okresowe",
        "sprawozdania jednorazowe",
        "do uzupełnienia",
        "wysłane do weryfikacji",
        "zatwierdzone",
        "do korekty",
    ):
        assert label in content, label
    assert "TEST-1" in content
    assert "31.03.2024" in content
    assert "aktywuj" in content


def test_a_one_time_form_is_not_among_the_periodic_ones(client, alice, publication):
    cast.log_in(client, alice)
    assert "TEST-1" not in list_page(client, rodzaj="okresowe")


def test_the_year_selector_lists_the_years_with_forms(client, alice, publication):
    cast.log_in(client, alice)
    content = list_page(client, rodzaj="jednorazowe", rok="2023")
    assert '<option value="2023" selected>' in content


def test_aktywuj_leads_to_the_choice_of_level(client, alice, obligation):
    cast.log_in(client, alice)
    response = client.post(reverse("reports:activate", args=[obligation.pk]))
    assert response.url == reverse("reports:choose_level", args=[obligation.pk])
    obligation.refresh_from_db()
    assert obligation.is_activated
    content = client.get(response.url).content.decode()
    assert "Zbiorczo za całą działalność podmiotu" in content
    assert "Uzupełnij indywidualnie za wybrane jednostki organizacyjne" in content
    for unit in obligation.entity.units.all():
        assert unit.name in content


def test_reporting_for_two_units_makes_two_reports_with_their_headers(client, alice, obligation):
    cast.log_in(client, alice)
    first, second, _third = obligation.entity.units.order_by("unit_code")
    response = client.post(
        reverse("reports:choose_level", args=[obligation.pk]),
        {"action": "units", "units": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    reports = Report.objects.filter(obligation=obligation).order_by("unit__unit_code")
    assert [r.unit for r in reports] == [first, second]
    assert reports[0].header["unit.name"] == first.name
    assert reports[0].header["entity.regon"] == obligation.entity.regon
    content = client.get(response.url).content.decode()
    assert content.count(">wypełnij<") == 2


def test_choosing_units_needs_at_least_one(client, alice, obligation):
    cast.log_in(client, alice)
    response = client.post(
        reverse("reports:choose_level", args=[obligation.pk]), {"action": "units"}
    )
    assert response.status_code == 400
    assert "Zaznacz co najmniej jedną jednostkę organizacyjną." in response.content.decode()


def test_another_entitys_unit_cannot_be_smuggled_in(client, alice, obligation, clinic):
    from ssoz.registry.models import OrganisationalUnit

    foreign = OrganisationalUnit.objects.create(
        entity=clinic, name="Obca", unit_code="009", city="Katowice", teryt="2469011"
    )
    cast.log_in(client, alice)
    client.post(
        reverse("reports:choose_level", args=[obligation.pk]),
        {"action": "units", "units": [foreign.pk]},
    )
    assert not Report.objects.filter(unit=foreign).exists()


def test_the_clerk_of_another_entity_cannot_activate(client, charlie, obligation):
    cast.log_in(client, charlie)
    assert client.post(reverse("reports:activate", args=[obligation.pk])).status_code == 404


def test_administrators_do_not_fill_reports(client, wanda, obligation):
    cast.log_in(client, wanda)
    assert client.post(reverse("reports:activate", args=[obligation.pk])).status_code == 403


def test_sent_reports_move_to_their_tab(client, alice, report):
    Report.objects.filter(pk=report.pk).update(status=Status.SENT)
    cast.log_in(client, alice)
    content = list_page(client, rodzaj="jednorazowe", stan="wyslane")
    assert "podgląd" in content


def test_a_returned_report_shows_the_administrators_comment(client, alice, report, wanda):
    Report.objects.filter(pk=report.pk).update(status=Status.SENT)
    report.refresh_from_db()
    workflow.return_report(report=report, actor=wanda, comment="Proszę poprawić wiersz 2.")
    cast.log_in(client, alice)
    content = list_page(client, rodzaj="jednorazowe", stan="do-korekty")
    assert "Proszę poprawić wiersz 2." in content


def test_a_huge_unit_number_is_refused_not_a_server_error(client, alice, obligation):
    cast.log_in(client, alice)
    for huge in (str(10**30), "9" * 25_000):
        response = client.post(
            reverse("reports:choose_level", args=[obligation.pk]),
            {"action": "units", "units": [huge]},
        )
        assert response.status_code == 400
        assert "Zaznaczona jednostka nie należy do podmiotu." in response.content.decode()
    assert not Report.objects.exists()


def test_an_address_with_a_huge_number_is_not_found(client, alice, obligation):
    cast.log_in(client, alice)
    for huge in (str(10**30), "9" * 25_000):
        assert client.get(f"/sprawozdania/obowiazek/{huge}/za-kogo/").status_code == 404
        assert client.get(f"/sprawozdania/{huge}/").status_code == 404


def test_only_reporters_have_the_list_of_reports(client, wanda, celina, publication):
    for administrator in (wanda, celina):
        cast.log_in(client, administrator)
        assert client.get(reverse("reports:list")).status_code == 403


def test_the_list_is_paginated_and_counts_every_state_in_a_few_queries(
    client, alice, obligation, django_assert_max_num_queries
):
    units = [
        OrganisationalUnit(
            entity=obligation.entity, name=f"Poradnia {n}", unit_code=f"{100 + n}", teryt="1465011"
        )
        for n in range(60)
    ]
    OrganisationalUnit.objects.bulk_create(units)
    units = list(obligation.entity.units.filter(unit_code__gte="100"))
    workflow.create_reports(obligation=obligation, actor=alice, collective=False, units=units)
    cast.log_in(client, alice)
    with django_assert_max_num_queries(14):
        first = list_page(client, rodzaj="jednorazowe", rok="2023")
    assert first.count(">wypełnij<") == 50
    assert "strona 1 z 2" in first
    second = list_page(client, rodzaj="jednorazowe", rok="2023", strona="2")
    assert second.count(">wypełnij<") == 10
    assert 'do uzupełnienia <span class="badge">60</span>' in second
