"""What an administrator asks an export for, named as the fields appear in the post."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ssoz.exports.models import ExportFormat, ExportKind
from ssoz.publications.forms import RadioGroup

LABELS = [
    ("pl", _("kody i nazwy po polsku")),
    ("en", _("kody i nazwy po angielsku")),
    ("kody", _("same kody")),
]


class ExportForm(forms.Form):
    zawartosc = forms.ChoiceField(
        label=_("Zawartość"),
        choices=[(kind.value, kind.label) for kind in (ExportKind.MICRODATA, ExportKind.RULES)],
        initial=ExportKind.MICRODATA,
        widget=RadioGroup,
        error_messages={
            "required": _("Wybierz, co wyeksportować."),
            "invalid_choice": _("Wybierz zawartość z listy."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format pliku"),
        choices=ExportFormat.choices,
        initial=ExportFormat.CSV_POLISH,
        widget=RadioGroup,
        error_messages={
            "required": _("Wybierz format pliku."),
            "invalid_choice": _("Wybierz format z listy."),
        },
    )
    naglowek = forms.ChoiceField(
        label=_("Nagłówek kolumn"),
        choices=LABELS,
        initial="pl",
        # A select with no empty first option may not say `required` in HTML (Django leaves it
        # out); assistive technology still hears that the starred field is required.
        widget=forms.Select(attrs={"aria-required": "true"}),
        error_messages={"invalid_choice": _("Wybierz nagłówek z listy.")},
    )
    wszystkie = forms.BooleanField(
        label=_("Także sprawozdania wysłane, jeszcze niezatwierdzone"), required=False
    )

    def __init__(self, *args, with_records: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The cards are a choice only for a form with repeating records (MZ/Szp-11B).
        if with_records:
            self.fields["zawartosc"].choices = [
                *self.fields["zawartosc"].choices,
                (ExportKind.RECORDS.value, ExportKind.RECORDS.label),
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == ExportFormat.SDMX and cleaned.get("zawartosc") in (
            ExportKind.RULES,
            ExportKind.RECORDS,
        ):
            self.add_error(
                "format",
                _("Wyniki reguł i karty to nie zestawienia liczb: wybierz CSV albo XLSX."),
            )
        return cleaned

    @property
    def labels(self) -> str | None:
        chosen = self.cleaned_data["naglowek"]
        return None if chosen == "kody" else chosen


class TableExportForm(forms.Form):
    """The „Wyniki” table's export: its format; the table's query comes with it."""

    format = forms.ChoiceField(
        label=_("Format pliku"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        error_messages={
            "required": _("Wybierz format pliku."),
            "invalid_choice": _("Wybierz format z listy."),
        },
    )
