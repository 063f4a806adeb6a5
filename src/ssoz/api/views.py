"""„Tokeny API”: on her account page, a person creates, names, scopes and revokes the tokens
with which her systems call the API. A new token's secret is shown once."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ssoz.api import tokens
from ssoz.api.forms import NewTokenForm
from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import client_ip

_NEW_SECRET = "new_api_token"  # noqa: S105 (the session key it is kept under)


@never_cache  # the page may hold a new secret: no cache keeps it
def token_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    allowed = tokens.may_hold_tokens(user)
    form = NewTokenForm(request.POST or None)
    # The new secret is shown on the page the creation leads to, once: a reload (or the back
    # button) neither shows it again nor creates another token.
    secret = request.session.pop(_NEW_SECRET, None) if request.method == "GET" else None
    status = 200
    if request.method == "POST" and allowed:
        if form.is_valid():
            new = tokens.create_token(
                actor=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                ip_address=client_ip(request),
            )
            request.session[_NEW_SECRET] = new.secret
            return redirect("tokens:list")
        status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "allowed": allowed,
            "form": form,
            "secret": secret,
            "tokens": user.api_tokens.all() if allowed else [],
            "now": timezone.now(),
        },
        status=status if allowed else 403,
    )


@require_POST
@refusal_returns_to("tokens:list")
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.revoke_token(
        actor=request.user, token_id=token_id, ip_address=client_ip(request)
    )
    messages.success(request, _("Unieważniono token „%(name)s”.") % {"name": token.name})
    return redirect("tokens:list")
