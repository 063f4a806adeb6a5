from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssoz.accounts import access, services, throttling
from ssoz.accounts.captcha import IMAGE, TEXT
from ssoz.accounts.forms import (
    ChangePasswordForm,
    FormReceivedForm,
    LoginForm,
    PasswordReminderForm,
    RegistrationForm,
    RejectForm,
    SetNewPasswordForm,
)
from ssoz.accounts.models import AccountEvent, ApplicationStatus
from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import client_ip, safe_next
from ssoz.lib.pdf import render_pdf
from ssoz.publications.assignment import survey_is_due

_PENDING_SESSION_KEY = "pending_application_token"


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    """The log-in page: „Zaloguj się”, „Nie masz konta? Zarejestruj”, „przypomnij hasło”."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    ip_address = client_ip(request)
    address_locked = throttling.address_is_locked(ip_address)
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and not address_locked and form.is_valid():
        user = form.user
        temporary = getattr(user, "logged_in_with_temporary_password", False)
        login(request, user)
        request.session.pop(_PENDING_SESSION_KEY, None)
        kind = AccountEvent.Kind.LOGGED_IN_TEMPORARY if temporary else AccountEvent.Kind.LOGGED_IN
        services.log_event(user, kind, actor=user, ip_address=ip_address)
        if user.must_change_password:
            return redirect("accounts:change_password")
        target = safe_next(request) or reverse("portal:home")
        if survey_is_due(user):
            # The assignment survey of the reporting year comes first (domain.md 1.2).
            return redirect(
                f"{reverse('publications:assignment_survey')}?{urlencode({'next': target})}"
            )
        return redirect(target)
    pending_token = request.session.get(_PENDING_SESSION_KEY)
    status = 429 if address_locked and request.method == "POST" else 200
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "address_locked": address_locked,
            "pending_registration": services.pending_from_token(pending_token)
            if pending_token
            else None,
            "pending_token": pending_token,
        },
        status=status,
    )


def locked_out(request: HttpRequest, response: HttpResponse, credentials: dict) -> HttpResponse:
    """What django-axes shows when an account is locked: the honest reason and the way out."""
    username = throttling.canonical_username(request, credentials)
    until = throttling.locked_until(username)
    form = LoginForm(request, initial={"login": request.POST.get("login", "")})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_until": until, "account_locked": True},
        status=429,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """„Wyloguj się”."""
    user = request.user
    services.log_event(
        user, AccountEvent.Kind.LOGGED_OUT, actor=user, ip_address=client_ip(request)
    )
    logout(request)
    messages.success(request, _("Wylogowano. Do zobaczenia!"))
    return redirect("accounts:login")


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """„Nie masz konta? Zarejestruj”: the registration page."""
    requested_mode = request.POST.get("captcha_mode", request.GET.get("kod"))
    captcha_mode = TEXT if requested_mode == TEXT else IMAGE
    action = request.POST.get("action", "register") if request.method == "POST" else None
    if action == "switch_captcha":
        captcha_mode = TEXT if captcha_mode == IMAGE else IMAGE
    if request.htmx and request.htmx.target == "unit-block":
        # Leaving the REGON field or choosing „Jednostka” refreshes just the unit's fields.
        form = RegistrationForm(captcha_mode=captcha_mode, lookup=request.GET.dict())
        context = {**_register_context(form), "oob": True}
        return render(request, "accounts/register.html#unit-block", context)
    if action == "register":
        form = RegistrationForm(request.POST, captcha_mode=captcha_mode)
    else:
        # A look-up in the registry or a captcha switch (the no-JavaScript round trips) keeps
        # what was typed but shows no errors yet.
        form = RegistrationForm(
            captcha_mode=captcha_mode, lookup=request.POST.dict() if action else None
        )
    if action == "register" and form.is_valid():
        cleaned = form.cleaned_data
        token = services.register_account(
            account=services.NewAccount(
                username=cleaned["username"],
                password=cleaned["password1"],
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
                email=cleaned["email"],
                phone=cleaned["phone"],
                entity=cleaned["entity"],
                financial_reports=cleaned["financial_reports"],
                psychiatric_card_only=cleaned["psychiatric_card_only"],
            ),
            ip_address=client_ip(request),
        )
        request.session[_PENDING_SESSION_KEY] = token
        messages.success(
            request,
            _(
                "Konto zostało zarejestrowane i czeka na aktywację. Pobierz formularz "
                "rejestracyjny, wydrukuj, podpisz i wyślij na adres wskazany w jego lewym "
                "górnym rogu."
            ),
        )
        return redirect("accounts:login")
    status = 400 if action == "register" else 200
    return render(request, "accounts/register.html", _register_context(form), status=status)


def _register_context(form: RegistrationForm) -> dict:
    entity = form.selected_entity()
    return {
        "form": form,
        "entity": entity,
        "office": services.responsible_office(entity) if entity else None,
    }


@login_not_required
def registration_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The registration form to print, sign and send to the administrator."""
    registration = services.pending_from_token(token)
    if registration is None:
        raise Http404
    return _registration_pdf_response(registration)


