"""A request id on every log line and on every answer, so that one request can be followed
from the proxy's log through the application's to the clerk who reports a problem.

The id comes from the proxy's `X-Request-ID` when it is a sane one (at most 64 letters,
digits and `-_.:`), else it is made here; the answer carries it back in `X-Request-ID`, and
every log record written while the request runs has it as `request_id` (`RequestIdFilter`).
With `ACCESS_LOG=1` each request is a line of the log too (the production profile's access
log), and with `LOG_FORMAT=json` each record is one JSON object (python-json-logger).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_logger = logging.getLogger("ssoz.access")


def current_request_id() -> str:
    """The id of the request being answered, "-" outside one (the worker, a command)."""
    return _current.get()


class RequestIdMiddleware:
    """First of the middlewares, so that everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if settings.ACCESS_LOG:
                _access(request, response, started)
        finally:
            _current.reset(token)
        return response


def _access(request: HttpRequest, response: HttpResponse, started: float) -> None:
    """One line a request: what was asked and how it was answered, by whom (the account's id,
    never a name), in how long. The query string is left out: it may carry what was typed."""
    user = getattr(request, "user", None)
    access_logger.info(
        "%s %s %d",
        request.method,
        request.path,
        response.status_code,
        extra={
            "request_id": _current.get(),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        },
    )


class RequestIdFilter(logging.Filter):
    """Gives each record the current request's id as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
