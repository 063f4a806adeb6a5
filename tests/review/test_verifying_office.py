"""Who verifies: the voivodeship office by default, or another office where the programme says
so. In Małopolska the statistical office in Kraków verifies the survey; its administrator
sees and reviews those reports there and nothing else, and the voivodeship office's
administrator no longer sees them."""

import datetime

import cast
import pytest
from django.urls import reverse

from ssoz.accounts.access import applications_visible_to
from ssoz.accounts.models import Role
from ssoz.publications.models import Obligation, Publication
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity, VerifyingOffice
from ssoz.reports import workflow
from ssoz.reports.models import Report

MALOPOLSKIE = "12"


@pytest.fixture
def krakow_office(db):
    """Seeded by the registry's migration."""
    return VerifyingOffice.objects.get(name="Urząd Statystyczny w Krakowie")


@pytest.fixture
def krakow_practice(db):
    cast.make_office(MALOPOLSKIE, name="Małopolski Urząd Wojewódzki w Krakowie", city="Kraków")
    return cast.make_entity(name="Przychodnia pod Wawelem", teryt="1261011", city="Kraków")


@pytest.fixture
def kinga(krakow_office):
    """The statistical office's administrator."""
    return cast.make_user(
        "kinga", role=Role.REGIONAL_ADMIN, voivodeship=MALOPOLSKIE, office=krakow_office
    )


@pytest.fixture
def marek(db):
    """The Małopolska voivodeship office's administrator."""
    return cast.make_user("marek", role=Role.REGIONAL_ADMIN, voivodeship=MALOPOLSKIE)


@pytest.fixture
def delegated(survey, quarterly_form, krakow_practice, hospital, krakow_office, celina, send):
    """The survey of 2023, verified in Małopolska by the statistical office, and the quarterly
    form, verified everywhere by the voivodeship offices; the Kraków clinic sent both."""
    clerk = cast.make_user("krystyna", entity=krakow_practice)
    both = Entity.objects.filter(pk__in=[krakow_practice.pk, hospital.pk])
    survey_publication = publish_form(
        form_version=survey,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=both,
        actor=celina,
        verifiers=[krakow_office],
    )
    quarterly = publish_form(
        form_version=quarterly_form,
        year=2023,
        quarter=4,
        deadline=datetime.date(2024, 1, 30),
        entities=both,
        actor=celina,
    )
    sent = {}
    for publication in (survey_publication, quarterly):
        obligation = publication.obligations.get(entity=krakow_practice)
        (report,) = workflow.create_reports(obligation=obligation, actor=clerk, collective=True)
        send(report, clerk)
        sent[publication.pk] = report
    return {"survey": sent[survey_publication.pk], "quarterly": sent[quarterly.pk]}


def test_the_statistical_office_sees_only_the_forms_the_programme_gives_it(delegated, kinga, marek):
    assert set(Report.objects.visible_to(kinga)) == {delegated["survey"]}
    assert set(Report.objects.visible_to(marek)) == {delegated["quarterly"]}
    survey_publication = delegated["survey"].publication
    assert list(Publication.objects.visible_to(kinga)) == [survey_publication]
    assert survey_publication not in Publication.objects.visible_to(marek)
    assert set(Obligation.objects.visible_to(kinga).values_list("publication", flat=True)) == {
        survey_publication.pk
    }


def test_the_statistical_office_reviews_its_reports_through_the_pages(client, delegated, kinga):
    cast.log_in(client, kinga)
    queue = client.get(reverse("review:queue") + "?stan=wyslane").content.decode()
    assert "Przychodnia pod Wawelem" in queue
    survey_report, quarterly_report = delegated["survey"], delegated["quarterly"]
    assert client.get(reverse("review:report", args=[survey_report.pk])).status_code == 200
    assert client.get(reverse("review:report", args=[quarterly_report.pk])).status_code == 404
    workflow.approve_report(report=survey_report, actor=kinga)
    with pytest.raises(Exception) as refused:
        workflow.approve_report(report=quarterly_report, actor=kinga)
    assert refused.type.__name__ == "Http404"


def test_the_voivodeship_office_no_longer_reviews_the_delegated_form(client, delegated, marek):
    cast.log_in(client, marek)
    response = client.get(reverse("review:report", args=[delegated["survey"].pk]))
    assert response.status_code == 404


def test_a_statistical_office_does_not_activate_accounts(krakow_practice, kinga, marek):
    cast.make_applicant("zofia", krakow_practice)
    assert not applications_visible_to(kinga).exists()
    assert applications_visible_to(marek).count() == 1


def test_a_reopen_request_is_mailed_to_the_office_that_verifies(
    delegated, kinga, marek, mailoutbox, django_capture_on_commit_callbacks
):
    report = delegated["survey"]
    workflow.approve_report(report=report, actor=kinga)
    clerk = report.obligation.entity.users.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_reopening(report=report, actor=clerk, reason="Błąd w dziale A.")
    assert [message.to for message in mailoutbox] == [[kinga.email]]


def test_the_publishing_page_names_who_verifies(client, celina, survey, krakow_office, hospital):
    from publications.test_publish import preview

    cast.log_in(client, celina)
    response = preview(client, survey, verifiers=[str(krakow_office.pk)])
    content = response.content.decode()
    assert "Kto weryfikuje" in content
    assert "Urząd Statystyczny w Krakowie (małopolskie); w pozostałych województwach" in content
