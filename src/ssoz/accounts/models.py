"""Users, their roles, registration applications, temporary passwords and the account log."""

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.registry.models import Entity
from ssoz.registry.teryt import Voivodeship


class Role(models.TextChoices):
    """What a user does in SSOZ."""

    REPORTER = "reporter", _("Sprawozdawca")
    REGIONAL_ADMIN = "regional_admin", _("Administrator wojewódzki")
    CENTRAL_ADMIN = "central_admin", _("Administrator centralny")
    # An analyst (analityk) of the Ministry or the statistical office: reads the results of
    # the whole country in full and changes nothing (docs/confidentiality.md).
    ANALYST = "analyst", _("Analityk")


class SSOZUserManager(UserManager):
    def get_by_login_or_email(self, identifier: str) -> "User | None":
        """The account a person means by a login or an e-mail address, if any."""
        identifier = identifier.strip()
        if not identifier:
            return None
        lookup = (
            models.Q(email__iexact=identifier)
            if "@" in identifier
            else models.Q(username__iexact=identifier)
        )
        return self.filter(lookup).first()


class User(AbstractUser):
    """A user of SSOZ (użytkownik): a reporter of one entity, an administrator, or an
    analyst who reads the results."""

    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    role = models.CharField(_("rola"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("podmiot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    voivodeship = models.CharField(
        _("województwo administratora"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    # A regional administrator of an office other than the voivodeship's (a statistical
    # office) verifies only the forms the programme gives that office; none: the voivodeship
    # office, which verifies the rest.
    office = models.ForeignKey(
        "registry.VerifyingOffice",
        verbose_name=_("urząd weryfikujący"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrators",
    )
    financial_reports = models.BooleanField(
        _("Użytkownik posiada upoważnienie do sprawozdań finansowych"), default=False
    )
    psychiatric_card_only = models.BooleanField(
        _("Konto z uprawnieniami do wypełnienia tylko karty szpitalnej psychiatrycznej MZ/Szp-11B"),
        default=False,
    )
    must_change_password = models.BooleanField(_("musi zmienić hasło"), default=False)

    objects = SSOZUserManager()

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("Konto z tym adresem e-mail już istnieje."),
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ci",
                violation_error_message=_("Ten login jest już zajęty."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.REPORTER) | models.Q(entity__isnull=False),
                name="reporter_has_entity",
                violation_error_message=_("Sprawozdawca musi być przypisany do podmiotu."),
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.REGIONAL_ADMIN) | models.Q(office__isnull=True),
                name="only_regional_admins_have_an_office",
                violation_error_message=_(
                    "Urząd weryfikujący mają tylko administratorzy wojewódzcy."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.REGIONAL_ADMIN) | ~models.Q(voivodeship=""),
                name="regional_admin_has_voivodeship",
                violation_error_message=_("Administrator wojewódzki musi mieć województwo."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.ANALYST)
                | models.Q(entity__isnull=True, voivodeship=""),
                name="analyst_has_no_entity_or_voivodeship",
                violation_error_message=_(
                    "Analityk nie jest przypisany do podmiotu ani do województwa."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER

    @property
    def is_regional_admin(self) -> bool:
        return self.role == Role.REGIONAL_ADMIN

    @property
    def is_central_admin(self) -> bool:
        return self.role == Role.CENTRAL_ADMIN

    @property
    def is_administrator(self) -> bool:
        return self.role in (Role.REGIONAL_ADMIN, Role.CENTRAL_ADMIN)

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST


# Application references avoid look-alike characters: they are read off paper and typed in.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random application reference such as "K7QX-M2PD" (about 40 bits): printed on the
    registration form instead of a running number, which would tell how many there are."""
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("oczekuje na aktywację")
    ACTIVATED = "activated", _("aktywowany")
    REJECTED = "rejected", _("odrzucony")


class ApplicationQuerySet(models.QuerySet):
    def pending(self) -> "ApplicationQuerySet":
        return self.filter(status=ApplicationStatus.PENDING)


class RegistrationApplication(models.Model):
    """An application for an account (wniosek rejestracyjny), decided by an administrator."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="application")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(
        _("numer wniosku"), max_length=9, unique=True, default=new_reference, editable=False
    )
    status = models.CharField(
        _("stan"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("złożono"), default=timezone.now)
    form_received_at = models.DateTimeField(
        _("podpisany formularz otrzymano"), null=True, blank=True
    )
    form_received_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    form_scan = models.FileField(_("skan formularza"), upload_to="scans/%Y/%m/", blank=True)
    decided_at = models.DateTimeField(_("rozpatrzono"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("powód odrzucenia"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("wniosek rejestracyjny")
        verbose_name_plural = _("wnioski rejestracyjne")
        ordering = ["submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ApplicationStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="rejection_has_reason",
                violation_error_message=_("Odrzucenie wymaga podania powodu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.entity.name}"

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.PENDING

    @property
    def voivodeship(self) -> str:
        return self.entity.voivodeship


class DuplicateRegistration(models.Model):
    """A registration with an e-mail address that already has an account (rejestracja na zajęty
    adres e-mail). Nobody is told that the address is taken: the registrant sees what every
    registrant sees (the pending account, its form, its log-in message), no account is created,
    and the owner of the address is told by e-mail. Kept only as long as a pending
    registration's form link works, then removed by `run_periodic`."""

    reference = models.CharField(max_length=9, unique=True, default=new_reference)
    username = models.CharField(max_length=150)
    password = models.CharField(max_length=256)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    financial_reports = models.BooleanField(default=False)
    psychiatric_card_only = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rejestracja na zajęty adres e-mail")
        verbose_name_plural = _("rejestracje na zajęte adresy e-mail")
        indexes = [models.Index(Lower("username"), name="duplicate_username_ci")]

    def __str__(self) -> str:
        return f"{self.username} ({self.submitted_at:%Y-%m-%d})"

    def matches(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password)


class TemporaryPassword(models.Model):
    """A temporary working password (hasło robocze): mailed on request, single use, short-lived."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="temporary_passwords")
    password_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def issue(cls, user: User, raw_password: str, valid_for: timedelta) -> "TemporaryPassword":
        now = timezone.now()
        return cls.objects.create(
            user=user,
            password_hash=make_password(raw_password),
            created_at=now,
            expires_at=now + valid_for,
        )

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at

    def matches(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password_hash)


class AccountEvent(models.Model):
    """One line of the account log: who did what to which account, when and from where."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("rejestracja")
        FORM_RECEIVED = "form_received", _("otrzymano podpisany formularz")
        ACTIVATED = "activated", _("aktywacja konta")
        REJECTED = "rejected", _("odrzucenie wniosku")
        LOGGED_IN = "logged_in", _("logowanie")
        LOGGED_IN_TEMPORARY = "logged_in_temporary", _("logowanie hasłem roboczym")
        LOGIN_FAILED = "login_failed", _("nieudane logowanie")
        LOGGED_OUT = "logged_out", _("wylogowanie")
        TEMPORARY_PASSWORD_SENT = "temporary_password_sent", _("wysłano hasło robocze")
        PASSWORD_CHANGED = "password_changed", _("zmiana hasła")
        CREATED = "created", _("założenie konta pracownika")
        DUPLICATE_REGISTRATION = (
            "duplicate_registration",
            _("próba rejestracji z adresem e-mail tego konta"),
        )
        API_TOKEN_CREATED = "api_token_created", _("utworzenie tokenu API")
        API_TOKEN_REVOKED = "api_token_revoked", _("unieważnienie tokenu API")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("zdarzenie konta")
        verbose_name_plural = _("dziennik kont")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.user}"
