"""Small helpers about the request itself."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


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
