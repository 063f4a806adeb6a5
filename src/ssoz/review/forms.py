"""The review queue's filters and the reviewers' comments."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ssoz.registry.models import EntityType
from ssoz.registry.teryt import Voivodeship

SORTS = {
    "wyslano": _("data wysłania"),
    "podmiot": _("podmiot"),
    "termin": _("termin"),
}


class QueueFilterForm(forms.Form):
    """The queue's filters, named as they appear in the address."""

    formularz = forms.TypedChoiceField(
        label=_("Formularz"), coerce=int, empty_value=None, required=False
    )
    rok = forms.TypedChoiceField(label=_("Rok"), coerce=int, empty_value=None, required=False)
    wojewodztwo = forms.ChoiceField(
        label=_("Województwo"),
        choices=[("", _("wszystkie"))] + list(Voivodeship.choices),
        required=False,
    )

    powiat = forms.CharField(
        label=_("Powiat (kod TERYT)"),
        help_text=_("Cztery cyfry, np. 1465 – m.st. Warszawa."),
        required=False,
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Kod powiatu to cztery cyfry."))],
    )
    typ = forms.ChoiceField(
        label=_("Typ jednostki"),
        choices=[("", _("wszystkie"))] + list(EntityType.choices),
        required=False,
    )
    ostrzezenia = forms.ChoiceField(
        label=_("Ostrzeżenia"),
        choices=[("", _("wszystkie")), ("tak", _("z ostrzeżeniami")), ("nie", _("bez ostrzeżeń"))],
        required=False,
    )
    szukaj = forms.CharField(
        label=_("Szukaj"),
        help_text=_("REGON, nazwa podmiotu lub numer księgi rejestrowej."),
        required=False,
        max_length=100,
    )
    sortuj = forms.ChoiceField(
        label=_("Sortuj według"), choices=list(SORTS.items()), required=False
    )

    def __init__(self, *args, definitions, years, central: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formularz"].choices = [("", _("wszystkie"))] + [
            (definition.pk, definition.code) for definition in definitions
        ]
        self.fields["rok"].choices = [("", _("wszystkie"))] + [(year, year) for year in years]
        if not central:
            del self.fields["wojewodztwo"]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Uwagi dla sprawozdawcy"),
        help_text=_("Sprawozdawca zobaczy je przy sprawozdaniu i dostanie e-mailem."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Napisz, co trzeba poprawić.")},
    )


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("Czego dotyczy korekta"),
        help_text=_("Sprawozdawca zobaczy to przy sprawozdaniu i dostanie e-mailem."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Napisz, czego dotyczy korekta.")},
    )


class ApproveForm(forms.Form):
    # Not "comment": the review page also holds the return's form, and ids must not repeat.
    note = forms.CharField(
        label=_("Komentarz do zatwierdzenia (nieobowiązkowy)"),
        help_text=_("Sprawozdawca dostanie je e-mailem razem z informacją o zatwierdzeniu."),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód cofnięcia zatwierdzenia"),
        help_text=_("Sprawozdawca dostanie go e-mailem; sprawozdanie wróci do weryfikacji."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Napisz, dlaczego zatwierdzenie jest cofane.")},
    )
