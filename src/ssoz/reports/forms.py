"""The reporter's small forms: the choice of whom a report is for."""

from django import forms
from django.utils.translation import gettext_lazy as _

COLLECTIVE = "collective"
UNITS = "units"


class ChooseLevelForm(forms.Form):
    """„Uzupełnij zbiorczo…” or „Uzupełnij indywidualnie…” with the ticked units. The units
    are choices among the entity's own, so nothing else can be posted in."""

    action = forms.ChoiceField(choices=[(COLLECTIVE, COLLECTIVE), (UNITS, UNITS)])
    units = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units_by_id = {str(unit.pk): unit for unit in units}
        self.fields["units"].choices = [(pk, pk) for pk in self.units_by_id]
        self.fields["units"].error_messages["invalid_choice"] = _(
            "Zaznaczona jednostka nie należy do podmiotu."
        )

    @property
    def collective(self) -> bool:
        return self.cleaned_data["action"] == COLLECTIVE

    @property
    def chosen_units(self) -> list:
        return [self.units_by_id[pk] for pk in self.cleaned_data.get("units", [])]


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Co trzeba poprawić"),
        help_text=_("Administrator zobaczy to przy sprawozdaniu i może je otworzyć do korekty."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Napisz, co trzeba poprawić w zatwierdzonym sprawozdaniu.")},
    )
