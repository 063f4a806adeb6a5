"""The registry of reporting entities and their organisational units (after RPWDL)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from ssoz.registry.identifiers import (
    validate_nip,
    validate_register_book,
    validate_regon9,
    validate_regon14,
    validate_specialty_code,
    validate_teryt,
)
from ssoz.registry.teryt import Voivodeship


class EntityType(models.TextChoices):
    """The unit type chosen at registration (typ jednostki); it decides reporting duties."""

    HEALTHCARE_PROVIDER = "podmiot_leczniczy", _("Podmiot leczniczy")
    DOCTOR_PRACTICE = "praktyka_lekarska", _("Praktyka lekarska indywidualna i grupowa")
    NURSE_PRACTICE = (
        "praktyka_pielegniarska",
        _("Praktyka pielęgniarki/położnej indywidualna i grupowa"),
    )
    DENTIST_PRACTICE = "praktyka_dentystyczna", _("Praktyka lekarza dentysty")
    PUBLIC_ADMINISTRATION = "administracja", _("Jednostka administracji rządowej i samorządowej")
    MEDICAL_UNIVERSITY = "uczelnia_medyczna", _("Uniwersytet Medyczny lub wyższa szkoła medyczna")
    MEDICAL_CHAMBER = "izba_lekarska", _("Okręgowa Izba Lekarska")
    NURSES_CHAMBER = "izba_pielegniarek", _("Okręgowa Izba Pielęgniarek i Położnych")
    PHARMACISTS_CHAMBER = "izba_aptekarska", _("Okręgowa Izba Aptekarska")
    LAB_DIAGNOSTICIANS_CHAMBER = "kidl", _("Krajowa Izba Diagnostów Laboratoryjnych")
    NATIONAL_HEALTH_FUND = "nfz", _("NFZ – centrala i oddziały")
    BLOOD_CENTRE = "rckik", _("Regionalne Centrum Krwiodawstwa i Krwiolecznictwa")


class Address(models.Model):
    """Postal address with the TERYT code of its commune (gmina)."""

    street = models.CharField(_("ulica"), max_length=120, blank=True)
    building_number = models.CharField(_("nr domu"), max_length=20, blank=True)
    flat_number = models.CharField(_("nr lokalu"), max_length=20, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100)
    teryt = models.CharField(
        _("TERYT gminy"),
        max_length=7,
        validators=[validate_teryt],
        help_text=_("Kod TERC gminy: województwo, powiat, gmina i rodzaj gminy (7 cyfr)."),
    )
    voivodeship = models.GeneratedField(
        expression=Substr("teryt", 1, 2),
        output_field=models.CharField(max_length=2, choices=Voivodeship.choices),
        db_persist=True,
        verbose_name=_("województwo"),
    )
    county = models.GeneratedField(
        expression=Substr("teryt", 1, 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name=_("TERYT powiatu"),
    )

    class Meta:
        abstract = True

    @property
    def address_line(self) -> str:
        number = self.building_number + (f"/{self.flat_number}" if self.flat_number else "")
        street = f"{self.street} {number}".strip() if self.street else f"{self.city} {number}"
        return f"{street}, {self.postal_code} {self.city}".strip(", ")

    @property
    def voivodeship_name(self) -> str:
        return Voivodeship(self.teryt[:2]).label if self.teryt[:2] in Voivodeship.values else ""


class EntityQuerySet(models.QuerySet):
    def with_regon(self, number: str) -> "EntityQuerySet":
        """Entities known under a REGON: its own 9-digit one, or a 14-digit one of its units."""
        if len(number) == 14:
            return self.filter(
                models.Q(units__regon14=number) | models.Q(regon=number[:9])
            ).distinct()
        return self.filter(regon=number)

    def with_register_book(self, number: str) -> "EntityQuerySet":
        return self.filter(register_book_number=number)


class Entity(Address):
    """A reporting entity (podmiot): a health care provider, a practice or another institution."""

    entity_type = models.CharField(_("typ jednostki"), max_length=32, choices=EntityType.choices)
    name = models.CharField(_("nazwa"), max_length=300)
    regon = models.CharField(_("REGON"), max_length=9, unique=True, validators=[validate_regon9])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    register_book_number = models.CharField(
        _("numer księgi rejestrowej"),
        max_length=12,
        blank=True,
        db_index=True,
        validators=[validate_register_book],
        help_text=_("Numer księgi w RPWDL (część I kodu resortowego), 12 cyfr."),
    )
    founding_body_code = models.CharField(
        _("kod podmiotu tworzącego"),
        max_length=2,
        blank=True,
        help_text=_("Część III kodu resortowego."),
    )
    legal_form_code = models.CharField(
        _("kod formy organizacyjno-prawnej"),
        max_length=3,
        blank=True,
        help_text=_("Część IV kodu resortowego."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    nfz_contract = models.BooleanField(
        _("umowa z NFZ"),
        default=False,
        help_text=_("Podmiot ma umowę o udzielanie świadczeń finansowanych ze środków NFZ."),
    )
    is_active = models.BooleanField(_("aktywny"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("podmiot")
        verbose_name_plural = _("podmioty")
        ordering = ["name"]
        indexes = [models.Index(fields=["voivodeship", "entity_type"])]

    def __str__(self) -> str:
        return f"{self.name} (REGON {self.regon})"


class OrganisationalUnit(Address):
    """An organisational unit (jednostka organizacyjna) of an entity, code part V."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("nazwa"), max_length=300)
    regon14 = models.CharField(
        _("REGON (14 cyfr)"), max_length=14, blank=True, validators=[validate_regon14]
    )
    unit_code = models.CharField(
        _("kod jednostki (część V)"), max_length=3, help_text=_("Część V kodu resortowego.")
    )
    activity_code = models.CharField(
        _("rodzaj działalności (część VI)"),
        max_length=2,
        blank=True,
        help_text=_(
            "Część VI kodu resortowego: 1 szpitalne, 2 stacjonarne inne niż szpitalne, "
            "3 ambulatoryjne."
        ),
    )
    is_active = models.BooleanField(_("aktywna"), default=True)

    class Meta:
        verbose_name = _("jednostka organizacyjna")
        verbose_name_plural = _("jednostki organizacyjne")
        ordering = ["entity", "unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "unit_code"],
                name="unit_code_unique_in_entity",
                violation_error_message=_("Podmiot ma już jednostkę o tym kodzie (część V)."),
            ),
            models.UniqueConstraint(
                fields=["regon14"],
                condition=~models.Q(regon14=""),
                name="unit_regon14_unique",
                violation_error_message=_("Jednostka o tym numerze REGON już jest w rejestrze."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_code})"

    @property
    def departmental_code(self) -> str:
        """Parts I, V and VI of kod resortowy as printed on forms."""
        parts = [self.entity.register_book_number, self.unit_code, self.activity_code]
        return "-".join(part for part in parts if part)


