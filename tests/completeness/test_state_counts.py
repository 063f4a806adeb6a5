"""„Stan sprawozdań”: a publication's obliged entities counted by state, per voivodeship,
county or entity type, with the share sent by the deadline; a regional administrator counts
her voivodeship only."""

import cast
import pytest
from django.urls import reverse

from ssoz.completeness import selectors
from ssoz.completeness.models import EntityState
from ssoz.reports import workflow


def counts_of(groups):
    return {group.key: {s: c for s, c in group.counts.items() if c} for group in groups}


@pytest.fixture
def mixed(publication, hospital, clinic, alice, charlie, send):
    """The hospital has sent its collective report; the clinic has activated and is filling
    in; the dental practice has not activated."""
    hospital_obligation = publication.obligations.get(entity=hospital)
    (report,) = workflow.create_reports(
        obligation=hospital_obligation, actor=alice, collective=True
    )
    send(report, alice)
    workflow.create_reports(
        obligation=publication.obligations.get(entity=clinic), actor=charlie, collective=True
    )
    return publication


def test_the_central_administrator_counts_every_entity_by_state_per_voivodeship(mixed, celina):
    groups = selectors.state_counts(selectors.scope_for(celina, mixed), "wojewodztwo")
    assert counts_of(groups) == {
        "14": {EntityState.SENT: 1, EntityState.NOT_ACTIVATED: 1},
        "24": {EntityState.FILLING: 1},
    }
    assert [group.label for group in groups] == ["mazowieckie", "śląskie"]


def test_a_regional_administrator_counts_only_her_voivodeship_whatever_she_asks(mixed, olaf):
    scope = selectors.scope_for(olaf, mixed, "14")
    assert scope.voivodeship == "24"
    assert counts_of(selectors.state_counts(scope, "powiat")) == {"2469": {EntityState.FILLING: 1}}


def test_the_counts_group_by_entity_type(mixed, wanda):
    groups = selectors.state_counts(selectors.scope_for(wanda, mixed), "typ")
    assert counts_of(groups) == {
        "podmiot_leczniczy": {EntityState.SENT: 1},
        "praktyka_dentystyczna": {EntityState.NOT_ACTIVATED: 1},
    }


def test_an_entity_reporting_for_units_is_in_the_state_of_its_least_advanced_report(
    publication, hospital, alice, send, celina
):
    obligation = publication.obligations.get(entity=hospital)
    first, second = hospital.units.all()[:2]
    (sent,) = workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=[first]
    )
    send(sent, alice)
    workflow.create_reports(obligation=obligation, actor=alice, collective=False, units=[second])
    scope = selectors.scope_for(celina, publication, "14")
    assert counts_of(selectors.state_counts(scope, "typ"))["podmiot_leczniczy"] == {
        EntityState.FILLING: 1
    }


def test_timeliness_is_the_share_whose_first_sending_came_by_the_deadline(
    publish_due_in, hospital, clinic, alice, charlie, send, celina
):
    publication = publish_due_in(10)
    for entity, reporter in ((hospital, alice), (clinic, charlie)):
        (report,) = workflow.create_reports(
            obligation=publication.obligations.get(entity=entity), actor=reporter, collective=True
        )
        send(report, reporter)
    # The clinic's sending is recorded as late, as it would be after the deadline.
    late = publication.reports.get(obligation__entity=clinic)
    late.sent_late = True
    late.save(update_fields=["sent_late"])
    total = selectors.total_of(
        selectors.state_counts(selectors.scope_for(celina, publication), "wojewodztwo")
    )
    assert (total.total, total.on_time, total.late, total.not_sent) == (3, 1, 1, 1)
    assert round(total.timeliness, 1) == 33.3


def test_the_page_shows_the_table_and_the_chart_beside_it(client, mixed, celina):
    cast.log_in(client, celina)
    response = client.get(reverse("completeness:summary", args=[mixed.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<caption id="counts-caption">' in page
    assert '<svg role="img" aria-labelledby="completeness-chart-title"' in page
    assert '<title id="completeness-chart-title">' in page
    assert 'style="' not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    nonce = response.context["csp_nonce"]
    assert f'<style nonce="{nonce}"' in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_an_unknown_grouping_is_refused_in_polish(client, mixed, wanda):
    cast.log_in(client, wanda)
    response = client.get(reverse("completeness:summary", args=[mixed.pk]), {"grupuj": "x"})
    assert response.status_code == 400
    assert "Wybierz sposób grupowania z listy." in response.content.decode()


def test_a_publication_that_does_not_exist_is_not_found(client, wanda, db):
    cast.log_in(client, wanda)
    response = client.get(reverse("completeness:summary", args=[999_999]))
    assert response.status_code == 404


def test_the_page_takes_the_same_queries_however_many_entities(
    client, mixed, celina, many_mazovian_entities, django_assert_max_num_queries
):
    cast.log_in(client, celina)
    url = reverse("completeness:summary", args=[mixed.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"grupuj": "powiat"}).status_code == 200
    many_mazovian_entities(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"grupuj": "powiat"}).status_code == 200
