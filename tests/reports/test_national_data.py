"""The national-scale generator, at a small scale: reports in every state, each sending with
its version and checksum, values that verify clean, and an audit trail as the services write."""

import io

import pytest
from django.core.management import call_command

from ssoz.publications.models import Obligation
from ssoz.reports.models import Report, ReportEvent, ReportVersion, Status, values_checksum
from ssoz.reports.synthetic import generate_national


@pytest.fixture
def national(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return generate_national(entities=120, seed=7, year=2025)


def test_reports_in_every_state_with_versions_and_audit_rows(national):
    current = Report.objects.filter(obligation__publication__year=2025)
    assert set(current.values_list("status", flat=True)) == set(Status.values)
    sent = current.exclude(status=Status.DRAFT)
    assert ReportVersion.objects.filter(report__in=sent).count() == sent.count()
    version = ReportVersion.objects.select_related("report").first()
    assert version.checksum == values_checksum(version.values, version.explanations)
    assert ReportEvent.objects.filter(kind="sent").count() == ReportVersion.objects.count()
    assert Obligation.objects.filter(activated_at__isnull=False).exists()
    assert sum(national.reports.values()) == Report.objects.count()


def test_sent_values_verify_clean_and_every_warning_is_explained(national):
    for report in Report.objects.exclude(status=Status.DRAFT).select_related(
        "obligation__publication__form_version"
    )[:60]:
        result = report.form_version.compiled().check(report.values, stage="verify")
        assert not result.errors, (report.pk, [e.message_pl for e in result.errors])
        assert all(report.explanations.get(w.rule_id) for w in result.warnings)


def test_last_years_reports_are_approved_for_comparisons(national):
    last_year = Report.objects.filter(obligation__publication__year=2024)
    assert last_year.exists()
    assert set(last_year.values_list("status", flat=True)) == {Status.APPROVED}


def test_a_second_run_adds_nothing(national):
    before = Report.objects.count()
    call_command(
        "generate_national",
        entities=120,
        seed=7,
        yes_this_is_not_production=True,
        stdout=io.StringIO(),
    )
    assert Report.objects.count() == before
