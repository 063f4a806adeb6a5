from collections.abc import Callable

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
