"""Account workflow: one function per verb, used by the pages, the commands and later the API.

Each verb checks the user's right through `ssoz.accounts.access`, runs in one transaction
with the application row locked, writes the account log and queues its mail on commit.
"""

import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import can_decide
from ssoz.accounts.models import (
    AccountEvent,
    ApplicationStatus,
    DuplicateRegistration,
    RegistrationApplication,
    Role,
    TemporaryPassword,
    User,
)
from ssoz.lib.emails import send_templated_mail
from ssoz.lib.errors import DomainError
from ssoz.registry.models import Entity, VoivodeshipOffice
from ssoz.registry.teryt import Voivodeship

_PDF_SALT = "ssoz.accounts.registration-form"


class WorkflowError(DomainError):
    """A verb that does not apply in the object's current state (409), or is missing what it
    needs (400); the message is for the user."""


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


# A registration's form link works this long; a duplicate registration is kept as long.
PENDING_LINK_DAYS = 90


@dataclass(frozen=True)
class PendingRegistration:
    """A registration waiting for activation, as its registration form (PDF) and the log-in
    page show it: of an account's application, or of a duplicate registration, alike."""

    reference: str
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str
    entity: Entity
    financial_reports: bool
    psychiatric_card_only: bool
    submitted_at: datetime

    @classmethod
    def of_application(cls, application: RegistrationApplication) -> "PendingRegistration":
        user = application.user
        return cls(
            reference=application.reference,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            phone=user.phone,
            entity=application.entity,
            financial_reports=user.financial_reports,
            psychiatric_card_only=user.psychiatric_card_only,
            submitted_at=application.submitted_at,
        )

    @classmethod
    def of_duplicate(cls, duplicate: DuplicateRegistration) -> "PendingRegistration":
        # A duplicate registration keeps its fields under these very names.
        return cls(**{item.name: getattr(duplicate, item.name) for item in fields(cls)})


def registration_form_token(reference: str) -> str:
    """A signed token that lets the registrant download the form without an account."""
    return signing.dumps(reference, salt=_PDF_SALT)