class OrganisationalCell(models.Model):
    """A cell of an organisational unit (komórka organizacyjna): a ward, clinic or workshop,
    with its code parts VII and VIII; part VIII (the specialty) decides forms such as
    MZ-29A."""

    unit = models.ForeignKey(OrganisationalUnit, on_delete=models.CASCADE, related_name="cells")
    name = models.CharField(_("nazwa"), max_length=300)
    cell_code = models.CharField(
        _("kod komórki (część VII)"), max_length=3, help_text=_("Część VII kodu resortowego.")
    )
    specialty_code = models.CharField(
        _("specjalność komórki (część VIII)"),
        max_length=4,
        db_index=True,
        validators=[validate_specialty_code],
        help_text=_("Część VIII kodu resortowego: cztery cyfry."),
    )
    is_active = models.BooleanField(_("aktywna"), default=True)

    class Meta:
        verbose_name = _("komórka organizacyjna")
        verbose_name_plural = _("komórki organizacyjne")
        ordering = ["unit", "cell_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cell_code"],
                name="cell_code_unique_in_unit",
                violation_error_message=_("Jednostka ma już komórkę o tym kodzie (część VII)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.specialty_code})"


class VoivodeshipOffice(models.Model):
    """The voivodeship office (urząd wojewódzki) whose administrators activate accounts."""

    voivodeship = models.CharField(
        _("województwo"), max_length=2, choices=Voivodeship.choices, unique=True
    )
    name = models.CharField(_("nazwa urzędu"), max_length=200)
    department = models.CharField(_("komórka"), max_length=200, blank=True)
    street = models.CharField(_("ulica i numer"), max_length=120, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    fax = models.CharField(_("faks"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("urząd wojewódzki")
        verbose_name_plural = _("urzędy wojewódzkie")
        ordering = ["voivodeship"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        lines = [self.name, self.department, self.street, f"{self.postal_code} {self.city}".strip()]
        return [line for line in lines if line]


class VerifyingOffice(models.Model):
    """An office other than the voivodeship office that verifies a voivodeship's reports on
    the forms the programme gives it (urząd weryfikujący), as the statistical office in
    Kraków does for some forms in Małopolska."""

    name = models.CharField(_("nazwa urzędu"), max_length=200, unique=True)
    voivodeship = models.CharField(_("województwo"), max_length=2, choices=Voivodeship.choices)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("urząd weryfikujący")
        verbose_name_plural = _("urzędy weryfikujące")
        ordering = ["voivodeship", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_voivodeship_display()})"


class Population(models.Model):
    """The population (ludność) of a voivodeship or a county in a year, after GUS's Bank
    Danych Lokalnych (`registry.population`): what the results' rates per 10,000
    inhabitants divide by. A voivodeship is keyed by its two TERYT digits, a county by four."""

    teryt = models.CharField(
        _("kod TERYT"),
        max_length=4,
        validators=[
            RegexValidator(
                r"^\d{2}(\d{2})?$", _("Kod TERYT województwa (2 cyfry) albo powiatu (4 cyfry).")
            )
        ],
    )
    year = models.PositiveSmallIntegerField(_("rok"))
    population = models.PositiveIntegerField(_("ludność"))
    name = models.CharField(_("nazwa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ludność")
        verbose_name_plural = _("ludność")
        ordering = ["year", "teryt"]
        constraints = [
            models.UniqueConstraint(
                fields=["teryt", "year"],
                name="population_once_a_year",
                violation_error_message=_("Ludność tej jednostki za ten rok już jest wczytana."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teryt} {self.year}: {self.population}"
