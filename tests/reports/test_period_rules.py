"""A report's rules read its publication's period: period_start(), period_end() and deadline()
are the quarter's (or the year's, or the cumulative quarter's) when the report is verified,
sent or checked again."""

import datetime

import cast
import pytest
from django.urls import reverse

from ssoz.definitions.form import Period
from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import Status

QUARTERLY = """
format: ssoz-form/1
code: TEST-Q
version: "1"
title: {pl: "Kwartalne", en: "Quarterly"}
kind: periodic
period: quarter
levels: [entity]
sections:
  - code: A
    title: {pl: "Dział A", en: "Section A"}
    fields:
      - {code: A_DATE, type: date, label: {pl: "Data zdarzenia", en: "Date of the event"}}
      - {code: A_SINCE, type: date, label: {pl: "Od kiedy", en: "Since when"}}
rules:
  - id: A.date
    expression: "if filled(A_DATE) then A_DATE <= period_end()"
    message:
      pl: "Data zdarzenia ({A_DATE}) jest po końcu okresu ({period_end()})."
      en: "The date of the event ({A_DATE}) is after the end of the period ({period_end()})."
  - id: A.since
    severity: warning
    expression: "A_SINCE >= period_start() and A_SINCE <= deadline()"
    message:
      pl: "Data „od kiedy” ({A_SINCE}) jest spoza okresu ({period_start()}–{deadline()})."
      en: "The date since ({A_SINCE}) is outside the period."
"""


def quarterly_report(user, *, quarter: int, cumulative: bool = False):
    """The user's report for `quarter` of 2025, due on the 20th day after the quarter."""
    source = QUARTERLY
    if cumulative:
        source = source.replace("code: TEST-Q\n", "code: TEST-QC\n").replace(
            "period: quarter\n", "period: quarter\ncumulative: true\n"
        )
    loaded = load_definition(source, filename="test-q.yaml")
    assert loaded.form_version is not None, [str(p) for p in loaded.problems]
    after = datetime.date(2026, 1, 1) if quarter == 4 else datetime.date(2025, 3 * quarter + 1, 1)
    publication = publish_form(
        form_version=loaded.form_version,
        year=2025,
        quarter=quarter,
        deadline=after + datetime.timedelta(days=19),
        entities=Entity.objects.filter(pk=user.entity_id),
        actor=None,
    )
    obligation = publication.obligations.get(entity=user.entity)
    (report,) = workflow.create_reports(obligation=obligation, actor=user, collective=True)
    return report


def save(report, user, **values):
    result = workflow.save_report(
        report=report.pk, actor=user, changes=values, base_revision=None, explanations={}
    )
    assert result.ok
    return result.report


def failed(result) -> dict[str, str]:
    return {f.rule_id: f.message_pl for f in [*result.errors, *result.warnings]}


@pytest.mark.parametrize(
    ("quarter", "cumulative", "start", "end"),
    [
        (2, False, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
        (2, True, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
        (4, False, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
    ],
)
def test_a_publications_period_runs_over_its_quarter_or_from_january_when_cumulative(
    alice, quarter, cumulative, start, end
):
    publication = quarterly_report(alice, quarter=quarter, cumulative=cumulative).publication
    assert publication.period_dates() == Period(start, end, publication.deadline)


def test_a_date_after_the_quarters_end_fails_and_one_inside_it_passes(alice):
    report = quarterly_report(alice, quarter=2)
    after = workflow.check_report(save(report, alice, A_DATE="2025-07-01"))
    assert failed(after) == {
        "A.date": "Data zdarzenia (01.07.2025) jest po końcu okresu (30.06.2025)."
    }
    assert not after.is_sendable
    inside = workflow.check_report(save(report, alice, A_DATE="2025-06-30"))
    assert failed(inside) == {}
    assert inside.is_sendable


def test_the_period_starts_on_the_first_of_january_in_a_cumulative_quarter(alice):
    plain = quarterly_report(alice, quarter=2)
    cumulative = quarterly_report(alice, quarter=2, cumulative=True)
    for report, warned in ((plain, True), (cumulative, False)):
        result = workflow.check_report(save(report, alice, A_SINCE="2025-02-01"))
        assert ("A.since" in failed(result)) is warned


def test_the_deadline_is_the_publications(alice):
    report = quarterly_report(alice, quarter=2)  # due 20 July 2025
    by_deadline = workflow.check_report(save(report, alice, A_SINCE="2025-07-20"))
    assert failed(by_deadline) == {}
    late = workflow.check_report(save(report, alice, A_SINCE="2025-07-21"))
    assert failed(late) == {
        "A.since": "Data „od kiedy” (21.07.2025) jest spoza okresu (01.04.2025–20.07.2025)."
    }


def test_sending_refuses_a_date_after_the_end_of_the_period(alice):
    report = save(quarterly_report(alice, quarter=2), alice, A_DATE="2025-07-01")
    with pytest.raises(workflow.WorkflowError):
        workflow.send_report(report=report, actor=alice)
    report = save(report, alice, A_DATE="2025-06-01")
    workflow.send_report(report=report, actor=alice)
    report.refresh_from_db()
    assert report.status == Status.SENT


def test_verifying_on_the_page_uses_the_period(client, alice):
    report = quarterly_report(alice, quarter=2)
    cast.log_in(client, alice)
    response = client.post(
        reverse("reports:detail", args=[report.pk]),
        {"revision": str(report.revision), "action": "verify", "A_DATE": "2025-07-01"},
    )
    assert "Data zdarzenia (01.07.2025) jest po końcu okresu (30.06.2025)." in (
        response.content.decode()
    )


def test_a_save_leaves_the_period_unread_when_only_the_rules_read_it(alice):
    report = quarterly_report(alice, quarter=2)
    form = report.compiled_form()
    assert form.needs_period("verify")
    assert not form.needs_period("save")  # relevance and calculations do not read them
    assert workflow.period_of(report, form, "save") is None
