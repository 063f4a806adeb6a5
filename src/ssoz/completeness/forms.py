"""The completeness pages' choices, named as they appear in the address."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ssoz.completeness.models import EntityState
from ssoz.completeness.selectors import GROUPINGS, NotReportedFilter
from ssoz.lib.ids import parse_int
from ssoz.registry.models import EntityType
from ssoz.registry.teryt import Voivodeship

_COUNTY = re.compile(r"[0-9]{4}")


class ScopeForm(forms.Form):
    """The central administrator's choice of a voivodeship; a regional administrator has
    none (she reads her own)."""

    wojewodztwo = forms.ChoiceField(
        label=_("Województwo"),
        choices=[("", _("wszystkie"))] + list(Voivodeship.choices),
        required=False,
        error_messages={"invalid_choice": _("Wybierz województwo z listy.")},
    )

    def __init__(self, *args, central: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not central:
            del self.fields["wojewodztwo"]

    def voivodeship(self) -> str | None:
        return self.cleaned_data.get("wojewodztwo") or None


class SummaryForm(ScopeForm):
    grupuj = forms.ChoiceField(
        label=_("Grupuj według"),
        choices=[(name, label) for name, (_column, label) in GROUPINGS.items()],
        required=False,
        error_messages={"invalid_choice": _("Wybierz sposób grupowania z listy.")},
    )

    field_order = ["grupuj", "wojewodztwo"]


class NotReportedForm(ScopeForm):
    stan = forms.ChoiceField(
        label=_("Stan"),
        choices=[("", _("wszystkie"))]
        + [(state.value, state.label) for state in EntityState.not_sent()],
        required=False,
        error_messages={"invalid_choice": _("Wybierz stan z listy.")},
    )
    typ = forms.ChoiceField(
        label=_("Typ jednostki"),
        choices=[("", _("wszystkie"))] + list(EntityType.choices),
        required=False,
        error_messages={"invalid_choice": _("Wybierz typ jednostki z listy.")},
    )
    powiat = forms.CharField(
        label=_("Powiat (kod TERYT)"),
        help_text=_("Cztery cyfry, np. 1465."),
        required=False,
        max_length=4,
        error_messages={"max_length": _("Kod TERYT powiatu ma cztery cyfry.")},
    )
    strona = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_powiat(self) -> str:
        county = self.cleaned_data["powiat"].strip()
        if county and not _COUNTY.fullmatch(county):
            raise forms.ValidationError(_("Kod TERYT powiatu ma cztery cyfry."))
        return county

    def clean_strona(self) -> int:
        # A page beyond the last shows the last one; anything that is not a page, the first.
        return parse_int(self.cleaned_data["strona"], minimum=1, maximum=10**6) or 1

    def filters(self) -> NotReportedFilter:
        chosen = self.cleaned_data
        return NotReportedFilter(
            state=chosen.get("stan") or None,
            entity_type=chosen.get("typ") or None,
            county=chosen.get("powiat") or None,
        )

    def query(self) -> dict[str, str]:
        """The chosen filters as they go in the address (without the page)."""
        return {
            name: str(value)
            for name, value in self.cleaned_data.items()
            if value and name != "strona"
        }


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód zwolnienia"),
        help_text=_("Np. likwidacja podmiotu, zawieszenie działalności, brak tej działalności."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Podaj powód zwolnienia z obowiązku.")},
    )
