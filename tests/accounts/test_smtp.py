"""Mail really leaves through SMTP: a real aiosmtpd server receives it and we read it back."""

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from ssoz.accounts.models import RegistrationApplication
from ssoz.accounts.services import activate_account


class Mailbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    yield mailbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_activation_mail_goes_through_a_real_smtp_server(smtp_server, application):
    activate_account(application=RegistrationApplication.objects.get(pk=application.pk), actor=None)
    deadline = time.monotonic() + 5
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["dorota@example.org"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert "konto zostało aktywowane" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Twoje konto dorota w systemie SSOZ zostało aktywowane" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>dorota</strong>" in html
