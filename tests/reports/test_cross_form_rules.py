"""Rules across forms: form B's rule reads a cell of form A's report of the same entity and
period, from A's last sent version, never from its draft; while A has not been sent, B's rule
warns that it waits for it (or, under before_sending, keeps B from being sent); once A is
sent again as a correction, a job checks the sent B again."""

import datetime

import cast
import pytest
from django.urls import reverse

from ssoz.definitions.services import load_definition
from ssoz.jobs.models import Job, JobState
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import cross_form, workflow
from ssoz.reports.models import Status
from ssoz.reports.workflow import WorkflowError

FORM_A = """
format: ssoz-form/1
code: TEST-A
version: "1"
title: {pl: "Pracujący", en: "Staff"}
kind: periodic
levels: [entity, unit]
zero_report: true
sections:
  - code: D1
    title: {pl: "Dział 1", en: "Section 1"}
    table:
      columns:
        - {code: K1, label: {pl: "Ogółem", en: "Total"}}
      rows:
        - {code: W01, label: {pl: "Lekarze", en: "Physicians"}}
"""

FORM_B = """
format: ssoz-form/1
code: TEST-B
version: "1"
title: {pl: "Specjaliści", en: "Specialists"}
kind: periodic
levels: [entity, unit]
reads:
  - form: TEST-A
    as: A
    cells: {D1.W01.K1: integer}
sections:
  - code: D1
    title: {pl: "Dział 1", en: "Section 1"}
    table:
      columns:
        - {code: K1, label: {pl: "Ogółem", en: "Total"}}
      rows:
        - {code: W01, label: {pl: "Specjaliści", en: "Specialists"}}
rules:
  - id: R1
    expression: "D1.W01.K1 <= other(A, D1.W01.K1)"
    message:
      pl: "Specjaliści ({D1.W01.K1}) ponad lekarzy w TEST-A ({other(A, D1.W01.K1)})."
      en: "Specialists ({D1.W01.K1}) exceed physicians in TEST-A ({other(A, D1.W01.K1)})."
"""

WAITING_B = FORM_B.replace(
    "cells: {D1.W01.K1: integer}", "cells: {D1.W01.K1: integer}\n    before_sending: true"
)

WAITS = (
    "Reguła R1 czyta sprawozdanie TEST-A za 2024, które nie zostało jeszcze wysłane: zostanie "
    "sprawdzona po jego wysłaniu."
)


def publish(source: str, *, year: int = 2024, entities=None):
    loaded = load_definition(source, filename="form.yaml")
    assert loaded.form_version is not None, [str(p) for p in loaded.problems]
    return publish_form(
        form_version=loaded.form_version,
        year=year,
        quarter=None,
        deadline=datetime.date(year + 1, 3, 31),
        entities=entities if entities is not None else Entity.objects.all(),
        actor=None,
    )


def report_of(publication, user, *, unit=None):
    obligation = publication.obligations.get(entity=user.entity)
    if unit is None:
        (report,) = workflow.create_reports(obligation=obligation, actor=user, collective=True)
    else:
        (report,) = workflow.create_reports(
            obligation=obligation, actor=user, collective=False, units=[unit]
        )
    return report


def fill(report, user, physicians: str):
    result = workflow.save_report(
        report=report.pk, actor=user, changes={"D1.W01.K1": physicians}, base_revision=None
    )
    assert result.ok
    return result.report


def findings(report) -> dict[str, str]:
    report.refresh_from_db()
    result = workflow.check_report(report)
    return {f.rule_id: f.message_pl for f in [*result.errors, *result.warnings]}


@pytest.fixture
def reports(alice, hospital, clinic):
    """Alice's collective reports of TEST-A and TEST-B for 2024."""
    a = report_of(publish(FORM_A), alice)
    b = report_of(publish(FORM_B), alice)
    return a, b


def test_b_warns_while_a_is_a_draft_and_does_not_read_its_draft(alice, reports):
    a, b = reports
    fill(a, alice, "3")
    fill(b, alice, "5")
    assert findings(b) == {"R1": WAITS}


def test_the_waiting_warning_needs_no_explanation_and_b_can_be_sent(alice, reports):
    a, b = reports
    fill(b, alice, "5")
    result = workflow.check_report(b)
    assert [w.awaiting for w in result.warnings] == ["TEST-A"]
    assert workflow.unexplained_warnings(b, result) == []
    version = workflow.send_report(report=b, actor=alice)
    assert version.warnings[0]["rule"] == "R1"
    assert version.explanations == {}


