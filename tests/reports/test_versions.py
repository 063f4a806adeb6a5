import io
import re

import cast
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ssoz.publications.services import publish_form
from ssoz.reports import workflow
from ssoz.reports.models import ReportEvent, Status


def fill_and_send(report, user, **values):
    report.refresh_from_db()
    workflow.save_report(
        report=report,
        actor=user,
        changes={"A_TEAM": "nie", "D1.W01.K2": "10", "D1.W01.K3": "1", **values},
        base_revision=report.revision,
    )
    report.refresh_from_db()
    return workflow.send_report(report=report, actor=user)


@pytest.fixture
def sent(report, alice):
    fill_and_send(report, alice)
    report.refresh_from_db()
    return report


def test_the_pdf_of_a_sent_version_shows_what_was_sent_with_time_and_checksum(client, alice, sent):
    cast.log_in(client, alice)
    version = sent.versions.get()
    response = client.get(reverse("reports:version_pdf", args=[sent.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Potwierdzenie wysłania sprawozdania" in flat
    assert version.checksum in flat.replace(" ", "") or version.checksum[:32] in flat
    assert timezone.localtime(version.sent_at).strftime("%d.%m.%Y") in flat
    assert "Lekarze" in flat and "11" in flat  # the computed total of row 1
    assert sent.entity.name in flat


def test_the_checksum_proves_the_content(sent):
    from ssoz.reports.models import values_checksum

    version = sent.versions.get()
    assert version.checksum == values_checksum(version.values, version.explanations)
    assert values_checksum({**version.values, "D1.W01.K2": "11"}, {}) != version.checksum


def test_a_sent_report_keeps_its_values_as_the_form_reads_them(report, alice, wanda):
    from ssoz.reports.models import values_checksum

    fill_and_send(report, alice, A_TEAM="TAK", A_SIZE=" 12 ", **{"D1.W01.K2": "1 0"})
    report.refresh_from_db()
    expected = {"A_TEAM": "tak", "A_SIZE": "12", "D1.W01.K2": "10", "D1.W01.K3": "1"}
    assert report.values == expected
    version = report.versions.get()
    assert version.values == expected
    assert version.checksum == values_checksum(expected, version.explanations)
    # Returned for correction, the clerk finds the same values in her draft.
    workflow.return_report(report=report, actor=wanda, comment="Proszę sprawdzić.")
    report.refresh_from_db()
    assert report.values == expected


def test_a_sent_report_shows_its_answers_as_text_the_chosen_one_ticked(client, alice, sent):
    cast.log_in(client, alice)
    page = client.get(reverse("reports:detail", args=[sent.pk])).content.decode()
    team = page.split('id="f-A_TEAM-field"', 1)[1].split("</fieldset>", 1)[0]
    assert 'type="radio"' not in team and "disabled" not in team
    chosen = team.split('<li class="answer answer--chosen">', 1)[1].split("</li>", 1)[0]
    assert "nie" in chosen and "(wybrano)" in chosen and "✔" in chosen
    assert team.count('class="answer answer--chosen"') == 1
    # A value typed in a box is shown in one that does not take typing.
    assert re.search(r'<input[^>]*name="D1\.W01\.K2" value="10"[^>]*\sreadonly[\s>]', page)


def test_a_returned_report_is_corrected_sent_again_and_versions_compare(client, alice, wanda, sent):
    workflow.return_report(report=sent, actor=wanda, comment="Sprawdź liczbę lekarzy.")
    sent.refresh_from_db()
    assert sent.status == Status.RETURNED
    fill_and_send(sent, alice, **{"D1.W01.K2": "12"})
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    assert sent.versions.count() == 2
    cast.log_in(client, alice)
    content = client.get(reverse("reports:versions", args=[sent.pk]), {"a": 1, "b": 2}).content
    content = content.decode()
    assert "D1.W01.K2" in content
    assert "<td>10</td><td>12</td>" in content


def test_a_huge_or_foreign_version_number_falls_back_to_the_latest_versions(client, alice, sent):
    cast.log_in(client, alice)
    url = reverse("reports:versions", args=[sent.pk])
    for value in ("9" * 25_000, str(10**30), "²", "-1", "0", "2"):
        response = client.get(url, {"a": value, "b": value})
        assert response.status_code == 200, value
        assert response.context["newer"].number == 1


def test_the_history_shows_who_changed_what_from_what_to_what(client, alice, sent, wanda):
    cast.log_in(client, alice)
    content = client.get(reverse("reports:history", args=[sent.pk])).content.decode()
    assert "zapisano" in content
    assert "wysłano do weryfikacji" in content
    assert "<td>—</td><td>10</td>" in content
    # Addresses are shown to administrators only.
    event = sent.events.filter(kind=ReportEvent.Kind.SAVED).first()
    event.ip_address = "192.0.2.7"
    event.save()
    assert (
        "192.0.2.7" not in client.get(reverse("reports:history", args=[sent.pk])).content.decode()
    )
    cast.log_in(client, wanda)
    assert "192.0.2.7" in client.get(reverse("reports:history", args=[sent.pk])).content.decode()


def test_an_approved_report_reopened_for_correction_is_verified_again(alice, wanda, sent):
    workflow.approve_report(report=sent, actor=wanda)
    sent.refresh_from_db()
    assert sent.status == Status.APPROVED
    workflow.reopen_report(report=sent, actor=wanda, comment="Korekta danych kadrowych.")
    sent.refresh_from_db()
    assert sent.status == Status.RETURNED and sent.is_correction
    version = fill_and_send(sent, alice, **{"D1.W01.K2": "13"})
    assert version.number == 2


def test_the_wrong_states_are_refused(alice, wanda, report):
    with pytest.raises(workflow.WorkflowError):
        workflow.approve_report(report=report, actor=wanda)
    with pytest.raises(workflow.WorkflowError):
        workflow.return_report(report=report, actor=wanda, comment="x")
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen_report(report=report, actor=wanda, comment="x")


def test_another_voivodeship_cannot_review_nor_learn_the_report_exists(olaf, sent):
    from django.http import Http404

    with pytest.raises(Http404):
        workflow.approve_report(report=sent, actor=olaf)


def test_the_previous_periods_approved_value_stands_beside_the_field(
    client, alice, wanda, sent, survey, celina, hospital
):
    import datetime

    from ssoz.registry.models import Entity

    workflow.approve_report(report=sent, actor=wanda)
    publication = publish_form(
        form_version=survey,
        year=2024,
        quarter=None,
        deadline=datetime.date(2025, 3, 31),
        entities=Entity.objects.filter(pk=hospital.pk),
        actor=celina,
    )
    obligation = publication.obligations.get()
    (report,) = workflow.create_reports(obligation=obligation, actor=alice, collective=True)
    workflow.save_report(report=report, actor=alice, changes={"D1.W01.K2": "15"}, base_revision=0)
    cast.log_in(client, alice)
    content = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Poprzedni okres:" in content
    assert "+50,0%" in content


def test_a_return_is_mailed_only_to_reporters_whose_account_opens_the_form(
    wanda, sent, hospital, django_capture_on_commit_callbacks
):
    from django.core import mail

    cast.make_user("psych", entity=hospital, psychiatric_card_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_report(report=sent, actor=wanda, comment="Popraw dział 1.")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["alice@example.org"]


def test_a_reporter_cannot_return_even_with_an_empty_comment(alice, sent):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        workflow.return_report(report=sent, actor=alice, comment="")
