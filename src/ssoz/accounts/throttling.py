"""Log-in throttling on top of django-axes.

Axes locks an account after repeated failures. Many clerks of one hospital share an address,
so an address is locked only after a much larger number of failures on any accounts.
"""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from ssoz.accounts.models import User


def canonical_username(request: HttpRequest | None, credentials: dict | None) -> str:
    """The key axes counts failures under: the account's login when the login or e-mail
    names an account, so that failures by login and by e-mail add up."""
    identifier = ""
    if credentials:
        identifier = credentials.get("username") or credentials.get("login") or ""
    if not identifier and request is not None:
        identifier = request.POST.get("login", "")
    identifier = identifier.strip()
    user = User.objects.get_by_login_or_email(identifier) if identifier else None
    return (user.username if user else identifier).lower()


def cool_off() -> timedelta:
    return get_cool_off() or timedelta(minutes=15)


def account_failures(username: str) -> int:
    since = timezone.now() - cool_off()
    attempt = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).first()
    return attempt.failures_since_start if attempt else 0


def failures_left(username: str) -> int:
    return max(settings.AXES_FAILURE_LIMIT - account_failures(username), 0)


def address_is_locked(ip_address: str | None) -> bool:
    if not ip_address:
        return False
    since = timezone.now() - cool_off()
    failures = AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return failures.count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def locked_until(username: str) -> timezone.datetime | None:
    attempt = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    return attempt.attempt_time + cool_off() if attempt else None
