import cast
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ssoz.accounts.models import AccountEvent, ApplicationStatus


def list_url() -> str:
    return reverse("accounts:application_list")


def detail_url(application) -> str:
    return reverse("accounts:application_detail", args=[application.pk])


def test_regional_administrator_sees_applications_of_her_voivodeship(client, application, wanda):
    cast.log_in(client, wanda)
    content = client.get(list_url()).content.decode()
    assert "dorota" in content
    assert application.entity.name in content


def test_another_voivodeships_administrator_sees_nothing_and_gets_404(client, application, olaf):
    cast.log_in(client, olaf)
    assert "dorota" not in client.get(list_url()).content.decode()
    assert client.get(detail_url(application)).status_code == 404
    assert client.post(detail_url(application), {"action": "activate"}).status_code == 404
    application.refresh_from_db()
    assert application.is_pending


def test_central_administrator_sees_every_voivodeship(client, application, celina):
    cast.log_in(client, celina)
    assert "dorota" in client.get(list_url()).content.decode()


@pytest.mark.parametrize("url_name", ["application_list", "application_detail", "application_pdf"])
def test_reporters_may_not_administer(client, application, alice, url_name):
    cast.log_in(client, alice)
    args = [] if url_name == "application_list" else [application.pk]
    assert client.get(reverse(f"accounts:{url_name}", args=args)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, application):
    response = client.get(detail_url(application))
    assert response.status_code == 302


def test_activation_activates_and_mails_the_applicant(
    client, application, wanda, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(application), {"action": "activate"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVATED
    assert application.decided_by == wanda
    assert application.user.is_active
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dorota@example.org"]
    assert "zostało aktywowane" in mail.outbox[0].body
    assert AccountEvent.objects.filter(
        user=application.user, kind=AccountEvent.Kind.ACTIVATED, actor=wanda
    ).exists()


def test_a_decided_application_cannot_be_decided_again(client, application, wanda):
    cast.log_in(client, wanda)
    client.post(detail_url(application), {"action": "activate"})
    response = client.post(
        detail_url(application), {"action": "reject", "reason": "za późno"}, follow=True
    )
    assert "Ten wniosek został już rozpatrzony." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVATED


def test_rejection_needs_a_reason_and_mails_it(
    client, application, wanda, django_capture_on_commit_callbacks
):
    cast.log_in(client, wanda)
    response = client.post(detail_url(application), {"action": "reject", "reason": "  "})
    assert response.status_code == 400
    assert "To pole jest wymagane." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(application), {"action": "reject", "reason": "Brak pieczątki."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not application.user.is_active
    assert "Brak pieczątki." in mail.outbox[0].body


def test_signed_form_is_marked_received_with_its_scan(client, application, wanda):
    cast.log_in(client, wanda)
    scan = SimpleUploadedFile("skan.pdf", b"%PDF-1.4 podpisany", content_type="application/pdf")
    response = client.post(detail_url(application), {"action": "received", "scan": scan})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_received_at is not None
    assert application.form_received_by == wanda
    download = client.get(reverse("accounts:application_scan", args=[application.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 podpisany"


def test_marking_received_without_a_scan_is_fine(client, application, wanda):
    cast.log_in(client, wanda)
    client.post(detail_url(application), {"action": "received"})
    application.refresh_from_db()
    assert application.form_received_at is not None
    assert not application.form_scan


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(client, application, wanda):
    cast.log_in(client, wanda)
    scan = SimpleUploadedFile("skan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(detail_url(application), {"action": "received", "scan": scan})
    assert response.status_code == 400
    assert "Dozwolone są tylko pliki PDF, JPG i PNG." in response.content.decode()


def test_the_scan_is_not_served_to_other_voivodeships(client, application, wanda, olaf):
    cast.log_in(client, wanda)
    scan = SimpleUploadedFile("skan.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
    client.post(detail_url(application), {"action": "received", "scan": scan})
    cast.log_in(client, olaf)
    assert (
        client.get(reverse("accounts:application_scan", args=[application.pk])).status_code == 404
    )


def test_unknown_action_changes_nothing(client, application, wanda):
    cast.log_in(client, wanda)
    client.post(detail_url(application), {"action": "drop-table"})
    application.refresh_from_db()
    assert application.is_pending


def test_the_management_command_activates_an_account(
    application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("activate_account", "dorota@example.org")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVATED
    assert len(mail.outbox) == 1


def test_the_management_command_says_when_there_is_no_such_account(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("activate_account", "nikt")
