"""Account workflow: one function per verb, used by the pages, the commands and later the API.

Each verb checks the user's right through `ssoz.accounts.access`, runs in one transaction
with the application row locked, writes the account log and queues its mail on commit.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ssoz.accounts.access import can_decide
from ssoz.accounts.models import (
    AccountEvent,
    ApplicationStatus,
    RegistrationApplication,
    Role,
    TemporaryPassword,
    User,
)
from ssoz.lib.emails import send_templated_mail
from ssoz.registry.models import Entity, VoivodeshipOffice

_PDF_SALT = "ssoz.accounts.registration-form"


class WorkflowError(Exception):
    """A verb that does not apply in the object's current state; the message is for the user."""


@dataclass(frozen=True)
class NewAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    phone: str
    entity: Entity
    financial_reports: bool
    psychiatric_card_only: bool


def log_event(
    user: User,
    kind: AccountEvent.Kind,
    *,
    actor: User | None = None,
    ip_address: str | None = None,
    details: str = "",
) -> None:
    AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, ip_address=ip_address, details=details
    )


def registration_form_token(application: RegistrationApplication) -> str:
    """A signed token that lets the applicant download the form without an account."""
    return signing.dumps(application.pk, salt=_PDF_SALT)


def application_from_token(token: str) -> RegistrationApplication | None:
    max_age = timedelta(days=90)
    try:
        pk = signing.loads(token, salt=_PDF_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return RegistrationApplication.objects.select_related("user", "entity").filter(pk=pk).first()


def responsible_office(entity: Entity) -> VoivodeshipOffice | None:
    return VoivodeshipOffice.objects.filter(voivodeship=entity.voivodeship).first()


@transaction.atomic
def register_account(*, account: NewAccount, ip_address: str | None) -> RegistrationApplication:
    """Create an inactive reporter account and its application for activation."""
    user = User(
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        email=account.email,
        phone=account.phone,
        role=Role.REPORTER,
        entity=account.entity,
        financial_reports=account.financial_reports,
        psychiatric_card_only=account.psychiatric_card_only,
        is_active=False,
    )
    user.set_password(account.password)
    user.save()
    application = RegistrationApplication.objects.create(user=user, entity=account.entity)
    log_event(user, AccountEvent.Kind.REGISTERED, actor=user, ip_address=ip_address)
    pdf_path = reverse("accounts:registration_pdf", args=[registration_form_token(application)])
    send_templated_mail(
        "registration-received",
        user.email,
        {
            "user": user,
            "entity": account.entity,
            "office": responsible_office(account.entity),
            "pdf_url": settings.SITE_URL + pdf_path,
        },
    )
    return application


def _locked_application(application: RegistrationApplication) -> RegistrationApplication:
    return (
        RegistrationApplication.objects.select_for_update(of=("self",))
        .select_related("user", "entity")
        .get(pk=application.pk)
    )


def _check_can_decide(actor: User, application: RegistrationApplication) -> None:
    if not can_decide(actor, application):
        raise PermissionDenied


@transaction.atomic
def mark_form_received(
    *,
    application: RegistrationApplication,
    actor: User,
    scan: UploadedFile | None = None,
    ip_address: str | None = None,
) -> RegistrationApplication:
    """Record that the signed registration form has arrived, with its scan if given."""
    _check_can_decide(actor, application)
    application = _locked_application(application)
    if not application.is_pending:
        raise WorkflowError(_("Ten wniosek został już rozpatrzony."))
    application.form_received_at = timezone.now()
    application.form_received_by = actor
    if scan is not None:
        application.form_scan.save(scan.name, scan, save=False)
    application.save()
    log_event(application.user, AccountEvent.Kind.FORM_RECEIVED, actor=actor, ip_address=ip_address)
    return application


@transaction.atomic
def activate_account(
    *, application: RegistrationApplication, actor: User | None, ip_address: str | None = None
) -> RegistrationApplication:
    """Activate the applicant's account and tell them by e-mail.

    `actor` is None only for the management command run by the operator on the server.
    """
    if actor is not None:
        _check_can_decide(actor, application)
    application = _locked_application(application)
    if not application.is_pending:
        raise WorkflowError(_("Ten wniosek został już rozpatrzony."))
    now = timezone.now()
    application.status = ApplicationStatus.ACTIVATED
    application.decided_at = now
    application.decided_by = actor
    application.save()
    user = application.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    log_event(user, AccountEvent.Kind.ACTIVATED, actor=actor, ip_address=ip_address)
    send_templated_mail(
        "account-activated",
        user.email,
        {"user": user, "login_url": settings.SITE_URL + reverse("accounts:login")},
    )
    return application


@transaction.atomic
def reject_application(
    *,
    application: RegistrationApplication,
    actor: User,
    reason: str,
    ip_address: str | None = None,
) -> RegistrationApplication:
    """Reject the application with a reason that the applicant receives by e-mail."""
    _check_can_decide(actor, application)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Podaj powód odrzucenia."))
    application = _locked_application(application)
    if not application.is_pending:
        raise WorkflowError(_("Ten wniosek został już rozpatrzony."))
    application.status = ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.rejection_reason = reason
    application.save()
    log_event(
        application.user,
        AccountEvent.Kind.REJECTED,
        actor=actor,
        ip_address=ip_address,
        details=reason,
    )
    send_templated_mail(
        "application-rejected",
        application.user.email,
        {
            "user": application.user,
            "reason": reason,
            "office": responsible_office(application.entity),
        },
    )
    return application


def generate_temporary_password() -> str:
    # Readable groups without look-alike characters; about 80 bits of entropy.
    alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(3)]
    return "-".join(groups)


