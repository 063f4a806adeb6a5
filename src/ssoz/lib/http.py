"""Small helpers about the request itself."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as django-axes found it (behind the proxy), else the socket's."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def json_view(view):
    """Marks a view whose callers read JSON (the background save, the API): its refusals
    and errors are answered as JSON too."""
    view.answers_json = True
    return view


def wants_json(request: HttpRequest) -> bool:
    """The caller reads JSON: a view marked with `json_view`, the API, or a script of ours
    that says so in Accept."""
    match = getattr(request, "resolver_match", None)
    if match is not None and getattr(match.func, "answers_json", False):
        return True
    return request.path.startswith("/api/") or request.headers.get("Accept", "").startswith(
        "application/json"
    )


def safe_referer(request: HttpRequest) -> str | None:
    """The page the request came from, when it is one of ours."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def attachment(response, name: str, extension: str):
    """Mark `response` as a download named after `name`, reduced to ASCII letters, digits,
    dashes and underscores (a header carries no Polish letters safely everywhere)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in name)
    response["Content-Disposition"] = f'attachment; filename="{safe}.{extension}"'
    return response


def safe_next(request: HttpRequest) -> str | None:
    """The `next` address of the request (posted or in the query), when it is a path of
    ours (a bare word would be taken for the name of a view)."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than REQUEST_MAX_BYTES before anything reads it.

    Django bounds the form fields it parses, but streams uploaded files of any size to disk
    before a form can look at them; this bounds every upload at the door. (The reverse proxy
    should refuse them even earlier.)"""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            if request.path.startswith("/api/"):
                from ssoz.lib.errors import DomainError  # it answers JSON through this module

                return JsonResponse(
                    DomainError(
                        _("Żądanie jest za duże (najwyżej %(limit)d MB)."),
                        {"limit": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                        status=413,
                        code="too_large",
                    ).to_dict(),
                    status=413,
                )
            return render(
                request,
                "413.html",
                {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
