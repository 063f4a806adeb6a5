"""Monthly periods, for the per-patient cards: a monthly form is published month by month,
each with its deadline from the definition, and last period's report is last month's."""

import datetime

import cast
import pytest
from publications.test_publish import page, preview, publish
from reports.conftest import SURVEY
from review.conftest import load

from ssoz.definitions.form import Period
from ssoz.publications.models import Publication, period_label, previous_period
from ssoz.publications.services import PublishError, publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow

MONTHLY = (
    SURVEY.replace("code: TEST-1", "code: TEST-M")
    .replace("kind: one_time", "kind: periodic")
    .replace("period: year", "period: month")
    .replace("deadline: 2024-03-31", "deadline: {days_after_period_end: 20}")
)


@pytest.fixture
def monthly_form(db):
    return load(MONTHLY, "test-m.yaml")


def test_periods_are_named_and_counted_back_by_month():
    assert period_label(2025, None, 3) == "2025-03"
    assert period_label(2025, 3, None) == "2025 Q3"
    assert period_label(2025) == "2025"
    assert previous_period(2025, None, 1) == (2024, None, 12)
    assert previous_period(2025, None, 7) == (2025, None, 6)
    assert previous_period(2025, 1, None) == (2024, 4, None)


def test_the_page_asks_for_the_month_and_takes_the_deadline_from_the_definition(
    client, celina, monthly_form, hospital
):
    cast.log_in(client, celina)
    assert 'name="month"' in client.get(page(monthly_form)).content.decode()
    response = preview(client, monthly_form, year="2025", month="2", deadline="")
    assert response.status_code == 200, response.content.decode()
    shown = response.context["preview"]
    assert shown.period_label == "2025-02"
    assert shown.deadline == datetime.date(2025, 3, 20)
    publish(client, monthly_form, year="2025", month="2", deadline="")
    publish(client, monthly_form, year="2025", month="3", deadline="")
    assert sorted(p.period_label for p in Publication.objects.all()) == ["2025-02", "2025-03"]


def test_a_month_is_required_for_a_monthly_form(client, celina, monthly_form):
    cast.log_in(client, celina)
    response = preview(client, monthly_form, year="2025", deadline="")
    assert response.status_code == 400
    assert "id_month_error" in response.content.decode()


def test_the_same_month_cannot_be_published_twice(monthly_form, hospital, celina):
    from ssoz.publications import audience, services

    chosen = audience.audience_by_type(
        monthly_form, entity_types=["podmiot_leczniczy"], voivodeships=["14"]
    )
    arguments = {
        "form_version": monthly_form,
        "year": 2025,
        "quarter": None,
        "month": 5,
        "deadline": datetime.date(2025, 6, 20),
        "audience": chosen,
        "actor": celina,
    }
    services.publish(**arguments)
    with pytest.raises(PublishError, match="już opublikowany za okres 2025-05"):
        services.publish(**arguments)


def test_last_months_approved_report_is_the_previous_period(
    monthly_form, hospital, alice, wanda, celina, send
):
    reports = {}
    for month in (12, 1):
        year = 2024 if month == 12 else 2025
        publication = publish_form(
            form_version=monthly_form,
            year=year,
            quarter=None,
            month=month,
            deadline=datetime.date(2025, 2, 20),
            entities=Entity.objects.filter(pk=hospital.pk),
            actor=celina,
        )
        obligation = publication.obligations.get()
        (reports[month],) = workflow.create_reports(
            obligation=obligation, actor=alice, collective=True
        )
    send(reports[12], alice)
    workflow.approve_report(report=reports[12], actor=wanda)
    assert workflow.previous_report(reports[1]) == reports[12]
    assert workflow.previous_report(reports[12]) is None


CUMULATIVE = (
    SURVEY.replace("code: TEST-1", "code: TEST-BFA")
    .replace("kind: one_time", "kind: periodic")
    .replace("period: year", "period: quarter\ncumulative: true")
    .replace("deadline: 2024-03-31", "deadline: {days_after_period_end: 30}")
)


def test_a_cumulative_quarter_covers_the_year_so_far(db, hospital, celina):
    form = load(CUMULATIVE, "test-bfa.yaml")
    publication = publish_form(
        form_version=form,
        year=2025,
        quarter=3,
        deadline=datetime.date(2025, 10, 30),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    assert publication.cumulative
    assert publication.period_label == "2025 Q1–Q3"
    assert (publication.period_start, publication.period_end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 9, 30),
    )


def test_an_ordinary_quarter_and_a_month_cover_themselves(quarterly_form, monthly_form, celina):
    quarter = publish_form(
        form_version=quarterly_form,
        year=2025,
        quarter=2,
        deadline=datetime.date(2025, 7, 30),
        entities=Entity.objects.none(),
        actor=celina,
    )
    month = publish_form(
        form_version=monthly_form,
        year=2024,
        quarter=None,
        month=2,
        deadline=datetime.date(2024, 3, 20),
        entities=Entity.objects.none(),
        actor=celina,
    )
    assert (quarter.period_start, quarter.period_end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30),
    )
    assert (month.period_start, month.period_end) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )
    # What the rules read as period_start(), period_end() and deadline().
    assert month.period_dates() == Period(
        datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), datetime.date(2024, 3, 20)
    )


def test_only_a_quarterly_form_may_be_cumulative(db):
    from ssoz.definitions.services import load_definition

    result = load_definition(
        CUMULATIVE.replace("period: quarter", "period: year"), filename="bad.yaml"
    )
    assert result.form_version is None
    assert any("narastająco" in str(problem) for problem in result.problems)
