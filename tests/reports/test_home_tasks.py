"""The reporter's home page: what is due, nearest deadline first, with the days left or late."""

import datetime

import cast
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ssoz.reports import workflow
from ssoz.reports.models import Status
from ssoz.reports.selectors import reporter_tasks

DEADLINE = datetime.date(2024, 3, 31)


@pytest.fixture
def unit_report(report, obligation, alice):
    """Besides the collective report, one for the hospital's first unit."""
    unit = alice.entity.units.order_by("unit_code").first()
    (created,) = workflow.create_reports(
        obligation=obligation, actor=alice, collective=False, units=[unit]
    )
    return created


def home(client) -> str:
    return client.get(reverse("portal:home")).content.decode()


def test_a_form_not_yet_activated_is_due_with_its_deadline(client, alice, publication):
    tasks = reporter_tasks(alice, today=DEADLINE - datetime.timedelta(days=5))
    (item,) = tasks.due
    assert item.action == "activate" and item.report is None and item.days_left == 5
    cast.log_in(client, alice)
    content = home(client)
    assert "Do zrobienia" in content
    assert "TEST-1" in content and "31.03.2024" in content
    assert reverse("reports:obligation", args=[item.obligation.pk]) in content


def test_each_report_to_fill_in_is_due_and_a_sent_one_waits_for_the_administrator(
    alice, report, unit_report
):
    workflow.save_report(report=report, actor=alice, changes={"A_TEAM": "nie"}, base_revision=None)
    report.status = Status.SENT
    report.save(update_fields=["status"])
    tasks = reporter_tasks(alice, today=DEADLINE + datetime.timedelta(days=3))
    (item,) = tasks.due
    assert item.report == unit_report and item.action == "fill"
    assert item.days_left == -3 and item.days_late == 3
    assert tasks.waiting_for_review == {"one_time": 1}


def test_the_days_late_and_what_waits_for_review_are_on_the_page(
    client, alice, report, unit_report
):
    report.status = Status.SENT
    report.save(update_fields=["status"])
    cast.log_in(client, alice)
    content = home(client)
    assert "dni po terminie" in content  # the fixture's deadline is long past
    assert "Sprawozdania jednorazowe: 1 czeka na weryfikację przez administratora" in content
    assert reverse("reports:detail", args=[unit_report.pk]) in content
    assert reverse("reports:detail", args=[report.pk]) not in content


def test_another_entitys_forms_are_not_on_the_clerks_home_page(client, charlie, publication):
    tasks = reporter_tasks(charlie)
    assert {item.obligation.entity_id for item in tasks.due} == {charlie.entity_id}


def test_only_reporters_have_tasks(wanda):
    with pytest.raises(PermissionDenied):
        reporter_tasks(wanda)


def test_the_home_page_reads_the_same_number_of_queries_however_many_reports(
    client, alice, obligation, django_assert_max_num_queries
):
    cast.log_in(client, alice)
    units = list(alice.entity.units.all())
    workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    home(client)
    with django_assert_max_num_queries(6):
        home(client)
    workflow.create_reports(obligation=obligation, actor=alice, collective=False, units=units)
    with django_assert_max_num_queries(6):
        assert units[0].name in home(client)
