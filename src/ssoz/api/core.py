"""The API itself: its token authentication, rate limit, idempotency keys, and the one place
where its refusals become JSON. The endpoints live beside it (`reporting.py`) and call the
same services, engine and access rule as the pages."""

import hashlib
import re
from collections.abc import Callable
from email.utils import format_datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from ssoz.api import tokens
from ssoz.api.docs import Docs
from ssoz.api.models import ApiToken, IdempotentAnswer
from ssoz.lib import origin
from ssoz.lib.errors import DomainError

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ssoz_…`: the token's owner acts, within the token's scope. Each
    request is counted against the token's limit per minute before anything else is done."""

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        token = authenticated(request)
        if token is None:
            return super().__call__(request)
        return self._allow(token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return self._allow(authenticated(request, token))

    def _allow(self, token: ApiToken) -> ApiToken:
        if self.write and not token.can_write:
            raise DomainError(
                _("Ten token pozwala tylko na odczyt."), status=403, code="read_only_token"
            )
        return token


def authenticated(request: HttpRequest, secret: str | None = None) -> ApiToken | None:
    """The request's token, looked up and counted once per request (the idempotency check
    and the operation both ask)."""
    token = getattr(request, "api_token", None)
    if token is not None or secret is None:
        return token
    token = tokens.authenticate(secret)
    window = tokens.count_use(token)
    request.api_rate = window
    if window.exceeded:
        raise DomainError(
            _("Przekroczono limit %(limit)d żądań na minutę dla tego tokenu. Spróbuj za chwilę."),
            {"limit": window.limit},
            status=429,
            code="rate_limited",
        )
    request.api_token = token
    request.user = token.user
    return token


def bearer_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def error_answer(request: HttpRequest, error: DomainError, **extra: Any) -> HttpResponse:
    # A refusal reaches its handler after the operation's language was given up: its
    # `message` is put in the caller's language again here.
    with translation.override(_language(request)):
        body = error.to_dict() | extra
    return api.create_response(request, body, status=error.status)


class SsozApi(NinjaAPI):
    """The API, whose document also states what the HTTP server answers before SSOZ reads a
    request: an address longer than it reads (414, its own HTML page)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            for operation in item.values():
                operation["responses"].setdefault("414", _URI_TOO_LONG)
        return schema


_URI_TOO_LONG = {
    "description": "The address is longer than the HTTP server reads; answered by the server "
    "(gunicorn, nginx) before the request reaches SSOZ.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}

api = SsozApi(
    title="SSOZ API",
    version="1",
    description=(
        "The API of SSOZ (System Statystyki w Ochronie Zdrowia) for systems that report by "
        "themselves. Every call carries `Authorization: Bearer <token>`, a token its owner "
        "creates on the page „Tokeny API” of her account. It calls the same services, rules "
        "and access rule as the pages. A write may carry an `Idempotency-Key` header: a retry "
        "with the same key gets the first answer again and changes nothing."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Docs(),
    docs_url="/dokumentacja",
)


def _json_error(request: HttpRequest, status: int, code: str, message, **extra) -> HttpResponse:
    return error_answer(request, DomainError(message, status=status, code=code), **extra)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_answer(request, error)


@api.exception_handler(AuthenticationError)
def _no_token(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _json_error(
        request, 401, "invalid_token", _("Brak tokenu API w nagłówku Authorization.")
    )


# Where ninja says a value was read ("body", "query", …), and the names the operations give
# their body and query schemas: not part of the field's name as the caller sends it.
_PARAMETER_PLACES = frozenset({"body", "query", "path", "header", "filters"})


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [
        {
            "field": ".".join(
                str(part) for part in item.get("loc", ()) if part not in _PARAMETER_PLACES
            ),
            "message": str(item.get("msg", "")),
        }
        for item in error.errors[:50]
    ]
    return _json_error(
        request,
        422,
        "invalid",
        _("Żądanie ma niewłaściwą postać: popraw wskazane pola."),
        field=fields[0]["field"] if fields else None,
        fields=fields,
    )


@api.exception_handler(HttpError)
def _unreadable(request: HttpRequest, error: HttpError) -> HttpResponse:
    # django-ninja's own refusal: a body that is no JSON at all.
    return _json_error(
        request, error.status_code, "unreadable", _("Nie można odczytać treści żądania (JSON).")
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return _json_error(
        request,
        413,
        "too_large",
        _("Żądanie jest za duże (najwyżej %(limit)d MB).")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _json_error(request, 404, "not_found", _("Nie znaleziono."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _json_error(request, 403, "forbidden", _("Brak uprawnień."))


def _through_token(operation: Callable[..., Any]) -> Callable[..., Any]:
    """Runs an operation as done through its token, so the audit trail names it."""

    @wraps(operation)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        token = getattr(request, "api_token", None)
        if token is None:
            return operation(request, *args, **kwargs)
        with origin.through_api_token(token.pk), translation.override(_language(request)):
            return operation(request, *args, **kwargs)

    return run


def _language(request: HttpRequest) -> str:
    """Messages in English when the caller asks for it first, else in Polish."""
    accept = request.headers.get("Accept-Language", "").strip().lower()
    return "en" if accept.startswith("en") else "pl"


def _with_limits_and_keys(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around every request: the rate limit's headers on every answer; and for a write with
    an Idempotency-Key, the first answer given to that key again, in the write's own
    transaction, so that two retries racing cannot both change anything."""

    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in WRITE_METHODS:
            response = view(request, *args, **kwargs)
        else:
            response = _idempotent(view, request, key, args, kwargs)
        return _rate_headers(request, response)

    return run


def _rate_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    window = getattr(request, "api_rate", None)
    if window is not None:
        response["RateLimit-Limit"] = str(window.limit)
        response["RateLimit-Remaining"] = str(window.remaining)
        response["RateLimit-Reset"] = format_datetime(window.resets_at, usegmt=True)
        if window.exceeded:
            response["Retry-After"] = "60"
    return response


def _idempotent(view, request: HttpRequest, key: str, args, kwargs) -> HttpResponse:
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        return _json_error(
            request,
            400,
            "invalid_idempotency_key",
            _("Nagłówek Idempotency-Key ma od 1 do 100 drukowalnych znaków ASCII."),
        )
    try:
        token = authenticated(request, bearer_secret(request))
    except DomainError as error:
        return error_answer(request, error)
    if token is None:
        return view(request, *args, **kwargs)  # refused as any request without a token
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), request.body])
    ).hexdigest()
    try:
        with transaction.atomic():
            known = IdempotentAnswer.objects.filter(token=token, key=key).first()
            if known is not None:
                return _replay(request, known, fingerprint)
            response = view(request, *args, **kwargs)
            if response.status_code >= 500 or response.status_code == 429:
                return response
            IdempotentAnswer.objects.create(
                token=token,
                key=key,
                fingerprint=fingerprint,
                status=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
            return response
    except IntegrityError:
        # The same key was used by a request that finished first: this one's changes were
        # rolled back, and the first answer stands.
        known = IdempotentAnswer.objects.filter(token=token, key=key).first()
        if known is None:
            raise
        return _replay(request, known, fingerprint)


def _replay(request: HttpRequest, known: IdempotentAnswer, fingerprint: str) -> HttpResponse:
    if known.fingerprint != fingerprint:
        return _json_error(
            request,
            422,
            "idempotency_key_reused",
            _("Ten Idempotency-Key użyto już dla innego żądania. Użyj nowego klucza."),
        )
    response = HttpResponse(bytes(known.body), status=known.status, content_type=known.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


api.add_decorator(_through_token, mode="operation")
api.add_decorator(_with_limits_and_keys, mode="view")

WRITE = TokenAuth(write=True)


def urls() -> tuple[list, str, str]:
    """The API's addresses. A token, not a session, says who calls, so none of them asks for
    a login (LoginRequiredMiddleware); each operation checks its token itself."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace


# The endpoints register themselves on `api`.
from ssoz.api import administration, records, reporting, uploads  # noqa: E402, F401
