"""A zero report (sprawozdanie zerowe): an entity with nothing to report sends the form as zero,
with one action and a confirmation; it is recorded as zero, and what was typed stays in the
history."""

import datetime

import cast
import pytest
from django.core import mail
from django.urls import reverse
from reports.conftest import SURVEY

from ssoz.definitions.services import load_definition
from ssoz.publications.services import publish_form
from ssoz.registry.models import Entity
from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status, ValueChange
from ssoz.reports.workflow import WorkflowError

ZERO_SURVEY = SURVEY.replace("code: TEST-1", "code: TEST-0").replace(
    "accounts: [non_financial]", "accounts: [non_financial]\nzero_report: true"
)


@pytest.fixture
def zero_report(hospital, alice, celina):
    loaded = load_definition(ZERO_SURVEY, filename="test-0.yaml")
    assert loaded.form_version is not None, [str(p) for p in loaded.problems]
    publication = publish_form(
        form_version=loaded.form_version,
        year=2023,
        quarter=None,
        deadline=datetime.date(2024, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    obligation = publication.obligations.get(entity=hospital)
    (created,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    return created


def test_a_clerk_with_nothing_to_report_sends_a_zero_report_after_confirming(
    client, alice, zero_report, django_capture_on_commit_callbacks
):
    workflow.save_report(
        report=zero_report, actor=alice, changes={"D1.W01.K2": "3"}, base_revision=None
    )
    cast.log_in(client, alice)
    page = client.get(reverse("reports:detail", args=[zero_report.pk])).content.decode()
    confirm_url = reverse("reports:send_zero", args=[zero_report.pk])
    assert f'href="{confirm_url}"' in page and "Wyślij jako sprawozdanie zerowe" in page

    confirmation = client.get(confirm_url).content.decode()
    assert "W sprawozdaniu jest wpisana 1 wartość" in confirmation
    assert "pozostanie w historii zmian" in confirmation
    zero_report.refresh_from_db()
    assert zero_report.status == Status.DRAFT  # looking is not sending

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url, {"confirm": "yes"}, follow=True)
    assert "Wysłano sprawozdanie zerowe do weryfikacji (wersja 1)" in response.content.decode()
    zero_report.refresh_from_db()
    assert zero_report.status == Status.SENT and zero_report.is_zero
    assert zero_report.values == {} and zero_report.warning_count == 0
    version = zero_report.versions.get()
    assert version.is_zero and version.values == {} and len(version.checksum) == 64
    # What was typed is in the history: the save that cleared it kept the value it replaced.
    cleared = ValueChange.objects.filter(report=zero_report, ref="D1.W01.K2").latest("revision")
    assert cleared.old == "3"
    sent = zero_report.events.get(kind=ReportEvent.Kind.SENT)
    assert "sprawozdanie zerowe" in sent.comment
    assert "sprawozdanie zerowe" in mail.outbox[0].body
    # Read-only and marked as zero, on the report and in the list.
    page = client.get(reverse("reports:detail", args=[zero_report.pk])).content.decode()
    assert "Sprawozdanie zerowe: podmiot zgłosił" in page
    assert confirm_url not in page
    sent_list = reverse("reports:list") + "?rodzaj=jednorazowe&stan=wyslane&rok=2023"
    listing = client.get(sent_list).content.decode()
    assert "wysłane do weryfikacji – zerowe" in listing


def test_a_form_that_has_no_zero_report_neither_offers_nor_takes_one(client, alice, report):
    cast.log_in(client, alice)
    confirm_url = reverse("reports:send_zero", args=[report.pk])
    assert (
        confirm_url not in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    )
    response = client.post(confirm_url, {"confirm": "yes"}, follow=True)
    assert "Tego formularza nie wysyła się jako sprawozdania zerowego" in response.content.decode()
    with pytest.raises(WorkflowError):
        workflow.send_zero_report(report=report, actor=alice)
    report.refresh_from_db()
    assert report.status == Status.DRAFT and not report.is_zero


def test_a_zero_report_sent_again_with_figures_after_a_return_is_no_longer_zero(
    alice, wanda, zero_report
):
    workflow.send_zero_report(report=zero_report, actor=alice)
    workflow.return_report(report=zero_report, actor=wanda, comment="Podmiot miał personel.")
    workflow.save_report(
        report=zero_report,
        actor=alice,
        changes={"A_TEAM": "nie", "D1.W01.K2": "2", "D1.W01.K3": "0"},
        base_revision=None,
    )
    workflow.send_report(report=zero_report, actor=alice)
    zero_report.refresh_from_db()
    assert zero_report.status == Status.SENT and not zero_report.is_zero
    first, second = zero_report.versions.order_by("number")
    assert first.is_zero and not second.is_zero
    assert second.values["D1.W01.K2"] == "2"


def test_nobody_else_sends_an_entitys_zero_report(client, charlie, wanda, zero_report):
    for outsider in (charlie, wanda):
        cast.log_in(client, outsider)
        response = client.post(
            reverse("reports:send_zero", args=[zero_report.pk]), {"confirm": "yes"}
        )
        assert response.status_code in (403, 404)
    zero_report.refresh_from_db()
    assert zero_report.status == Status.DRAFT
