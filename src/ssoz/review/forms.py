"""The review queue's filters and the reviewers' comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ssoz.registry.teryt import Voivodeship


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