def test_b_is_checked_against_a_sent_version(alice, reports):
    a, b = reports
    fill(b, alice, "5")
    fill(a, alice, "10")
    workflow.send_report(report=a, actor=alice)
    assert findings(b) == {}
    a.refresh_from_db()
    a.status = Status.RETURNED  # back for a correction: its sent version is still read
    a.save(update_fields=["status"])
    fill(a, alice, "1")  # a draft of the correction is not read
    assert findings(b) == {}


def test_b_fails_against_a_sent_version_with_fewer(alice, reports):
    a, b = reports
    fill(b, alice, "5")
    fill(a, alice, "4")
    workflow.send_report(report=a, actor=alice)
    assert findings(b) == {"R1": "Specjaliści (5) ponad lekarzy w TEST-A (4)."}
    with pytest.raises(WorkflowError):
        workflow.send_report(report=b, actor=alice)


def test_a_zero_a_is_sent_and_reads_as_blanks(alice, reports):
    a, b = reports
    fill(b, alice, "5")
    workflow.send_zero_report(report=a, actor=alice)
    report = b
    report.refresh_from_db()
    result = workflow.check_report(report)
    assert not result.errors and not result.warnings
    assert "R1" in {r.rule_id for r in result.rule_results}  # skipped: A's value is blank


def test_with_before_sending_b_cannot_be_sent_before_a(alice, hospital, clinic):
    a = report_of(publish(FORM_A), alice)
    b = report_of(publish(WAITING_B), alice)
    fill(b, alice, "5")
    assert findings(b) == {
        "R1": "Reguła R1 czyta sprawozdanie TEST-A za 2024, które nie zostało jeszcze "
        "wysłane. Najpierw wyślij sprawozdanie TEST-A: to sprawozdanie można wysłać dopiero "
        "po nim."
    }
    with pytest.raises(WorkflowError):
        workflow.send_report(report=b, actor=alice)
    fill(a, alice, "9")
    workflow.send_report(report=a, actor=alice)
    workflow.send_report(report=b, actor=alice)
    b.refresh_from_db()
    assert b.status == Status.SENT


def test_the_send_page_refuses_b_before_a_with_the_reason(client, alice, hospital, clinic):
    report_of(publish(FORM_A), alice)
    b = report_of(publish(WAITING_B), alice)
    fill(b, alice, "5")
    cast.log_in(client, alice)
    assert client.get(reverse("reports:send", args=[b.pk])).status_code == 400
    url = reverse("reports:detail", args=[b.pk]) + "?weryfikacja=1"
    assert "Najpierw wyślij sprawozdanie TEST-A" in client.get(url).content.decode()


def test_a_corrected_and_sent_again_rechecks_a_sent_b(
    client, alice, wanda, reports, django_capture_on_commit_callbacks
):
    a, b = reports
    fill(a, alice, "10")
    workflow.send_report(report=a, actor=alice)
    fill(b, alice, "5")
    workflow.send_report(report=b, actor=alice)
    workflow.approve_report(report=a, actor=wanda)
    workflow.reopen_report(report=a, actor=wanda, comment="Korekta liczby lekarzy.")
    fill(a, alice, "4")
    with django_capture_on_commit_callbacks(execute=True):
        version = workflow.send_report(report=a, actor=alice)
    job = Job.objects.get(pk=version.readers_job.pk)
    assert job.started_by == alice
    assert job.state == JobState.SUCCEEDED
    assert job.summary_params == {"total": 1, "failing": 1}
    assert job.result["reports"] == [
        {
            "report": b.pk,
            "form": "TEST-B",
            "subject": b.subject,
            "status": Status.SENT,
            "errors": ["R1"],
            "warnings": [],
        }
    ]
    cast.log_in(client, alice)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "TEST-B" in page and reverse("reports:detail", args=[b.pk]) in page


def test_sending_a_with_no_sent_reader_starts_no_job(alice, reports):
    a, b = reports
    fill(b, alice, "5")  # a draft: checked whenever opened
    fill(a, alice, "10")
    version = workflow.send_report(report=a, actor=alice)
    assert version.readers_job is None
    assert not Job.objects.exists()


def test_the_send_page_points_to_the_job(
    client, alice, reports, django_capture_on_commit_callbacks
):
    a, b = reports
    fill(b, alice, "5")
    workflow.send_report(report=b, actor=alice)
    fill(a, alice, "10")
    cast.log_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("reports:send", args=[a.pk]), {"confirm": "yes"}, follow=True
        ).content.decode()
    job = Job.objects.get()
    assert reverse("jobs:detail", args=[job.pk]) in page
    assert job.summary_params == {"total": 1, "failing": 0}


