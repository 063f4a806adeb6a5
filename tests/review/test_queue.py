import datetime

import cast
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Status
from ssoz.review import selectors

QUEUE = reverse("review:queue")


def shown(response) -> set[int]:
    return {report.pk for report in response.context["page"].object_list}


def test_the_regional_administrator_sees_her_voivodeships_reports_only(
    client, wanda, olaf, sent_report, silesian_report
):
    cast.log_in(client, wanda)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert shown(response) == {sent_report.pk}
    content = response.content.decode()
    assert "Sprawozdania do weryfikacji" in content
    assert "Sprawozdania podmiotów z województwa mazowieckie." in content
    assert reverse("review:report", args=[sent_report.pk]) in content
    assert reverse("review:report", args=[silesian_report.pk]) not in content
    # Her voivodeship is hers: choosing another one shows nothing of it.
    assert shown(client.get(QUEUE, {"wojewodztwo": "24"})) == {sent_report.pk}

    cast.log_in(client, olaf)
    assert shown(client.get(QUEUE)) == {silesian_report.pk}


def test_the_central_administrator_sees_all_and_may_filter_by_voivodeship(
    client, celina, sent_report, silesian_report
):
    cast.log_in(client, celina)
    response = client.get(QUEUE)
    assert shown(response) == {sent_report.pk, silesian_report.pk}
    assert 'name="wojewodztwo"' in response.content.decode()
    assert shown(client.get(QUEUE, {"wojewodztwo": "24"})) == {silesian_report.pk}


def test_regional_administrators_have_no_voivodeship_filter(client, wanda, sent_report):
    cast.log_in(client, wanda)
    assert 'name="wojewodztwo"' not in client.get(QUEUE).content.decode()


