"""E-mail assembly: each mail is three templates (subject, text and HTML body), sent by a task.

Sending happens in the background through Django's tasks framework and only after the
transaction that caused it commits, so a rolled-back change never mails anybody.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string


def render_mail(name: str, context: dict) -> tuple[str, str, str]:
    """Render emails/<name>-subject.txt, -body.txt and -body.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}-subject.txt", context).strip()
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split()), text, html


@task
def send_mail_task(to: list[str], subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_templated_mail(name: str, to: str, context: dict) -> None:
    """Queue a mail to be sent once the current transaction commits."""
    subject, text, html = render_mail(name, context)
    transaction.on_commit(lambda: send_mail_task.enqueue([to], subject, text, html))
