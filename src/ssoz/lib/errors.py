"""The one domain error type, and the one place where errors become responses.

A service refuses what does not apply (a report already sent, a comment missing, a period
already published) by raising a `DomainError`: it carries its HTTP status and a message that
reads in Polish or in English. `DomainErrorMiddleware` turns it into the answer the caller
understands: JSON for scripts and the API, and for pages the message shown on the page the
request came from.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

from ssoz.lib.http import safe_referer, wants_json


class DomainError(Exception):
    """A request the domain refuses. `message` is a lazily translated text with %(name)s
    placeholders filled from `params`, so it can be read in either language."""

    status = 409
    code = "refused"

    def __init__(
        self,
        message: str | Promise,
        params: dict[str, Any] | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.params = params or {}
        self.field = field  # the field or cell concerned, if one is
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        super().__init__(self.text("pl"))

    def text(self, language: str | None = None) -> str:
        """The message in `language`, or in the active language."""
        with translation.override(language or translation.get_language() or "pl"):
            text = str(self.message)
            return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        answer = {
            "ok": False,
            "error": self.code,
            "message": self.text(),
            "message_pl": self.text("pl"),
            "message_en": self.text("en"),
        }
        if self.field is not None:
            answer["field"] = self.field
        return answer


def refusal_returns_to(url_name: str, *arguments: str):
    """Marks a view whose refusals lead back to the page `url_name`, reversed with the
    view's own arguments of those names (e.g. a decision on a report leads back to it)."""

    def mark(view):
        view.refusal_returns_to = (url_name, arguments)
        return view

    return mark


def _back(request: HttpRequest) -> str:
    """Where a refused page request leads: the page its view names, else the page it came
    from, else itself."""
    match = getattr(request, "resolver_match", None)
    target = getattr(match.func, "refusal_returns_to", None) if match is not None else None
    if target is not None:
        url_name, arguments = target
        return reverse(url_name, kwargs={name: match.kwargs[name] for name in arguments})
    return safe_referer(request) or request.get_full_path()


def json_error(status: int, code: str, message: Promise) -> JsonResponse:
    return JsonResponse(DomainError(message, status=status, code=code).to_dict(), status=status)


def error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """What the caller sees of a refusal: JSON for scripts; on pages, the message on the page
    the request came from (or, for a page that was only being read, an error page)."""
    if wants_json(request):
        return JsonResponse(error.to_dict(), status=error.status)
    if request.method in ("GET", "HEAD"):
        return render(request, "error.html", {"message": error.text()}, status=error.status)
    messages.error(request, error.text())
    back = _back(request)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(back)
    return redirect(back)


class DomainErrorMiddleware:
    """Turns a `DomainError` raised by any view into its response; for scripts and the API it
    also answers 403 and 404 as JSON, in the same shape."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return error_response(request, exception)
        if wants_json(request):
            if isinstance(exception, PermissionDenied):
                return json_error(403, "forbidden", _("Brak uprawnień."))
            if isinstance(exception, Http404):
                return json_error(404, "not_found", _("Nie znaleziono."))
        return None


class FormRefusal:
    """What `refusals_on` caught: falsy while nothing was refused."""

    def __init__(self) -> None:
        self.error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        return self.error.status if self.error is not None else 200


@contextmanager
def refusals_on(form: forms.Form) -> Iterator[FormRefusal]:
    """Pages whose form holds much typing show a refusal on the form itself, so nothing typed
    is lost: within this block a `DomainError` becomes an error of the whole form (its error
    summary), and the refusal's status is the page's."""
    refusal = FormRefusal()
    try:
        yield refusal
    except DomainError as error:
        refusal.error = error
        form.add_error(None, error.text())
