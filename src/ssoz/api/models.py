"""API tokens, their use counted per minute, and the answers kept for idempotency keys."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "ssoz_"  # noqa: S105 (a prefix that tells our tokens apart, no secret)


def token_hash(raw: str) -> str:
    """SHA-256 of a token as it travels. A token is 256 random bits, so a fast hash is
    enough (a slow one, as for passwords, would only make every API request slower)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    """A key with which a named person's system calls the API (token API). It is shown once;
    only its hash is kept. It acts as its owner, within its scope, until it expires or is
    revoked."""

    class Scope(models.TextChoices):
        READ = "read", _("odczyt")
        WRITE = "write", _("odczyt i zapis")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("nazwa"), max_length=100)
    scope = models.CharField(_("zakres"), max_length=5, choices=Scope.choices)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, to tell tokens apart on the page and in the audit trail.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("ważny do"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class ApiTokenUse(models.Model):
    """How many requests a token made in one minute: its use kept in aggregate rather than
    as a row per request, and the counter its rate limit reads."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="api_token_use_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.minute:%Y-%m-%d %H:%M}: {self.count}"


class IdempotentAnswer(models.Model):
    """The answer to a write that carried an Idempotency-Key: a retry with the same key gets
    it again and changes nothing."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="answers")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # the method, path and body it answered
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_per_token")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.key}: {self.status}"