def pending_from_token(token: str) -> PendingRegistration | None:
    max_age = timedelta(days=PENDING_LINK_DAYS)
    try:
        reference = signing.loads(token, salt=_PDF_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(reference, str):
        return None
    application = (
        RegistrationApplication.objects.select_related("user", "entity")
        .filter(reference=reference)
        .first()
    )
    if application is not None:
        return PendingRegistration.of_application(application)
    duplicate = (
        DuplicateRegistration.objects.select_related("entity").filter(reference=reference).first()
    )
    return PendingRegistration.of_duplicate(duplicate) if duplicate is not None else None


def duplicate_registration_for(identifier: str, raw_password: str) -> DuplicateRegistration | None:
    """The duplicate registration a log-in names (by its login or e-mail) with its password,
    so that the log-in page can answer as it answers a pending account."""
    identifier = identifier.strip()
    if not identifier:
        return None
    lookup = Q(email__iexact=identifier) if "@" in identifier else Q(username__iexact=identifier)
    recent = timezone.now() - timedelta(days=PENDING_LINK_DAYS)
    for duplicate in DuplicateRegistration.objects.filter(lookup, submitted_at__gt=recent)[:5]:
        if duplicate.matches(raw_password):
            return duplicate
    return None


def responsible_office(entity: Entity) -> VoivodeshipOffice | None:
    return VoivodeshipOffice.objects.filter(voivodeship=entity.voivodeship).first()


@transaction.atomic
def register_account(*, account: NewAccount, ip_address: str | None) -> str:
    """Create an inactive reporter account and its application for activation; return the
    token of its registration form.

    An e-mail address that already has an account is not told: the registration goes on as
    every registration does (its form, its log-in message), but no account is created and the
    owner of the address gets a mail instead. So registering says nothing about which
    addresses have accounts.
    """
    owner = User.objects.filter(email__iexact=account.email).first()
    if owner is not None:
        return _register_duplicate(account, owner, ip_address)
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
    try:
        # A savepoint: a registration of the same address or login may commit in between.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        owner = User.objects.filter(email__iexact=account.email).first()
        if owner is not None:
            return _register_duplicate(account, owner, ip_address)
        raise DomainError(_("Ten login jest już zajęty. Wybierz inny."), status=400) from None
    application = RegistrationApplication.objects.create(user=user, entity=account.entity)
    log_event(user, AccountEvent.Kind.REGISTERED, actor=user, ip_address=ip_address)
    token = registration_form_token(application.reference)
    send_templated_mail(
        "registration-received",
        user.email,
        {
            "user": user,
            "entity": account.entity,
            "office": responsible_office(account.entity),
            "pdf_url": settings.SITE_URL + reverse("accounts:registration_pdf", args=[token]),
        },
    )
    return token


def _register_duplicate(account: NewAccount, owner: User, ip_address: str | None) -> str:
    duplicate = DuplicateRegistration.objects.create(
        username=account.username,
        password=make_password(account.password),
        first_name=account.first_name,
        last_name=account.last_name,
        email=account.email,
        phone=account.phone,
        entity=account.entity,
        financial_reports=account.financial_reports,
        psychiatric_card_only=account.psychiatric_card_only,
    )
    log_event(
        owner,
        AccountEvent.Kind.DUPLICATE_REGISTRATION,
        ip_address=ip_address,
        details=f"{account.username}, {account.entity.regon}",
    )
    send_templated_mail(
        "registration-duplicate",
        owner.email,
        {
            "user": owner,
            "login": account.username,
            "entity": account.entity.name,
            "account": owner.username,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
        },
    )
    return registration_form_token(duplicate.reference)


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
        raise WorkflowError(_("Podaj powód odrzucenia."), status=400)
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
    valid_for = timedelta(minutes=settings.TEMPORARY_PASSWORD_VALID_MINUTES)
    raw_password, temporary = _issue_temporary_password(user, valid_for)
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


def _issue_temporary_password(user: User, valid_for: timedelta) -> tuple[str, TemporaryPassword]:
    # Only the newest temporary password works.
    user.temporary_passwords.filter(used_at__isnull=True).update(expires_at=timezone.now())
    raw_password = generate_temporary_password()
    return raw_password, TemporaryPassword.issue(user, raw_password, valid_for)


# The roles of the accounts an operator creates on the server (`create_staff_account`).
STAFF_ROLES = (Role.REGIONAL_ADMIN, Role.CENTRAL_ADMIN, Role.ANALYST)


@transaction.atomic
def create_staff_account(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    voivodeship: str = "",
    valid_for: timedelta,
) -> User:
    """Create an administrator's or an analyst's account (konto pracownika) and mail its
    owner a temporary password, as the password reminder does, with which she logs in once
    and sets her own; the account itself has no usable password.

    No page creates such accounts: the operator runs `manage.py create_staff_account` on the
    server. A regional administrator needs her voivodeship; nobody else has one."""
    if role not in STAFF_ROLES:
        raise WorkflowError(
            _("Konto pracownika ma rolę administratora albo analityka."), status=400
        )
    if role == Role.REGIONAL_ADMIN and voivodeship not in Voivodeship.values:
        raise WorkflowError(_("Podaj województwo administratora wojewódzkiego."), status=400)
    if role != Role.REGIONAL_ADMIN and voivodeship:
        raise WorkflowError(_("Województwo ma tylko administrator wojewódzki."), status=400)
    user = User(
        username=username.strip(),
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        voivodeship=voivodeship,
    )
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages), status=400) from None
    user.save()
    raw_password, temporary = _issue_temporary_password(user, valid_for)
    log_event(user, AccountEvent.Kind.CREATED, details=user.get_role_display())
    send_templated_mail(
        "staff-account-created",
        user.email,
        {
            "user": user,
            "password": raw_password,
            "expires_at": temporary.expires_at,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
        },
    )
    return user


@transaction.atomic
def change_password(*, user: User, new_password: str, ip_address: str | None) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    # A new password retires every temporary one.
    user.temporary_passwords.filter(used_at__isnull=True).update(expires_at=timezone.now())
    log_event(user, AccountEvent.Kind.PASSWORD_CHANGED, actor=user, ip_address=ip_address)
