from django import forms
from django.utils.translation import gettext_lazy as _

from ssoz.api.models import ApiToken
from ssoz.api.tokens import LIFETIMES_DAYS
from ssoz.publications.forms import RadioGroup


class NewTokenForm(forms.Form):
    """„Utwórz token”: what the token is for, what it may do, and for how long."""

    name = forms.CharField(
        label=_("Nazwa tokenu"),
        max_length=100,
        help_text=_("Po nazwie rozpoznasz token na liście, np. „System HIS szpitala”."),
    )
    scope = forms.ChoiceField(
        label=_("Zakres"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=RadioGroup,
    )
    days = forms.TypedChoiceField(
        label=_("Ważny przez"),
        coerce=int,
        choices=[(days, _("%(days)d dni") % {"days": days}) for days in LIFETIMES_DAYS],
        initial=90,
    )