def test_drafts_are_not_in_the_queue(client, celina, report):
    cast.log_in(client, celina)
    response = client.get(QUEUE)
    assert shown(response) == set()
    assert "Brak sprawozdań w tym stanie." in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_reporters_get_403(client, request, sent_report, who):
    cast.log_in(client, request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == 403


def test_the_tabs_show_sent_returned_and_approved_with_counts(
    client, wanda, celina, sent_report, silesian_report
):
    workflow.return_report(report=silesian_report, actor=celina, comment="Uzupełnij dział 1.")
    cast.log_in(client, celina)
    response = client.get(QUEUE)
    content = response.content.decode()
    assert 'aria-current="page">wysłane <span class="badge">1</span>' in content
    assert 'do korekty <span class="badge">1</span>' in content
    assert 'zatwierdzone <span class="badge">0</span>' in content
    assert shown(client.get(QUEUE, {"stan": "do-korekty"})) == {silesian_report.pk}
    workflow.approve_report(report=sent_report, actor=wanda)
    response = client.get(QUEUE, {"stan": "zatwierdzone"})
    assert shown(response) == {sent_report.pk}
    assert 'href="?stan=zatwierdzone" aria-current="page"' in response.content.decode()


def test_the_queue_filters_by_form_and_year(
    client, celina, sent_report, survey, financial_survey, hospital, alice, send
):
    later = publish_form(
        form_version=survey,
        year=2024,
        quarter=None,
        deadline=datetime.date(2025, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    (report_2024,) = workflow.create_reports(
        obligation=later.obligations.get(), actor=alice, collective=True
    )
    send(report_2024, alice)
    publish_form(
        form_version=financial_survey,
        year=2024,
        quarter=None,
        deadline=datetime.date(2025, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    cast.log_in(client, celina)
    survey_id, financial_id = survey.definition_id, financial_survey.definition_id
    assert shown(client.get(QUEUE)) == {sent_report.pk, report_2024.pk}
    assert shown(client.get(QUEUE, {"formularz": survey_id, "rok": 2023})) == {sent_report.pk}
    assert shown(client.get(QUEUE, {"rok": 2024})) == {report_2024.pk}
    assert shown(client.get(QUEUE, {"formularz": financial_id})) == set()
    # Unknown choices are not applied.
    assert shown(client.get(QUEUE, {"rok": "abc", "stan": "nieznany"})) == {
        sent_report.pk,
        report_2024.pk,
    }


def test_the_queue_keeps_the_filters_in_its_tabs(client, celina, sent_report, survey):
    cast.log_in(client, celina)
    content = client.get(QUEUE, {"formularz": survey.definition.pk, "rok": 2023}).content.decode()
    assert f"?formularz={survey.definition.pk}&amp;rok=2023&amp;stan=do-korekty" in content


def test_the_queue_takes_as_many_queries_for_three_reports_as_for_one(
    client, celina, publication, hospital, alice, sent_report, send
):
    cast.log_in(client, celina)
    client.get(QUEUE)  # the compiled forms and the session are warm from now on
    with CaptureQueriesContext(connection) as one:
        assert len(shown(client.get(QUEUE))) == 1
    obligation = publication.obligations.get(entity=hospital)
    units = list(hospital.units.all()[:2])
    for report in workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=units
    ):
        send(report, alice)
    with CaptureQueriesContext(connection) as three:
        assert len(shown(client.get(QUEUE))) == 3
    assert len(three) == len(one)


def test_the_waiting_count_is_the_sent_reports_in_scope(
    wanda, olaf, celina, alice, sent_report, silesian_report
):
    assert selectors.waiting_for_review(wanda).count() == 1
    assert selectors.waiting_for_review(celina).count() == 2
    assert selectors.waiting_for_review(alice).count() == 0
    workflow.approve_report(report=silesian_report, actor=olaf)
    assert selectors.waiting_for_review(olaf).count() == 0
    assert sent_report.status == Status.SENT


def test_the_queue_finds_a_report_by_regon_name_or_register_book_number(
    client, celina, sent_report, silesian_report, clinic
):
    cast.log_in(client, celina)
    hospital = sent_report.obligation.entity
    assert shown(client.get(QUEUE, {"szukaj": hospital.regon})) == {sent_report.pk}
    assert shown(client.get(QUEUE, {"szukaj": hospital.regon[:5]})) >= {sent_report.pk}
    assert shown(client.get(QUEUE, {"szukaj": "zdrowie"})) == {silesian_report.pk}
    assert shown(client.get(QUEUE, {"szukaj": clinic.register_book_number})) == {silesian_report.pk}
    response = client.get(QUEUE, {"szukaj": "nikt taki"})
    assert shown(response) == set()
    assert "Brak sprawozdań w tym stanie." in response.content.decode()


def test_a_regional_search_never_reaches_another_voivodeship(
    client, wanda, sent_report, silesian_report, clinic
):
    cast.log_in(client, wanda)
    assert shown(client.get(QUEUE, {"szukaj": clinic.regon})) == set()


def test_the_queue_filters_by_county_entity_type_and_warnings(
    client, celina, sent_report, silesian_report
):
    cast.log_in(client, celina)
    assert shown(client.get(QUEUE, {"powiat": "2469"})) == {silesian_report.pk}
    assert shown(client.get(QUEUE, {"typ": "podmiot_leczniczy"})) == {
        sent_report.pk,
        silesian_report.pk,
    }
    assert shown(client.get(QUEUE, {"typ": "praktyka_dentystyczna"})) == set()
    sent_report.refresh_from_db()
    assert sent_report.warning_count == 1  # the fixture explains one warning
    assert shown(client.get(QUEUE, {"ostrzezenia": "tak"})) == {
        sent_report.pk,
        silesian_report.pk,
    }
    assert shown(client.get(QUEUE, {"ostrzezenia": "nie"})) == set()


def test_a_wrong_county_code_is_explained_next_to_its_field(client, celina, sent_report):
    cast.log_in(client, celina)
    response = client.get(QUEUE, {"powiat": "14x"})
    assert response.status_code == 200
    assert "Kod powiatu to cztery cyfry." in response.content.decode()
    assert 'value="14x"' in response.content.decode()
    assert shown(response) == {sent_report.pk}  # the filter is not applied


def test_the_queue_sorts_by_entity_and_by_deadline(client, celina, sent_report, silesian_report):
    cast.log_in(client, celina)
    by_entity = client.get(QUEUE, {"sortuj": "podmiot"}).context["page"].object_list
    names = [report.obligation.entity.name for report in by_entity]
    assert names == sorted(names)
    by_sending = client.get(QUEUE).context["page"].object_list
    assert [r.pk for r in by_sending] == [sent_report.pk, silesian_report.pk]  # oldest first
    assert shown(client.get(QUEUE, {"sortuj": "termin"})) == {sent_report.pk, silesian_report.pk}


def test_a_report_sent_again_after_a_return_is_marked_with_its_comparison(
    client, wanda, alice, sent_report, send
):
    workflow.return_report(report=sent_report, actor=wanda, comment="Proszę poprawić dział 1.")
    sent_report.refresh_from_db()
    send(sent_report, alice)
    sent_report.refresh_from_db()
    assert sent_report.times_sent == 2
    cast.log_in(client, wanda)
    content = client.get(QUEUE).content.decode()
    assert "wysłane ponownie po zwrocie" in content
    assert reverse("reports:versions", args=[sent_report.pk]) in content


def test_the_queue_pages_in_order_with_no_report_twice(celina, survey, send):
    """Pages of two: the oldest sent first, each report on exactly one page."""
    from ssoz.review import selectors as review

    entities = [cast.make_entity(name=f"Przychodnia {number}") for number in range(5)]
    publication = publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk__in=[entity.pk for entity in entities]),
        actor=celina,
    )
    sent = []
    for entity in entities:
        clerk = cast.make_user(f"clerk{entity.pk}", entity=entity)
        (report,) = workflow.create_reports(
            obligation=publication.obligations.get(entity=entity), actor=clerk, collective=True
        )
        send(report, clerk)
        sent.append(report.pk)
    queue = review.review_queue(celina, status="sent", filters=review.QueueFilter())
    pages = [
        [r.pk for r in review.queue_page(queue, number, 2).object_list] for number in (1, 2, 3)
    ]
    assert pages == [sent[0:2], sent[2:4], sent[4:5]]
    assert review.queue_page(queue, "x", 2).number == 1