def _registration_pdf_response(registration: services.PendingRegistration) -> HttpResponse:
    pdf = render_pdf(
        "accounts/registration_form_pdf.html",
        {
            "registration": registration,
            "office": services.responsible_office(registration.entity),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ssoz-formularz-rejestracyjny-{registration.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
def password_reminder(request: HttpRequest) -> HttpResponse:
    """„przypomnij hasło”: mails a temporary password.

    The answer never tells whether the account exists."""
    form = PasswordReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_temporary_password(
            identifier=form.cleaned_data["identifier"], ip_address=client_ip(request)
        )
        messages.info(
            request,
            _(
                "Jeśli konto o podanym loginie lub adresie e-mail istnieje i jest aktywne, "
                "wysłaliśmy na jego adres e-mail hasło robocze. Zaloguj się nim, a system "
                "poprosi o ustawienie nowego hasła."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_reminder.html", {"form": form})


def change_password(request: HttpRequest) -> HttpResponse:
    user = request.user
    form_class = SetNewPasswordForm if user.must_change_password else ChangePasswordForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            user=user,
            new_password=form.cleaned_data["new_password1"],
            ip_address=client_ip(request),
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Hasło zostało zmienione."))
        return redirect("portal:home")
    return render(
        request,
        "accounts/change_password.html",
        {"form": form, "forced": user.must_change_password},
        status=400 if form.is_bound and form.errors else 200,
    )


# Administrators' pages for registration applications.


def application_list(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    show = request.GET.get("stan", ApplicationStatus.PENDING)
    if show not in ApplicationStatus.values:
        show = ApplicationStatus.PENDING
    applications = access.applications_visible_to(request.user).filter(status=show)
    counts = {
        status: access.applications_visible_to(request.user).filter(status=status).count()
        for status in ApplicationStatus.values
    }
    return render(
        request,
        "accounts/application_list.html",
        {
            "applications": applications.order_by("submitted_at"),
            "show": show,
            "statuses": [
                (s, ApplicationStatus(s).label, counts[s]) for s in ApplicationStatus.values
            ],
        },
    )


@refusal_returns_to("accounts:application_detail", "application_id")
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_admin(request.user, application_id)
    received_form = FormReceivedForm()
    reject_form = RejectForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        ip_address = client_ip(request)
        # A refusal (decided meanwhile by another administrator) is shown on this page.
        if action == "received":
            received_form = FormReceivedForm(request.POST, request.FILES)
            if received_form.is_valid():
                services.mark_form_received(
                    application=application,
                    actor=request.user,
                    scan=received_form.cleaned_data["scan"],
                    ip_address=ip_address,
                )
                messages.success(request, _("Odnotowano otrzymanie podpisanego formularza."))
                return redirect("accounts:application_detail", application.pk)
        elif action == "activate":
            services.activate_account(
                application=application, actor=request.user, ip_address=ip_address
            )
            messages.success(
                request,
                _("Konto %(login)s zostało aktywowane; wysłano e-mail do użytkownika.")
                % {"login": application.user.username},
            )
            return redirect("accounts:application_list")
        elif action == "reject":
            reject_form = RejectForm(request.POST)
            if reject_form.is_valid():
                services.reject_application(
                    application=application,
                    actor=request.user,
                    reason=reject_form.cleaned_data["reason"],
                    ip_address=ip_address,
                )
                messages.success(request, _("Wniosek został odrzucony; wysłano e-mail z powodem."))
                return redirect("accounts:application_list")
        else:
            messages.error(request, _("Nieznana operacja."))
        status = 400
    return render(
        request,
        "accounts/application_detail.html",
        {
            "application": application,
            "received_form": received_form,
            "reject_form": reject_form,
            "events": application.user.events.select_related("actor")[:50],
            "office": services.responsible_office(application.entity),
        },
        status=status,
    )


def application_scan(request: HttpRequest, application_id: int) -> FileResponse:
    application = access.get_application_for_admin(request.user, application_id)
    if not application.form_scan:
        raise Http404
    return FileResponse(application.form_scan.open("rb"), as_attachment=True)


def application_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_admin(request.user, application_id)
    return _registration_pdf_response(services.PendingRegistration.of_application(application))
