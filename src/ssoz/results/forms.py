"""The aggregate page's choices, named as they appear in the address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ssoz.accounts.access import reads_the_whole_country
from ssoz.registry.teryt import Voivodeship
from ssoz.results.aggregates import BREAKDOWNS

COUNTRY = ""
# The breakdowns' choices, from the one table of them.
BREAKDOWN_CHOICES = [(name, breakdown.label) for name, breakdown in BREAKDOWNS.items()]


def scope_choices(user) -> list[tuple[str, str]]:
    """The scopes a reader may ask results for (`aggregates.scope_for` decides them): the
    country or any voivodeship unsuppressed, or the country under confidentiality and her own
    voivodeship."""
    if reads_the_whole_country(user):
        return [(COUNTRY, _("cały kraj")), *Voivodeship.choices]
    return [
        (COUNTRY, _("cały kraj (z tajemnicą statystyczną)")),
        (user.voivodeship, user.get_voivodeship_display()),
    ]


class AggregateForm(forms.Form):
    cecha = forms.ChoiceField(
        label=_("Pozycja formularza"),
        error_messages={"invalid_choice": _("Wybierz pozycję formularza z listy.")},
    )
    wedlug = forms.ChoiceField(
        label=_("Według"),
        choices=BREAKDOWN_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Wybierz podział z listy.")},
    )
    kolumny = forms.ChoiceField(
        label=_("Kolumny według (nieobowiązkowe)"),
        choices=[("", _("bez podziału")), *BREAKDOWN_CHOICES],
        required=False,
        error_messages={"invalid_choice": _("Wybierz podział kolumn z listy.")},
    )
    zakres = forms.ChoiceField(
        label=_("Zakres"),
        required=False,
        error_messages={"invalid_choice": _("Wybierz zakres z listy.")},
    )
    wszystkie = forms.BooleanField(
        label=_("Także sprawozdania wysłane, jeszcze niezatwierdzone"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        columns = cleaned.get("kolumny")
        if columns and columns == (cleaned.get("wedlug") or "wojewodztwo"):
            self.add_error("kolumny", _("Wybierz do kolumn inny podział niż do wierszy."))
        return cleaned

    def __init__(self, *args, figures: list[tuple[str, str]], user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cecha"].choices = figures
        if figures:
            self.fields["cecha"].initial = figures[0][0]
        self.fields["zakres"].choices = scope_choices(user)


MAX_ENTITY_ID = 2_147_483_647
SURVEY_TABLES = {
    "rozklad": _("rozkład poziomów"),
    "wojewodztwa": _("średnie według województw"),
    "typy": _("średnie według typów jednostek"),
    "podmiot": _("obszary podmiotu i grupy porównawczej"),
}


class SurveyResultsForm(forms.Form):
    """The survey results page's choices: the scope, which reports count, and one entity
    found by its name or REGON."""

    zakres = forms.ChoiceField(
        label=_("Zakres"),
        required=False,
        error_messages={"invalid_choice": _("Wybierz zakres z listy.")},
    )
    wszystkie = forms.BooleanField(
        label=_("Także sprawozdania wysłane, jeszcze niezatwierdzone"),
        required=False,
    )
    szukaj = forms.CharField(
        label=_("Podmiot: nazwa lub REGON"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Wpisz najwyżej %(limit_value)d znaków.")},
    )
    podmiot = forms.IntegerField(
        label=_("Podmiot"),
        required=False,
        min_value=1,
        max_value=MAX_ENTITY_ID,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Wybierz podmiot z listy."),
            "min_value": _("Wybierz podmiot z listy."),
            "max_value": _("Wybierz podmiot z listy."),
        },
    )
    tabela = forms.ChoiceField(
        label=_("Tabela"),
        required=False,
        choices=[("", "")] + list(SURVEY_TABLES.items()),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Wybierz tabelę z listy.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zakres"].choices = scope_choices(user)

    def clean_szukaj(self) -> str:
        return " ".join(self.cleaned_data["szukaj"].split())

    def clean(self):
        cleaned = super().clean()
        # The entity is chosen from the list under the search box: a bad choice is told there.
        if "podmiot" in self.errors:
            del self.errors["podmiot"]
            self.add_error("szukaj", _("Wybierz podmiot z listy."))
        return cleaned
