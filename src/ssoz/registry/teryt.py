"""Voivodeships with their TERYT (TERC) codes, the top level of the territorial division."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Voivodeship(models.TextChoices):
    """A voivodeship (województwo), keyed by its two-digit TERYT code."""

    DOLNOSLASKIE = "02", _("dolnośląskie")
    KUJAWSKO_POMORSKIE = "04", _("kujawsko-pomorskie")
    LUBELSKIE = "06", _("lubelskie")
    LUBUSKIE = "08", _("lubuskie")
    LODZKIE = "10", _("łódzkie")
    MALOPOLSKIE = "12", _("małopolskie")
    MAZOWIECKIE = "14", _("mazowieckie")
    OPOLSKIE = "16", _("opolskie")
    PODKARPACKIE = "18", _("podkarpackie")
    PODLASKIE = "20", _("podlaskie")
    POMORSKIE = "22", _("pomorskie")
    SLASKIE = "24", _("śląskie")
    SWIETOKRZYSKIE = "26", _("świętokrzyskie")
    WARMINSKO_MAZURSKIE = "28", _("warmińsko-mazurskie")
    WIELKOPOLSKIE = "30", _("wielkopolskie")
    ZACHODNIOPOMORSKIE = "32", _("zachodniopomorskie")


# The seat of each voivodeship office (urząd wojewódzki), for the demo and the generator.
VOIVODESHIP_SEATS: dict[str, str] = {
    "02": "Wrocław",
    "04": "Bydgoszcz",
    "06": "Lublin",
    "08": "Gorzów Wielkopolski",
    "10": "Łódź",
    "12": "Kraków",
    "14": "Warszawa",
    "16": "Opole",
    "18": "Rzeszów",
    "20": "Białystok",
    "22": "Gdańsk",
    "24": "Katowice",
    "26": "Kielce",
    "28": "Olsztyn",
    "30": "Poznań",
    "32": "Szczecin",
}
