"""API tokens: created and revoked by their owner on the account page, looked up by their
hash on every request, and counted per minute for the rate limit."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.models import AccountEvent, Role, User
from ssoz.api.models import TOKEN_PREFIX, ApiToken, ApiTokenUse, IdempotentAnswer, token_hash
from ssoz.lib.errors import DomainError
from ssoz.lib.query_templates import KeptQuery, first_instance

LIFETIMES_DAYS = (30, 90, 180, 365)
MAX_TOKEN_CHARS = 100  # a longer Authorization header is no token of ours; it is not hashed
MAX_ACTIVE_TOKENS = 20


class TokenError(DomainError):
    """A token that cannot be created, or a request whose token is not valid (401)."""


def may_hold_tokens(user: User) -> bool:
    """Reporters and administrators may; analysts read results on the pages only."""
    return user.is_active and user.role in (Role.REPORTER, Role.REGIONAL_ADMIN, Role.CENTRAL_ADMIN)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def create_token(
    *, actor: User, name: str, scope: str, days: int, ip_address: str | None = None
) -> NewToken:
    """A new token of `actor`, valid for `days` days; its secret is returned once."""
    if not may_hold_tokens(actor):
        raise TokenError(_("To konto nie może mieć tokenów API."), status=403, code="forbidden")
    if days not in LIFETIMES_DAYS:
        raise TokenError(_("Wybierz okres ważności z listy."), status=400, code="invalid")
    if scope not in ApiToken.Scope.values:
        raise TokenError(_("Wybierz zakres z listy."), status=400, code="invalid")
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError(_("Podaj nazwę tokenu (do 100 znaków)."), status=400, code="invalid")
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one creation at a time
    now = timezone.now()
    active = actor.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            _("Masz już %(count)d ważnych tokenów. Unieważnij nieużywany, zanim dodasz nowy."),
            {"count": active},
            code="too_many_tokens",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        scope=scope,
        key_hash=token_hash(secret),
        hint=secret[: len(TOKEN_PREFIX) + 4],
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    AccountEvent.objects.create(
        user=actor,
        actor=actor,
        kind=AccountEvent.Kind.API_TOKEN_CREATED,
        ip_address=ip_address,
        details=f"{token} [{token.scope}]",
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, actor: User, token_id: int, ip_address: str | None = None) -> ApiToken:
    """Its owner revokes a token: it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise Http404  # another's token is not told from one that does not exist
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        AccountEvent.objects.create(
            user=actor,
            actor=actor,
            kind=AccountEvent.Kind.API_TOKEN_REVOKED,
            ip_address=ip_address,
            details=str(token),
        )
    return token


# The token of every request, and its owner, each read with a query compiled once
# (`lib/query_templates.py`), as the pages read their session and user: building a joined
# query on every request cost more than running it (docs/performance.md).
_TOKEN = KeptQuery(lambda key_hash: ApiToken.objects.filter(key_hash=key_hash), ("\x00a", "\x00b"))
_OWNER = KeptQuery(lambda pk: User.objects.filter(pk=pk), (-1_000_000_001, -1_000_000_002))


def authenticate(secret: str) -> ApiToken:
    """The valid token whose secret this is, with its owner; refuses an unknown, revoked or
    expired one, or one whose owner's account is no longer active, alike (401)."""
    token = None
    if secret.startswith(TOKEN_PREFIX) and len(secret) <= MAX_TOKEN_CHARS:
        token = first_instance(ApiToken, _TOKEN.sql(token_hash(secret)))
    if token is not None:
        owner = first_instance(User, _OWNER.sql(token.user_id))
        if owner is None:
            token = None
        else:
            token.user = owner
    if token is None or not token.is_active() or not may_hold_tokens(token.user):
        raise TokenError(
            _("Token API jest nieznany, unieważniony albo wygasł."),
            status=401,
            code="invalid_token",
        )
    return token


@dataclass(frozen=True)
class RateWindow:
    limit: int
    used: int
    resets_at: datetime.datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit


def count_use(token: ApiToken) -> RateWindow:
    """Count a request of `token` in this minute's row, in one statement that every worker
    and server may run at once (an upsert), and say how much of the minute's limit is used.
    The first request of a minute also notes the token's last use."""
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    table = ApiTokenUse._meta.db_table
    minute_value = connection.ops.adapt_datetimefield_value(minute)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token_id, minute, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (token_id, minute) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [token.pk, minute_value],
        )
        (used,) = cursor.fetchone()
    if used == 1:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return RateWindow(
        limit=settings.API_REQUESTS_PER_MINUTE,
        used=used,
        resets_at=minute + datetime.timedelta(minutes=1),
    )


# An answer kept for an idempotency key, and a minute's use count, are kept this long: a
# retry comes within minutes, and the use of a token is shown by its last use.
KEEP_ANSWERS = datetime.timedelta(hours=24)
KEEP_USE_COUNTS = datetime.timedelta(days=1)


def clear_old(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remove answers kept for idempotency keys and use counts past their time (by
    `run_periodic`): how many of each."""
    now = now or timezone.now()
    answers = IdempotentAnswer.objects.filter(created_at__lt=now - KEEP_ANSWERS).delete()[0]
    uses = ApiTokenUse.objects.filter(minute__lt=now - KEEP_USE_COUNTS).delete()[0]
    return answers, uses