def test_another_entitys_report_is_never_read(alice, charlie, reports):
    a, b = reports
    fill(b, alice, "5")
    publication_a = a.publication
    theirs = report_of(publication_a, charlie)
    fill(theirs, charlie, "100")
    workflow.send_report(report=theirs, actor=charlie)
    assert findings(b) == {"R1": WAITS}


def test_another_periods_report_is_never_read(alice, reports):
    a, b = reports
    fill(b, alice, "5")
    earlier = report_of(publish(FORM_A, year=2023), alice)
    fill(earlier, alice, "100")
    workflow.send_report(report=earlier, actor=alice)
    assert findings(b) == {"R1": WAITS}


def test_a_units_report_reads_that_units_report_else_the_collective_one(alice, hospital, clinic):
    first, second = hospital.units.order_by("pk")[:2]
    publication_a, publication_b = publish(FORM_A), publish(FORM_B)
    collective_a = report_of(publication_a, alice)
    unit_a = report_of(publication_a, alice, unit=first)
    fill(collective_a, alice, "4")
    workflow.send_report(report=collective_a, actor=alice)
    fill(unit_a, alice, "9")
    workflow.send_report(report=unit_a, actor=alice)
    b_first = fill(report_of(publication_b, alice, unit=first), alice, "5")
    b_second = fill(report_of(publication_b, alice, unit=second), alice, "5")
    assert findings(b_first) == {}  # its unit's 9
    assert findings(b_second) == {"R1": "Specjaliści (5) ponad lekarzy w TEST-A (4)."}


def test_the_other_reports_take_one_query(alice, reports, django_assert_num_queries):
    a, b = reports
    form = b.compiled_form()
    b = type(b).objects.with_form_key().with_period_key().select_related("publication").get(pk=b.pk)
    with django_assert_num_queries(1):
        cross_form.other_reports(b, form)


def test_the_page_shows_the_waiting_rule_without_asking_for_an_explanation(client, alice, reports):
    a, b = reports
    fill(b, alice, "5")
    cast.log_in(client, alice)
    url = reverse("reports:detail", args=[b.pk]) + "?weryfikacja=1"
    page = client.get(url).content.decode()
    assert "Reguły czekające na inne sprawozdania" in page
    assert "zostanie sprawdzona po jego wysłaniu" in page
    assert 'name="explanation:R1"' not in page


def test_a_zero_a_sent_after_b_has_the_job_check_b_again(
    alice, reports, django_capture_on_commit_callbacks
):
    a, b = reports
    fill(b, alice, "5")
    workflow.send_report(report=b, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        version = workflow.send_zero_report(report=a, actor=alice)
    job = Job.objects.get(pk=version.readers_job.pk)
    assert job.state == JobState.SUCCEEDED
    assert job.summary_params == {"total": 1, "failing": 0}


def test_the_reviewer_sees_b_checked_against_a_sent_version(client, alice, wanda, reports):
    a, b = reports
    fill(b, alice, "5")
    workflow.send_report(report=b, actor=alice)
    fill(a, alice, "4")
    workflow.send_report(report=a, actor=alice)
    cast.log_in(client, wanda)
    page = client.get(reverse("review:report", args=[b.pk])).content.decode()
    assert "Specjaliści (5) ponad lekarzy w TEST-A (4)." in page


def test_b_reads_a_total_of_a_which_its_sent_version_does_not_keep(alice):
    """A sent version keeps what was typed; a total of the other form is worked out by that
    form when read."""
    with_total = FORM_A.replace(
        '        - {code: K1, label: {pl: "Ogółem", en: "Total"}}',
        '        - {code: K1, label: {pl: "Ogółem", en: "Total"}, total: [K2, K3]}\n'
        '        - {code: K2, label: {pl: "Umowa o pracę", en: "Employment"}}\n'
        '        - {code: K3, label: {pl: "Inne", en: "Other"}}',
    )
    a = report_of(publish(with_total), alice)
    b = report_of(publish(FORM_B), alice)
    fill(b, alice, "5")
    workflow.save_report(
        report=a.pk, actor=alice, changes={"D1.W01.K2": "2", "D1.W01.K3": "1"}, base_revision=None
    )
    workflow.send_report(report=a, actor=alice)
    assert "D1.W01.K1" not in a.versions.get().values
    assert findings(b) == {"R1": "Specjaliści (5) ponad lekarzy w TEST-A (3)."}
