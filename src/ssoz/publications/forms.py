"""The publishing page's forms: the version chooser and „Publikacja formularza”."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ssoz.definitions.models import FormVersion, Period
from ssoz.publications import audience as audiences
from ssoz.publications import condition
from ssoz.publications.services import default_deadline
from ssoz.registry.codes import ACTIVITY_KINDS, PRACTICE_LEGAL_FORMS
from ssoz.registry.models import EntityType, VerifyingOffice
from ssoz.registry.teryt import Voivodeship

BY_TYPE = "types"
BY_REGON = "regons"


class _GroupLabelMixin:
    """Checkboxes and radio buttons are rendered in a fieldset whose id is the field's own, so
    the error summary can link to the group rather than to nothing."""

    def id_for_label(self, id_, index=None):
        if index is None:
            return id_
        return super().id_for_label(id_, index)


class CheckboxGroup(_GroupLabelMixin, forms.CheckboxSelectMultiple):
    pass


class RadioGroup(_GroupLabelMixin, forms.RadioSelect):
    pass


class ChooseVersionForm(forms.Form):
    wersja = forms.ModelChoiceField(
        label=_("Wersja formularza"),
        queryset=FormVersion.objects.select_related("definition")
        .defer("data", "source")
        .order_by("definition__code", "-version"),
        empty_label=_("— wybierz —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wersja"].label_from_instance = version_label


def version_label(version: FormVersion) -> str:
    definition = version.definition
    english = (get_language() or "pl").startswith("en")
    title = definition.title_en if english else definition.title_pl
    return _("%(code)s – %(title)s, wersja %(version)s (%(kind)s, %(period)s)") % {
        "code": definition.code,
        "title": title,
        "version": version.version,
        "kind": version.get_kind_display(),
        "period": version.get_period_display(),
    }


class PublishForm(forms.Form):
    """„Publikacja formularza”: the period, the deadline and the audience of one version."""

    year = forms.IntegerField(label=_("Rok"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Kwartał"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Miesiąc"),
        choices=[("", "—")] + [(number, f"{number:02d}") for number in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    deadline = forms.DateField(
        label=_("Termin przekazania"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    preliminary_deadline = forms.DateField(
        label=_("Termin wstępny (nieobowiązkowy)"),
        help_text=_(
            "Dla formularzy z dwoma terminami, np. MZ-03: dane wstępne do tego dnia, "
            "ostateczne do terminu przekazania."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    audience = forms.ChoiceField(
        label=_("Sposób wyboru adresatów"),
        choices=[
            (BY_TYPE, _("Podmioty wybranych typów z wybranych województw")),
            (BY_REGON, _("Podmioty z listy numerów REGON")),
        ],
        initial=BY_TYPE,
        widget=RadioGroup,
    )
    entity_types = forms.MultipleChoiceField(
        label=_("Typy jednostek"),
        help_text=_("Typy, dla których jest formularz; przy wyborze wg typów i województw."),
        required=False,
        widget=CheckboxGroup,
    )
    voivodeships = forms.MultipleChoiceField(
        label=_("Województwa"),
        help_text=_("Przy wyborze wg typów i województw."),
        choices=Voivodeship.choices,
        required=False,
        widget=CheckboxGroup,
    )
    activity_codes = forms.MultipleChoiceField(
        label=_("Rodzaj działalności jednostek (część VI)"),
        help_text=_(
            "Sprawozdają podmioty, które mają czynną jednostkę o zaznaczonym rodzaju "
            "działalności. Nic nie zaznaczone: bez tego warunku."
        ),
        choices=list(ACTIVITY_KINDS.items()),
        required=False,
        widget=CheckboxGroup,
    )
    specialty_codes = forms.CharField(
        label=_("Specjalności komórek (część VIII)"),
        help_text=_(
            "Kody czterocyfrowe po przecinku, np. 5160, 5170. Sprawozdają podmioty, które mają "
            "czynną komórkę o jednym z tych kodów. Puste: bez tego warunku."
        ),
        required=False,
        max_length=condition.MAX_SPECIALTY_CODES * 6,
    )
    nfz_contract = forms.ChoiceField(
        label=_("Umowa z NFZ"),
        choices=[
            ("", _("bez znaczenia")),
            ("yes", _("tylko podmioty z umową z NFZ")),
            ("no", _("tylko podmioty bez umowy z NFZ")),
        ],
        required=False,
        widget=RadioGroup,
    )
    excluded_legal_forms = forms.MultipleChoiceField(
        label=_("Nie sprawozdają praktyki o kodach (część IV)"),
        choices=list(PRACTICE_LEGAL_FORMS.items()),
        required=False,
        widget=CheckboxGroup,
    )
    verifiers = forms.ModelMultipleChoiceField(
        label=_("Weryfikuje inny urząd niż wojewódzki"),
        help_text=_(
            "W województwie zaznaczonego urzędu sprawozdania weryfikuje ten urząd zamiast "
            "urzędu wojewódzkiego. Nic nie zaznaczone: wszędzie urząd wojewódzki."
        ),
        queryset=VerifyingOffice.objects.all(),
        required=False,
        widget=CheckboxGroup,
    )
    assignment_question = forms.CharField(
        label=_("Pytanie ankiety przypisującej (nieobowiązkowe)"),
        help_text=_(
            "Np. „Czy podmiot udziela ambulatoryjnych świadczeń zdrowotnych?”. Przy pierwszym "
            "logowaniu w roku sprawozdawczym sprawozdawcy odpowiadają na nie: „tak” dodaje "
            "obowiązek, „nie” zwalnia z niego."
        ),
        required=False,
        max_length=300,
    )
    regons = forms.CharField(
        label=_("Numery REGON"),
        help_text=_(
            "Przy wyborze wg listy: jeden numer w wierszu albo kilka po przecinku; REGON "
            "podmiotu (9 cyfr) albo jednostki lokalnej (14 cyfr)."
        ),
        required=False,
        max_length=audiences.MAX_REGONS * 16,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def __init__(self, *args, form_version: FormVersion, **kwargs):
        self.form_version = form_version
        self.regon_list: audiences.RegonList | None = None
        self.condition: condition.FilingCondition | None = None
        self.quarterly = form_version.period == Period.QUARTER
        self.monthly = form_version.period == Period.MONTH
        compiled = form_version.compiled()
        allowed = compiled.entity_types
        type_choices = [
            (v, label) for v, label in EntityType.choices if not allowed or v in allowed
        ]
        year = timezone.localdate().year - 1
        initial = {
            "year": year,
            "entity_types": [value for value, _label in type_choices],
            "voivodeships": list(Voivodeship.values),
            "audience": BY_TYPE,
        }
        if not (self.quarterly or self.monthly) and compiled.deadline is not None:
            initial["deadline"] = compiled.deadline.due(year, None)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["entity_types"].choices = type_choices
        if self.quarterly:
            self.fields["quarter"].required = True
        else:
            del self.fields["quarter"]
        if self.monthly:
            self.fields["month"].required = True
        else:
            del self.fields["month"]
        self.fields["deadline"].help_text = (
            _("Puste: termin z definicji formularza.")
            if compiled.deadline is not None
            else _("Definicja formularza nie określa terminu: podaj go.")
        )

    def clean(self):
        cleaned = super().clean()
        year, quarter, month = cleaned.get("year"), cleaned.get("quarter"), cleaned.get("month")
        if year is not None and not cleaned.get("deadline") and "deadline" not in self.errors:
            deadline = default_deadline(self.form_version, year, quarter, month)
            if deadline is None:
                if not (self.quarterly or self.monthly) or (quarter or month) is not None:
                    self.add_error("deadline", _("Podaj termin przekazania."))
            else:
                cleaned["deadline"] = deadline
        preliminary = cleaned.get("preliminary_deadline")
        deadline = cleaned.get("deadline")
        if preliminary is not None and deadline is not None and preliminary >= deadline:
            self.add_error(
                "preliminary_deadline",
                _("Termin wstępny musi być wcześniejszy niż termin przekazania."),
            )
        if cleaned.get("audience") == BY_TYPE:
            if not cleaned.get("entity_types"):
                self.add_error("entity_types", _("Zaznacz co najmniej jeden typ jednostki."))
            if not cleaned.get("voivodeships"):
                self.add_error("voivodeships", _("Zaznacz co najmniej jedno województwo."))
            self.condition = self._condition(cleaned)
        elif cleaned.get("audience") == BY_REGON and "regons" not in self.errors:
            text = cleaned.get("regons", "")
            if not text.strip():
                self.add_error("regons", _("Wklej numery REGON podmiotów."))
            else:
                self.regon_list = audiences.resolve_regons(text, self.form_version)
                problems = self.regon_list.problems
                if problems:
                    messages = [
                        str(problem) for problem in problems[: audiences.MAX_PROBLEMS_SHOWN]
                    ]
                    if len(problems) > audiences.MAX_PROBLEMS_SHOWN:
                        messages.append(
                            _("…i jeszcze %(count)d błędnych numerów.")
                            % {"count": len(problems) - audiences.MAX_PROBLEMS_SHOWN}
                        )
                    self.add_error("regons", messages)
        return cleaned

    def clean_specialty_codes(self) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["specialty_codes"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"\d{4}", c)]
        if bad:
            raise forms.ValidationError(
                _("Kod specjalności ma 4 cyfry; popraw: %(codes)s.")
                % {"codes": ", ".join(bad[:10])}
            )
        if len(codes) > condition.MAX_SPECIALTY_CODES:
            raise forms.ValidationError(
                _("Podaj najwyżej %(limit)d kodów.") % {"limit": condition.MAX_SPECIALTY_CODES}
            )
        return sorted(set(codes))

    def _condition(self, cleaned: dict) -> condition.FilingCondition | None:
        if self.errors:
            return None
        return condition.FilingCondition(
            entity_types=tuple(cleaned.get("entity_types") or ()),
            voivodeships=tuple(cleaned.get("voivodeships") or ()),
            activity_codes=tuple(cleaned.get("activity_codes") or ()),
            specialty_codes=tuple(cleaned.get("specialty_codes") or ()),
            nfz_contract={"yes": True, "no": False}.get(cleaned.get("nfz_contract") or ""),
            excluded_legal_forms=tuple(cleaned.get("excluded_legal_forms") or ()),
        )

    @property
    def audience_chosen(self) -> audiences.Audience:
        cleaned = self.cleaned_data
        if cleaned["audience"] == BY_REGON:
            return audiences.audience_by_regons(self.regon_list)
        assert self.condition is not None
        return audiences.audience_by_condition(self.form_version, self.condition)

    @property
    def inputs(self) -> dict:
        """The choices that decide a publication, for the preview's key."""
        cleaned = self.cleaned_data
        by_regon = cleaned["audience"] == BY_REGON
        return {
            "year": cleaned["year"],
            "quarter": cleaned.get("quarter"),
            "month": cleaned.get("month"),
            "deadline": cleaned["deadline"].isoformat(),
            "audience": cleaned["audience"],
            "preliminary_deadline": (
                cleaned["preliminary_deadline"].isoformat()
                if cleaned.get("preliminary_deadline")
                else None
            ),
            "assignment_question": cleaned.get("assignment_question", ""),
            "verifiers": sorted(office.pk for office in cleaned.get("verifiers") or ()),
            "condition": None if by_regon or self.condition is None else self.condition.to_json(),
            "entities": sorted(self.regon_list.entity_ids) if by_regon else [],
        }


class ProgrammeYearForm(forms.Form):
    """The year of the programme the publications list shows, or every year."""

    rok = forms.TypedChoiceField(
        label=_("Rok programu"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rok"].choices = [("", _("wszystkie lata"))] + [(y, y) for y in years]


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("Termin przekazania"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Podaj termin przekazania."),
            "invalid": _("Podaj datę w postaci RRRR-MM-DD."),
        },
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if not 2000 <= deadline.year <= 2100:
            raise forms.ValidationError(_("Podaj datę z lat 2000–2100."))
        return deadline
