import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user who must change the password may still open.
_ALLOWED_NAMES = ("accounts:change_password", "accounts:logout", "set_language")


class ForcePasswordChangeMiddleware:
    """After logging in with a temporary password the user must set a new one first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in _ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:change_password")
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Renews a session's idle expiry at most once every SESSION_RENEW_AFTER seconds.

    Saving the session on every request (Django's SESSION_SAVE_EVERY_REQUEST) costs a database
    write per request, the background save's every few seconds included. Renewing only when a
    little of the idle time has passed keeps the expiry within that little of exact.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            renewed = session.get(self.KEY, 0)
            if not isinstance(renewed, int) or now - renewed >= settings.SESSION_RENEW_AFTER:
                session[self.KEY] = now
        return self.get_response(request)
