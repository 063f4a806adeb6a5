"""A correction of the rules of a version already in use: its fields stay, its reports are
checked again by a job, which lists those that changed state and, if asked, mails the
reporters of those still being filled in."""

import cast
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reports.conftest import SURVEY

from ssoz.definitions.services import LoadStatus, load_definition
from ssoz.jobs.models import Job, JobState
from ssoz.reports import workflow

STRICTER = SURVEY.replace('expression: "D1.W01.K1 <= 100"', 'expression: "D1.W01.K1 <= 40"')


def upload(client, source: str, **fields):
    file = SimpleUploadedFile("test-1.yaml", source.encode(), content_type="application/yaml")
    return client.post(reverse("definitions:list"), {"file": file, **fields})


def test_a_stricter_rule_rechecks_the_reports_and_tells_the_clerk(
    client, celina, alice, report, django_capture_on_commit_callbacks
):
    workflow.save_report(
        report=report,
        actor=alice,
        changes={"A_TEAM": "nie", "D1.W01.K2": "50", "D1.W01.K3": "0"},
        base_revision=None,
    )
    assert not workflow.check_report(report).warnings
    cast.log_in(client, celina)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, STRICTER, notify="on")
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.summary_params == {"total": 1, "changed": 1, "mailed": 1}
    assert job.result["reports"][0]["warnings"] == ["R1"]
    report.refresh_from_db()
    assert [w.rule_id for w in workflow.check_report(report).warnings] == ["R1"]
    (message,) = [m for m in mail.outbox if "poprawiono reguły" in m.subject]
    assert message.to == ["alice@example.org"]
    assert "nowe ostrzeżenia do wyjaśnienia: 1" in message.body
    page = client.get(response.url).content.decode()
    assert "Sprawozdania, które zmieniły stan po poprawce reguł" in page


def test_without_notifying_nobody_is_mailed(
    client, celina, alice, report, django_capture_on_commit_callbacks
):
    workflow.save_report(
        report=report, actor=alice, changes={"D1.W01.K2": "50"}, base_revision=None
    )
    cast.log_in(client, celina)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, STRICTER)
    assert Job.objects.get().summary_params["mailed"] == 0
    assert not [m for m in mail.outbox if "poprawiono reguły" in m.subject]


def test_a_change_of_the_fields_of_a_version_in_use_is_still_refused(celina, report):
    changed = SURVEY.replace(
        'label: {pl: "Uwagi", en: "Remarks"}', 'label: {pl: "Inne", en: "Other"}'
    )
    result = load_definition(changed, filename="test-1.yaml", actor=celina)
    assert result.status == LoadStatus.REFUSED


def test_the_rules_before_the_correction_are_kept(celina, report, survey):
    result = load_definition(STRICTER, filename="test-1.yaml", actor=celina)
    assert result.status == LoadStatus.RULES_CORRECTED
    correction = result.correction
    assert correction.corrected_by == celina
    assert correction.previous_checksum != survey.__class__.objects.get(pk=survey.pk).checksum
    values = {"A_TEAM": "nie", "D1.W01.K2": "50", "D1.W01.K3": "0"}
    assert not correction.previous_form().check(values, stage="verify").warnings
    assert result.form.check(values, stage="verify").warnings


def test_the_command_rechecks_as_the_administrator_it_names(
    celina, alice, report, tmp_path, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    workflow.save_report(
        report=report, actor=alice, changes={"D1.W01.K2": "50"}, base_revision=None
    )
    path = tmp_path / "test-1.yaml"
    path.write_text(STRICTER, encoding="utf-8")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_definitions", str(path), "--revalidate-as", "celina", stdout=out)
    job = Job.objects.get()
    assert job.started_by == celina
    assert f"zadanie {job.pk}" in out.getvalue()
    job.refresh_from_db()
    assert job.summary_params["changed"] == 1


def test_the_command_without_an_administrator_says_the_reports_were_not_rechecked(report, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "test-1.yaml"
    path.write_text(STRICTER, encoding="utf-8")
    err = io.StringIO()
    call_command("load_definitions", str(path), stdout=io.StringIO(), stderr=err)
    assert "sprawozdań nie sprawdzono ponownie" in err.getvalue()
    assert not Job.objects.exists()