def request_temporary_password(*, identifier: str, ip_address: str | None) -> None:
    """„przypomnij hasło”: queue the issuing of a temporary password for whoever the
    identifier names.

    The request only puts the identifier on the queue. Looking the account up, hashing the
    password and mailing it happen in the worker, so the answer takes the same time whether
    or not the account exists.
    """
    # Imported here: the task module imports this one.
    from ssoz.accounts.tasks import issue_temporary_password

    identifier = identifier.strip()[:254]
    transaction.on_commit(
        lambda: issue_temporary_password.enqueue(identifier=identifier, ip_address=ip_address)
    )


@transaction.atomic
def send_temporary_password(*, identifier: str, ip_address: str | None) -> None:
    """Mail a temporary password to the account named by a login or e-mail, if there is one.

    Runs in the worker (see `request_temporary_password`). Requests for one account are
    limited to one per interval, so nobody can flood a mailbox.
    """
    user = User.objects.get_by_login_or_email(identifier)
    if user is None or not user.is_active:
        return
    user = User.objects.select_for_update().get(pk=user.pk)
    interval = timedelta(seconds=settings.TEMPORARY_PASSWORD_REQUEST_INTERVAL)
    if user.temporary_passwords.filter(created_at__gt=timezone.now() - interval).exists():
        return
    # Only the newest temporary password works.
    user.temporary_passwords.filter(used_at__isnull=True).update(expires_at=timezone.now())
    raw_password = generate_temporary_password()
    valid_for = timedelta(minutes=settings.TEMPORARY_PASSWORD_VALID_MINUTES)
    temporary = TemporaryPassword.issue(user, raw_password, valid_for)
    log_event(user, AccountEvent.Kind.TEMPORARY_PASSWORD_SENT, ip_address=ip_address)
    send_templated_mail(
        "temporary-password",
        user.email,
        {
            "user": user,
            "password": raw_password,
            "expires_at": temporary.expires_at,
            "valid_minutes": settings.TEMPORARY_PASSWORD_VALID_MINUTES,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
        },
    )


@transaction.atomic
def change_password(*, user: User, new_password: str, ip_address: str | None) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    # A new password retires every temporary one.
    user.temporary_passwords.filter(used_at__isnull=True).update(expires_at=timezone.now())
    log_event(user, AccountEvent.Kind.PASSWORD_CHANGED, actor=user, ip_address=ip_address)
