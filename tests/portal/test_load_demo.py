"""The demo loader publishes every shipped form, the quarterly financial ones for each quarter,
and gives the demo a reporter with the financial authorisation and a card clerk with a month
of MZ/Szp-11B cards."""

import io

import pytest
from django.core.management import call_command

from ssoz.accounts.models import User
from ssoz.publications.models import Publication


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", entities=12, seed=7, stdout=io.StringIO())


def test_a_quarterly_form_is_published_for_every_quarter_of_both_years(demo) -> None:
    periods = set(
        Publication.objects.filter(form_version__definition__code="MZ-BFA-UW").values_list(
            "year", "quarter", "cumulative"
        )
    )

    assert periods == {(year, q, True) for year in (2024, 2025) for q in (1, 2, 3, 4)}


def test_a_quarterly_deadline_follows_its_quarter(demo) -> None:
    publication = Publication.objects.get(
        form_version__definition__code="STR-ZOB-UW", year=2024, quarter=2
    )

    assert publication.deadline.isoformat() == "2024-07-30"  # 30 days after 30 June
    assert publication.period_label == "2024 Q1–Q2"


def test_an_annual_form_is_still_published_once_a_year(demo) -> None:
    periods = set(
        Publication.objects.filter(form_version__definition__code="MZ-88").values_list(
            "year", "quarter"
        )
    )

    assert periods == {(2024, None), (2025, None)}


def test_the_demo_has_a_reporter_with_the_financial_authorisation(demo) -> None:
    assert User.objects.get(username="finanse").financial_reports
    assert not User.objects.get(username="sprawozdawca").financial_reports


def test_the_monthly_card_is_published_for_three_months_with_a_sent_month_of_cards(demo) -> None:
    from ssoz.reports.models import Report, Status

    months = set(
        Publication.objects.filter(form_version__definition__code="MZ/Szp-11B").values_list(
            "year", "month"
        )
    )
    assert months == {(2026, 9), (2026, 10), (2026, 11)}
    clerk = User.objects.get(username="karta")
    assert clerk.psychiatric_card_only
    sent = Report.objects.get(publication__month=10, publication__year=2026, status=Status.SENT)
    assert sent.records.count() == 12
    assert sent.versions.get().records[0]["values"]["PESEL"]
