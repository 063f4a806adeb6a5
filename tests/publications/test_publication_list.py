import cast
from django.urls import reverse

from ssoz.publications import selectors
from ssoz.publications.services import publish_form
from ssoz.reports import workflow


def test_the_list_counts_entities_by_the_state_of_their_least_advanced_report(
    client, celina, publication, hospital, alice, charlie, sent_report, silesian_report, wanda, send
):
    # Alice's hospital also reports for one of its units, approved; its collective report
    # waits for review, so the hospital counts as sent, as on the completeness page.
    obligation = publication.obligations.get(entity=hospital)
    unit = hospital.units.first()
    (unit_report,) = workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=[unit]
    )
    send(unit_report, alice)
    workflow.approve_report(report=unit_report, actor=wanda)
    cast.log_in(client, celina)
    response = client.get(reverse("publications:list"))
    assert response.status_code == 200
    (row,) = response.context["publications"]
    assert (row.obliged, row.activated, row.sent, row.approved, row.returned) == (2, 2, 2, 0, 0)
    content = response.content.decode()
    assert "Opublikowane formularze i stan sprawozdań" in content
    assert '<th scope="col">Aktywowane (podmioty)</th>' in content
    assert '<th scope="col">Zatwierdzone (podmioty)</th>' in content
    # The collective report approved too: now the hospital is approved.
    workflow.approve_report(report=sent_report, actor=wanda)
    (row,) = client.get(reverse("publications:list")).context["publications"]
    assert (row.sent, row.approved) == (1, 1)


def test_the_list_and_the_completeness_page_agree(client, celina, publication, sent_report):
    from ssoz.completeness import selectors as completeness

    (row,) = selectors.publications_with_counts(celina)
    scope = completeness.scope_for(celina, publication)
    total = completeness.total_of(completeness.state_counts(scope, "wojewodztwo"))
    assert row.obliged == total.total
    assert row.sent == total.counts["sent"]


def test_the_counts_take_three_queries_however_many_publications(
    celina, survey, financial_survey, quarterly_form, hospital, clinic, django_assert_num_queries
):
    import datetime

    from ssoz.registry.models import Entity

    for version in (survey, financial_survey, quarterly_form):
        publish_form(
            form_version=version,
            year=2024,
            quarter=1 if version == quarterly_form else None,
            deadline=datetime.date(2025, 3, 31),
            entities=Entity.objects.all(),
            actor=celina,
        )
    with django_assert_num_queries(3):
        rows = list(selectors.publications_with_counts(celina))
        assert [row.obliged for row in rows] == [2, 2, 2]
        assert {row.form_version.definition.code for row in rows} == {
            "TEST-1",
            "TEST-FIN",
            "TEST-Q",
        }


def test_regional_administrators_and_reporters_cannot_see_the_list(client, wanda, alice, db):
    for user in (wanda, alice):
        cast.log_in(client, user)
        assert client.get(reverse("publications:list")).status_code == 403


def test_the_list_says_when_nothing_is_published(client, celina):
    cast.log_in(client, celina)
    content = client.get(reverse("publications:list")).content.decode()
    assert "Nie opublikowano jeszcze żadnego formularza." in content
    assert reverse("publications:publish") in content


def test_the_list_shows_one_years_programme(client, celina, survey, hospital):
    import datetime

    from ssoz.registry.models import Entity

    for year in (2023, 2024):
        publish_form(
            form_version=survey,
            year=year,
            quarter=None,
            deadline=datetime.date(year + 1, 3, 31),
            entities=Entity.objects.all(),
            actor=celina,
        )
    cast.log_in(client, celina)
    response = client.get(reverse("publications:list"), {"rok": "2024"})
    assert [p.year for p in response.context["publications"]] == [2024]
    assert "Program badań statystycznych na rok 2024" in response.content.decode()
    assert len(client.get(reverse("publications:list")).context["publications"]) == 2
    refused = client.get(reverse("publications:list"), {"rok": "1999"})
    assert refused.status_code == 400
    assert "id_rok_error" in refused.content.decode()
