"""Mail really leaves: the request queues it, the worker sends it through a real SMTP server
(aiosmtpd), and we read it back."""

from background import text_of
from django_tasks_db.models import DBTaskResult

from ssoz.accounts.models import RegistrationApplication
from ssoz.accounts.services import activate_account


def test_the_activation_mail_goes_from_the_queue_through_a_real_smtp_server(
    task_worker, application
):
    activate_account(application=RegistrationApplication.objects.get(pk=application.pk), actor=None)
    message = task_worker.wait_for("konto zostało aktywowane", to="dorota@example.org")
    assert "Twoje konto dorota w systemie SSOZ zostało aktywowane" in text_of(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>dorota</strong>" in html
    assert DBTaskResult.objects.get().task_path == "ssoz.lib.emails.send_mail_task"


def test_without_a_worker_the_mail_waits_on_the_queue(settings, transactional_db, application):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    activate_account(application=RegistrationApplication.objects.get(pk=application.pk), actor=None)
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == "READY"
    assert queued.args_kwargs["args"][0] == ["dorota@example.org"]
