from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssoz.accounts import throttling
from ssoz.accounts.captcha import IMAGE, SSOZCaptchaField
from ssoz.accounts.models import ApplicationStatus, DuplicateRegistration, User
from ssoz.accounts.services import PENDING_LINK_DAYS, duplicate_registration_for
from ssoz.lib.ids import parse_id
from ssoz.registry.identifiers import compact_digits, validate_register_book, validate_regon
from ssoz.registry.models import Entity, EntityType
from ssoz.registry.services import find_entities

MAX_SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{9,20}$",
    _("Podaj numer telefonu: 9 cyfr, może być z kierunkowym, np. +48 22 123 45 67."),
)
login_validator = RegexValidator(
    r"^[A-Za-z0-9._\-]{3,40}$",
    _(
        "Login ma od 3 do 40 znaków: litery bez polskich znaków, cyfry, kropka, myślnik, "
        "podkreślnik."
    ),
)


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("Login lub e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Hasło"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        login, password = cleaned.get("login"), cleaned.get("password")
        if not login or not password:
            return cleaned
        self.user = authenticate(self.request, username=login, password=password)
        if getattr(self.request, "axes_locked_out", False):
            # The lockout page says it; nothing more to check.
            raise forms.ValidationError(_("Konto jest czasowo zablokowane."), code="locked")
        if self.user is None:
            raise forms.ValidationError(self._failure_message(login, password), code="invalid")
        return cleaned

    def _failure_message(self, login: str, password: str) -> str:
        account = User.objects.get_by_login_or_email(login)
        own_pending = (
            account is not None and not account.is_active and account.check_password(password)
        )
        if own_pending:
            application = getattr(account, "application", None)
            if application is not None and application.status == ApplicationStatus.REJECTED:
                return gettext("Wniosek o konto został odrzucony: %(reason)s") % {
                    "reason": application.rejection_reason
                }
        # A duplicate registration answers as a pending account does, so that logging in
        # cannot tell whether its e-mail address already had an account.
        if own_pending or duplicate_registration_for(login, password) is not None:
            return gettext(
                "Konto czeka na aktywację. Pobierz formularz rejestracyjny, podpisz go i wyślij "
                "administratorowi wskazanemu w jego lewym górnym rogu."
            )
        left = throttling.failures_left(throttling.canonical_username(self.request, None))
        message = gettext("Nieprawidłowy login lub hasło.")
        if left:
            message += " " + gettext("Pozostałe próby przed czasową blokadą konta: %(count)d.") % {
                "count": left
            }
        return message


class PasswordReminderForm(forms.Form):
    identifier = forms.CharField(
        label=_("Login lub e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj.name} – {obj.address_line}"


class RegistrationForm(forms.Form):
    """The registration page: the user's fields, then the unit's, then the captcha."""

    # Each field that a browser may fill in names its purpose (WCAG 1.3.5): the form itself
    # says autocomplete="off" for the captcha's sake.
    first_name = forms.CharField(
        label=_("Imię"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nazwisko"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    username = forms.CharField(
        label=_("Login"),
        max_length=40,
        validators=[login_validator],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Hasło"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Powtórz hasło"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    entity_type = forms.ChoiceField(
        label=_("Typ jednostki"), choices=[("", "—")] + EntityType.choices
    )
    regon = forms.CharField(
        label=_("REGON"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("9 cyfr REGON podmiotu albo 14 cyfr REGON jednostki lokalnej."),
    )
    register_book = forms.CharField(
        label=_("albo numer księgi rejestrowej (RPWDL)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    entity = EntityChoiceField(
        label=_("Jednostka"),
        queryset=Entity.objects.none(),
        required=False,
        empty_label=_("— wybierz jednostkę —"),
    )
    financial_reports = forms.BooleanField(
        label=_("Użytkownik posiada upoważnienie do sprawozdań finansowych"),
        required=False,
        help_text=_(
            "Zaznaczają tylko osoby, które będą wypełniać sprawozdania finansowe takie jak MZ-03, "
            "MZ-BFA lub Struktura Zobowiązań. Nie dotyczy osób wypełniających ankietę "
            "(proszę nie zaznaczać)."
        ),
    )
    psychiatric_card_only = forms.BooleanField(
        label=_(
            "Konto z uprawnieniami do wypełnienia tylko karty szpitalnej psychiatrycznej MZ/Szp-11B"
        ),
        required=False,
        help_text=_(
            "Zaznacza ten użytkownik, który będzie wypełniał kartę szpitalną psychiatryczną "
            "MZ/Szp-11B. Nie dotyczy osób wypełniających ankietę (proszę nie zaznaczać)."
        ),
    )
    privacy_accepted = forms.BooleanField(
        label=_(
            "Zapoznałem się / zapoznałam się z klauzulą informacyjną "
            "o przetwarzaniu danych osobowych"
        ),
        error_messages={"required": _("Potwierdź, że znasz klauzulę informacyjną.")},
    )

    def __init__(
        self,
        *args: object,
        captcha_mode: str = IMAGE,
        lookup: dict | None = None,
        **kwargs: object,
    ) -> None:
        """`lookup` carries the typed values of an unbound form being filled in (after a
        registry look-up or a captcha switch), so that nothing typed is lost and no error
        is shown before the user presses „Zarejestruj”."""
        if lookup is not None:
            kwargs["initial"] = {
                key: value
                for key, value in lookup.items()
                if not key.startswith(("password", "captcha"))
            }
        super().__init__(*args, **kwargs)
        self.lookup = lookup or {}
        self.fields["captcha"] = SSOZCaptchaField(mode=captcha_mode)
        self.fields["password1"].help_text = gettext(
            "Co najmniej %(count)d znaków. Nie używaj hasła z innych serwisów ani łatwych do "
            "odgadnięcia słów. Dobre hasło to kilka niepowiązanych słów."
        ) % {"count": settings.PASSWORD_MIN_LENGTH}
        self.candidates = self._candidates()
        self.fields["entity"].queryset = self.candidates
        if not self.is_bound and not self.initial.get("entity"):
            only = self.candidates[:2]
            if len(only) == 1:
                # A single unit under the number is chosen for the user, as in the manual.
                self.initial["entity"] = only[0].pk
        # With JavaScript, leaving the REGON field or choosing „Jednostka” refreshes the
        # unit's fields in place; without it the „Wyszukaj” button does the same round trip.
        refresh = {
            "data-hx-get": reverse("accounts:register"),
            "data-hx-trigger": "change",
            "data-hx-target": "#unit-block",
            "data-hx-include": "[name=regon],[name=register_book],[name=entity_type],[name=entity]",
        }
        for name in ("regon", "register_book", "entity"):
            self.fields[name].widget.attrs.update(refresh)

    # The lookup runs on the raw input, before (or without) full validation, so that
    # „Jednostka” can be offered while the rest of the form is still being filled.
    def _source(self):
        return self.data if self.is_bound else self.lookup

    def lookup_keys(self) -> tuple[str, str]:
        regon = compact_digits(str(self._source().get("regon", "")))
        book = compact_digits(str(self._source().get("register_book", "")))
        return regon[:14], book[:12]

    def _candidates(self):
        regon, book = self.lookup_keys()
        return find_entities(regon=regon, register_book=book)

    @property
    def lookup_attempted(self) -> bool:
        regon, book = self.lookup_keys()
        return bool(regon or book)

    def selected_entity(self) -> Entity | None:
        entity_id = parse_id(self._source().get("entity"))
        if entity_id is not None:
            return self.candidates.filter(pk=entity_id).first()
        if self.candidates.count() == 1:
            return self.candidates.first()
        return None

    def full_clean(self) -> None:
        """The captcha is checked first, and alone: until it passes, nothing is said of the
        other fields, so the page cannot be used to learn which logins exist. (Whether an
        e-mail address has an account is never said; see `services.register_account`.)"""
        if not self.is_bound or "captcha" not in self.fields:
            return super().full_clean()
        captcha = self.fields["captcha"]
        try:
            answer = captcha.clean(self["captcha"].data)
        except forms.ValidationError as error:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            self.add_error("captcha", error)
            return None
        # A passed captcha is used up: the other fields are cleaned without it.
        del self.fields["captcha"]
        try:
            super().full_clean()
        finally:
            self.fields["captcha"] = captcha
        if hasattr(self, "cleaned_data"):
            self.cleaned_data["captcha"] = answer
        return None

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        recent = timezone.now() - timedelta(days=PENDING_LINK_DAYS)
        if (
            User.objects.filter(username__iexact=username).exists()
            or DuplicateRegistration.objects.filter(
                username__iexact=username, submitted_at__gt=recent
            ).exists()
        ):
            raise forms.ValidationError(_("Ten login jest już zajęty. Wybierz inny."))
        return username

    def clean_regon(self) -> str:
        value = compact_digits(self.cleaned_data["regon"])
        if value:
            validate_regon(value)
        return value

    def clean_register_book(self) -> str:
        value = compact_digits(self.cleaned_data["register_book"])
        if value:
            validate_register_book(value)
        return value

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("Hasła nie są takie same."), code="password_mismatch")
        return password2

    def clean(self) -> dict:
        cleaned = super().clean()
        regon, book = cleaned.get("regon"), cleaned.get("register_book")
        if "regon" in cleaned and "register_book" in cleaned and not regon and not book:
            self.add_error("regon", _("Podaj REGON jednostki albo numer księgi rejestrowej."))
        elif (regon or book) and not self.candidates.exists():
            self.add_error(
                "regon" if regon else "register_book",
                _(
                    "W rejestrze nie ma jednostki o tym numerze. Sprawdź numer albo skontaktuj "
                    "się z urzędem wojewódzkim, który prowadzi rejestr."
                ),
            )
        entity = cleaned.get("entity")
        if (regon or book) and self.candidates.exists() and entity is None:
            self.add_error("entity", _("Wybierz swoją jednostkę z listy."))
        entity_type = cleaned.get("entity_type")
        if entity is not None and entity_type and entity.entity_type != entity_type:
            self.add_error(
                "entity_type",
                gettext("Wybrana jednostka ma w rejestrze typ „%(type)s”. Wybierz ten typ.")
                % {"type": entity.get_entity_type_display()},
            )
        password = cleaned.get("password1")
        if password:
            probe = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SetNewPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("Nowe hasło"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    new_password2 = forms.CharField(
        label=_("Powtórz nowe hasło"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = gettext(
            "Co najmniej %(count)d znaków; nie może być hasłem roboczym."
        ) % {"count": settings.PASSWORD_MIN_LENGTH}

    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        password_validation.validate_password(password, self.user)
        if self.user.temporary_passwords.filter(used_at__isnull=False).exists() and any(
            temporary.matches(password)
            for temporary in self.user.temporary_passwords.order_by("-created_at")[:1]
        ):
            raise forms.ValidationError(_("Nowe hasło nie może być hasłem roboczym."))
        return password

    def clean_new_password2(self) -> str:
        password1 = self.cleaned_data.get("new_password1")
        password2 = self.cleaned_data["new_password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("Hasła nie są takie same."), code="password_mismatch")
        return password2


class ChangePasswordForm(SetNewPasswordForm):
    """A voluntary change asks for the current password first."""

    old_password = forms.CharField(
        label=_("Obecne hasło"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Obecne hasło jest nieprawidłowe."))
        return password


class FormReceivedForm(forms.Form):
    scan = forms.FileField(
        label=_("Skan podpisanego formularza (nieobowiązkowo)"),
        required=False,
        help_text=_("PDF, JPG albo PNG, najwyżej 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if not scan:
            return None
        if scan.size > settings.SCAN_MAX_BYTES:
            raise forms.ValidationError(_("Plik jest za duży: najwyżej 10 MB."))
        head = scan.read(8)
        scan.seek(0)
        if not (
            head.startswith(b"%PDF")
            or head.startswith(b"\xff\xd8\xff")
            or head.startswith(b"\x89PNG")
        ):
            raise forms.ValidationError(_("Dozwolone są tylko pliki PDF, JPG i PNG."))
        return scan


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód odrzucenia"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wnioskodawca otrzyma ten tekst e-mailem."),
    )
