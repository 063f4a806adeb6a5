"""A synthetic registry of reporting entities for the demo, the tests and the benchmarks.

Everything here is invented: names are drawn from common Polish first names, surnames and
street names, REGON and NIP numbers are random bodies completed with their check digits, and
register-book numbers are random. Town names are real and sit in their real voivodeship, but only
the voivodeship part of a generated TERC code and the first digit of a postal code are
geographically right; county and commune codes and the rest of the postal code are made up
(except the city counties, which follow the TERC numbering 61, 62 … of cities with county rights).
Do not use the output as reference data.

The generator is deterministic: the same seed gives the same registry, and a larger count gives the
same first entities followed by new ones (each entity is drawn from one sequential random stream).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, QuerySet

from ssoz.registry.identifiers import nip_check_digit, regon_check_digit
from ssoz.registry.models import Entity, EntityType, OrganisationalCell, OrganisationalUnit
from ssoz.registry.teryt import VOIVODESHIP_SEATS

# --------------------------------------------------------------------------------------------
# Geography


@dataclass(frozen=True)
class Place:
    """A town or village with a TERC code and the postal code prefixes used in it."""

    name: str
    locative: str  # "Wrocławiu", used as "we Wrocławiu"
    teryt: str
    postal_prefixes: tuple[str, ...]  # "50-1" style prefixes; the rest is drawn
    is_city_county: bool = False
    is_village: bool = False

    @property
    def voivodeship(self) -> str:
        return self.teryt[:2]

    @property
    def in_place(self) -> str:
        """The place with its preposition: „w Lublinie”, „we Wrocławiu”, „we Włocławku”."""
        return f"{preposition_w(self.locative)} {self.locative}"


def preposition_w(word: str) -> str:
    """„we” before a w/f followed by a consonant (we Wrocławiu, we Wrześni), otherwise „w”."""
    lowered = word.lower()
    if len(lowered) > 1 and lowered[0] in "wf" and lowered[1] not in "aąeęioóuy":
        return "we"
    return "w"


# Two-digit postal prefixes of each voivodeship (the first digit is the postal region).
_POSTAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "02": ("55", "56", "57", "58", "59"),
    "04": ("86", "87", "88", "89"),
    "06": ("21", "22", "23", "24"),
    "08": ("65", "66", "67", "68"),
    "10": ("95", "96", "97", "98", "99"),
    "12": ("32", "33", "34"),
    "14": ("05", "06", "07", "08", "09"),
    "16": ("46", "47", "48", "49"),
    "18": ("36", "37", "38", "39"),
    "20": ("16", "17", "18", "19"),
    "22": ("81", "82", "83", "84"),
    "24": ("41", "42", "43", "44"),
    "26": ("26", "27", "28", "29"),
    "28": ("11", "12", "13", "14"),
    "30": ("62", "63", "64"),
    "32": ("72", "73", "74", "75", "76", "78"),
}

# Per voivodeship: cities with county rights (name, locative, TERC county code, postal prefixes)
# and other towns (name, locative). Locatives are written out because Polish has no rule for them.
_CITY_COUNTIES: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "02": [
        ("Jelenia Góra", "Jeleniej Górze", "61", ()),
        ("Legnica", "Legnicy", "62", ()),
        ("Wrocław", "Wrocławiu", "64", ("50", "51", "52", "53", "54")),
        ("Wałbrzych", "Wałbrzychu", "65", ()),
    ],
    "04": [
        ("Bydgoszcz", "Bydgoszczy", "61", ("85",)),
        ("Grudziądz", "Grudziądzu", "62", ()),
        ("Toruń", "Toruniu", "63", ("87",)),
        ("Włocławek", "Włocławku", "64", ()),
    ],
    "06": [
        ("Biała Podlaska", "Białej Podlaskiej", "61", ()),
        ("Chełm", "Chełmie", "62", ()),
        ("Lublin", "Lublinie", "63", ("20",)),
        ("Zamość", "Zamościu", "64", ()),
    ],
    "08": [
        ("Gorzów Wielkopolski", "Gorzowie Wielkopolskim", "61", ("66",)),
        ("Zielona Góra", "Zielonej Górze", "62", ("65",)),
    ],
    "10": [
        ("Łódź", "Łodzi", "61", ("90", "91", "92", "93", "94")),
        ("Piotrków Trybunalski", "Piotrkowie Trybunalskim", "62", ()),
        ("Skierniewice", "Skierniewicach", "63", ()),
    ],
    "12": [
        ("Kraków", "Krakowie", "61", ("30", "31")),
        ("Nowy Sącz", "Nowym Sączu", "62", ()),
        ("Tarnów", "Tarnowie", "63", ()),
    ],
    "14": [
        ("Ostrołęka", "Ostrołęce", "61", ()),
        ("Płock", "Płocku", "62", ()),
        ("Radom", "Radomiu", "63", ("26",)),
        ("Siedlce", "Siedlcach", "64", ()),
        ("Warszawa", "Warszawie", "65", ("00", "01", "02", "03", "04")),
    ],
    "16": [("Opole", "Opolu", "61", ("45",))],
    "18": [
        ("Krosno", "Krośnie", "61", ()),
        ("Przemyśl", "Przemyślu", "62", ()),
        ("Rzeszów", "Rzeszowie", "63", ("35",)),
        ("Tarnobrzeg", "Tarnobrzegu", "64", ()),
    ],
    "20": [
        ("Białystok", "Białymstoku", "61", ("15",)),
        ("Łomża", "Łomży", "62", ()),
        ("Suwałki", "Suwałkach", "63", ()),
    ],
    "22": [
        ("Gdańsk", "Gdańsku", "61", ("80",)),
        ("Gdynia", "Gdyni", "62", ("81",)),
        ("Słupsk", "Słupsku", "63", ("76",)),
        ("Sopot", "Sopocie", "64", ()),
    ],
    "24": [
        ("Bielsko-Biała", "Bielsku-Białej", "61", ("43",)),
        ("Bytom", "Bytomiu", "62", ()),
        ("Chorzów", "Chorzowie", "63", ()),
        ("Częstochowa", "Częstochowie", "64", ("42",)),
        ("Dąbrowa Górnicza", "Dąbrowie Górniczej", "65", ()),
        ("Gliwice", "Gliwicach", "66", ("44",)),
        ("Jastrzębie-Zdrój", "Jastrzębiu-Zdroju", "67", ()),
        ("Jaworzno", "Jaworznie", "68", ()),
        ("Katowice", "Katowicach", "69", ("40",)),
        ("Mysłowice", "Mysłowicach", "70", ()),
        ("Piekary Śląskie", "Piekarach Śląskich", "71", ()),
        ("Ruda Śląska", "Rudzie Śląskiej", "72", ()),
        ("Rybnik", "Rybniku", "73", ()),
        ("Siemianowice Śląskie", "Siemianowicach Śląskich", "74", ()),
        ("Sosnowiec", "Sosnowcu", "75", ()),
        ("Świętochłowice", "Świętochłowicach", "76", ()),
        ("Tychy", "Tychach", "77", ()),
        ("Zabrze", "Zabrzu", "78", ()),
        ("Żory", "Żorach", "79", ()),
    ],
    "26": [("Kielce", "Kielcach", "61", ("25",))],
    "28": [
        ("Elbląg", "Elblągu", "61", ("82",)),
        ("Olsztyn", "Olsztynie", "62", ("10",)),
    ],
    "30": [
        ("Kalisz", "Kaliszu", "61", ()),
        ("Konin", "Koninie", "62", ()),
        ("Leszno", "Lesznie", "63", ()),
        ("Poznań", "Poznaniu", "64", ("60", "61")),
    ],
    "32": [
        ("Koszalin", "Koszalinie", "61", ("75",)),
        ("Szczecin", "Szczecinie", "62", ("70", "71")),
        ("Świnoujście", "Świnoujściu", "63", ()),
    ],
}

_TOWNS: dict[str, list[tuple[str, str]]] = {
    "02": [
        ("Lubin", "Lubinie"),
        ("Głogów", "Głogowie"),
        ("Świdnica", "Świdnicy"),
        ("Bolesławiec", "Bolesławcu"),
        ("Oleśnica", "Oleśnicy"),
        ("Oława", "Oławie"),
        ("Kłodzko", "Kłodzku"),
        ("Zgorzelec", "Zgorzelcu"),
        ("Dzierżoniów", "Dzierżoniowie"),
        ("Trzebnica", "Trzebnicy"),
        ("Milicz", "Miliczu"),
    ],
    "04": [
        ("Inowrocław", "Inowrocławiu"),
        ("Brodnica", "Brodnicy"),
        ("Świecie", "Świeciu"),
        ("Chełmno", "Chełmnie"),
        ("Nakło nad Notecią", "Nakle nad Notecią"),
        ("Rypin", "Rypinie"),
        ("Tuchola", "Tucholi"),
        ("Wąbrzeźno", "Wąbrzeźnie"),
    ],
    "06": [
        ("Puławy", "Puławach"),
        ("Świdnik", "Świdniku"),
        ("Kraśnik", "Kraśniku"),
        ("Łuków", "Łukowie"),
        ("Biłgoraj", "Biłgoraju"),
        ("Łęczna", "Łęcznej"),
        ("Hrubieszów", "Hrubieszowie"),
        ("Tomaszów Lubelski", "Tomaszowie Lubelskim"),
    ],
    "08": [
        ("Nowa Sól", "Nowej Soli"),
        ("Żary", "Żarach"),
        ("Żagań", "Żaganiu"),
        ("Świebodzin", "Świebodzinie"),
        ("Międzyrzecz", "Międzyrzeczu"),
        ("Sulęcin", "Sulęcinie"),
        ("Kostrzyn nad Odrą", "Kostrzynie nad Odrą"),
        ("Słubice", "Słubicach"),
    ],
    "10": [
        ("Pabianice", "Pabianicach"),
        ("Tomaszów Mazowiecki", "Tomaszowie Mazowieckim"),
        ("Bełchatów", "Bełchatowie"),
        ("Zgierz", "Zgierzu"),
        ("Kutno", "Kutnie"),
        ("Radomsko", "Radomsku"),
        ("Sieradz", "Sieradzu"),
        ("Łowicz", "Łowiczu"),
        ("Wieluń", "Wieluniu"),
    ],
    "12": [
        ("Oświęcim", "Oświęcimiu"),
        ("Chrzanów", "Chrzanowie"),
        ("Nowy Targ", "Nowym Targu"),
        ("Zakopane", "Zakopanem"),
        ("Wadowice", "Wadowicach"),
        ("Bochnia", "Bochni"),
        ("Myślenice", "Myślenicach"),
        ("Gorlice", "Gorlicach"),
        ("Olkusz", "Olkuszu"),
    ],
    "14": [
        ("Pruszków", "Pruszkowie"),
        ("Legionowo", "Legionowie"),
        ("Ciechanów", "Ciechanowie"),
        ("Otwock", "Otwocku"),
        ("Mińsk Mazowiecki", "Mińsku Mazowieckim"),
        ("Piaseczno", "Piasecznie"),
        ("Żyrardów", "Żyrardowie"),
        ("Wołomin", "Wołominie"),
        ("Grodzisk Mazowiecki", "Grodzisku Mazowieckim"),
        ("Płońsk", "Płońsku"),
    ],
    "16": [
        ("Kędzierzyn-Koźle", "Kędzierzynie-Koźlu"),
        ("Nysa", "Nysie"),
        ("Brzeg", "Brzegu"),
        ("Kluczbork", "Kluczborku"),
        ("Prudnik", "Prudniku"),
        ("Strzelce Opolskie", "Strzelcach Opolskich"),
        ("Krapkowice", "Krapkowicach"),
        ("Namysłów", "Namysłowie"),
    ],
    "18": [
        ("Stalowa Wola", "Stalowej Woli"),
        ("Mielec", "Mielcu"),
        ("Dębica", "Dębicy"),
        ("Jarosław", "Jarosławiu"),
        ("Sanok", "Sanoku"),
        ("Jasło", "Jaśle"),
        ("Łańcut", "Łańcucie"),
        ("Przeworsk", "Przeworsku"),
        ("Lesko", "Lesku"),
    ],
    "20": [
        ("Augustów", "Augustowie"),
        ("Bielsk Podlaski", "Bielsku Podlaskim"),
        ("Zambrów", "Zambrowie"),
        ("Grajewo", "Grajewie"),
        ("Hajnówka", "Hajnówce"),
        ("Sokółka", "Sokółce"),
        ("Siemiatycze", "Siemiatyczach"),
        ("Kolno", "Kolnie"),
    ],
    "22": [
        ("Tczew", "Tczewie"),
        ("Wejherowo", "Wejherowie"),
        ("Starogard Gdański", "Starogardzie Gdańskim"),
        ("Chojnice", "Chojnicach"),
        ("Malbork", "Malborku"),
        ("Kwidzyn", "Kwidzynie"),
        ("Kościerzyna", "Kościerzynie"),
        ("Lębork", "Lęborku"),
        ("Bytów", "Bytowie"),
    ],
    "24": [
        ("Cieszyn", "Cieszynie"),
        ("Racibórz", "Raciborzu"),
        ("Wodzisław Śląski", "Wodzisławiu Śląskim"),
        ("Zawiercie", "Zawierciu"),
        ("Będzin", "Będzinie"),
        ("Tarnowskie Góry", "Tarnowskich Górach"),
        ("Pszczyna", "Pszczynie"),
        ("Żywiec", "Żywcu"),
        ("Lubliniec", "Lublińcu"),
    ],
    "26": [
        ("Ostrowiec Świętokrzyski", "Ostrowcu Świętokrzyskim"),
        ("Starachowice", "Starachowicach"),
        ("Skarżysko-Kamienna", "Skarżysku-Kamiennej"),
        ("Sandomierz", "Sandomierzu"),
        ("Końskie", "Końskich"),
        ("Busko-Zdrój", "Busku-Zdroju"),
        ("Jędrzejów", "Jędrzejowie"),
        ("Staszów", "Staszowie"),
        ("Pińczów", "Pińczowie"),
    ],
    "28": [
        ("Ełk", "Ełku"),
        ("Ostróda", "Ostródzie"),
        ("Iława", "Iławie"),
        ("Giżycko", "Giżycku"),
        ("Kętrzyn", "Kętrzynie"),
        ("Szczytno", "Szczytnie"),
        ("Bartoszyce", "Bartoszycach"),
        ("Mrągowo", "Mrągowie"),
        ("Działdowo", "Działdowie"),
    ],
    "30": [
        ("Piła", "Pile"),
        ("Ostrów Wielkopolski", "Ostrowie Wielkopolskim"),
        ("Gniezno", "Gnieźnie"),
        ("Września", "Wrześni"),
        ("Śrem", "Śremie"),
        ("Krotoszyn", "Krotoszynie"),
        ("Turek", "Turku"),
        ("Szamotuły", "Szamotułach"),
        ("Chodzież", "Chodzieży"),
    ],
    "32": [
        ("Stargard", "Stargardzie"),
        ("Kołobrzeg", "Kołobrzegu"),
        ("Police", "Policach"),
        ("Szczecinek", "Szczecinku"),
        ("Wałcz", "Wałczu"),
        ("Białogard", "Białogardzie"),
        ("Goleniów", "Goleniowie"),
        ("Gryfino", "Gryfinie"),
        ("Myślibórz", "Myśliborzu"),
    ],
}

# Village names that occur in nearly every voivodeship.
_VILLAGES: list[tuple[str, str]] = [
    ("Zalesie", "Zalesiu"),
    ("Dąbrowa", "Dąbrowie"),
    ("Nowa Wieś", "Nowej Wsi"),
    ("Wola", "Woli"),
    ("Brzezie", "Brzeziu"),
    ("Kamionka", "Kamionce"),
    ("Józefów", "Józefowie"),
    ("Lipniki", "Lipnikach"),
    ("Stara Wieś", "Starej Wsi"),
    ("Rudnik", "Rudniku"),
    ("Górki", "Górkach"),
    ("Zawada", "Zawadzie"),
]


def _build_places() -> dict[str, tuple[list[Place], list[Place], list[Place]]]:
    """City counties, towns and villages of each voivodeship, with their synthetic TERC codes.

    Towns alternate between an urban commune (kind 1) and the town part of an urban-rural commune
    (kind 4); villages lie in a rural commune (kind 2) or in the rural area of an urban-rural
    commune (kind 5), so every kind 1, 2, 4, 5 occurs; kind 3 is used by commune-level bodies.
    """
    places = {}
    for voivodeship, cities in _CITY_COUNTIES.items():
        prefixes = _POSTAL_PREFIXES[voivodeship]
        city_places = [
            Place(
                name=name,
                locative=locative,
                teryt=f"{voivodeship}{county}011",
                postal_prefixes=tuple(f"{p}-" for p in own) or (f"{prefixes[i % len(prefixes)]}-",),
                is_city_county=True,
            )
            for i, (name, locative, county, own) in enumerate(cities)
        ]
        town_places = []
        for i, (name, locative) in enumerate(_TOWNS[voivodeship]):
            county = f"{i + 1:02d}"
            urban_rural = i % 2 == 1
            commune, kind = (f"{i % 4 + 2:02d}", "4") if urban_rural else ("01", "1")
            prefix = prefixes[(i * 3) % len(prefixes)]
            town_places.append(
                Place(
                    name=name,
                    locative=locative,
                    teryt=f"{voivodeship}{county}{commune}{kind}",
                    postal_prefixes=(f"{prefix}-{(i * 7) % 9 + 1}00",),
                )
            )
        village_places = []
        for i, (name, locative) in enumerate(_VILLAGES):
            town = town_places[i % len(town_places)]
            if town.teryt[6] == "4":
                teryt = town.teryt[:6] + "5"
            else:
                teryt = f"{town.teryt[:4]}{i % 5 + 6:02d}2"
            base = town.postal_prefixes[0]
            village_places.append(
                Place(
                    name=name,
                    locative=locative,
                    teryt=teryt,
                    postal_prefixes=(f"{base[:4]}{(i * 3) % 9 + 1}0",),
                    is_village=True,
                )
            )
        places[voivodeship] = (city_places, town_places, village_places)
    return places


PLACES = _build_places()

# How entities spread over the voivodeships: roughly by population (GUS, rounded, millions).
_VOIVODESHIP_WEIGHTS: dict[str, float] = {
    "02": 2.9,
    "04": 2.0,
    "06": 2.0,
    "08": 1.0,
    "10": 2.4,
    "12": 3.4,
    "14": 5.5,
    "16": 0.95,
    "18": 2.1,
    "20": 1.15,
    "22": 2.35,
    "24": 4.4,
    "26": 1.2,
    "28": 1.4,
    "30": 3.5,
    "32": 1.65,
}

# --------------------------------------------------------------------------------------------
# People and names


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FEMALE_NAMES = _words(
    """
    Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Elżbieta Joanna
    Aleksandra Monika Zofia Teresa Danuta Natalia Karolina Marta Beata Dorota Halina Jadwiga
    Justyna Paulina Alicja Iwona Grażyna Renata Agata
    """
)
_MALE_NAMES = _words(
    """
    Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Stanisław Jakub Adam Marek Łukasz
    Grzegorz Mateusz Wojciech Mariusz Dariusz Zbigniew Jerzy Maciej Rafał Robert Kamil Józef
    Janusz Ryszard Kazimierz Sławomir Bartosz
    """
)
_SURNAMES = _words(
    """
    Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
    Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski
    Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski
    Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak
    Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski Wróblewski
    Marciniak Jasiński Zawadzki Bąk Jakubowski Sadowski Duda Włodarczyk Wilk Chmielewski
    Borkowski Sokołowski Szczepański Sawicki Lis Kucharski Kalinowski Wysocki Mazurek Kubiak
    Kołodziej Czarnecki Sobczak Konieczny Urbański Głowacki Wasilewski Zakrzewski Sikorski
    """
)

_STREETS = (
    "ul. Szpitalna",
    "ul. Adama Mickiewicza",
    "ul. Tadeusza Kościuszki",
    "ul. Henryka Sienkiewicza",
    "ul. Bolesława Prusa",
    "ul. Marii Konopnickiej",
    "ul. Juliusza Słowackiego",
    "ul. Jana Kilińskiego",
    "ul. Mikołaja Kopernika",
    "ul. Władysława Reymonta",
    "ul. Stefana Żeromskiego",
    "ul. Kolejowa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Ogrodowa",
    "ul. Lipowa",
    "ul. Kwiatowa",
    "ul. Słoneczna",
    "ul. Długa",
    "ul. Dworcowa",
    "ul. Kościelna",
    "ul. Zdrojowa",
    "ul. Wojska Polskiego",
    "ul. 3 Maja",
    "ul. 11 Listopada",
    "ul. Armii Krajowej",
    "ul. Józefa Piłsudskiego",
    "al. Jana Pawła II",
    "al. Niepodległości",
    "pl. Wolności",
    "Rynek",
)

_PATRONS = (
    "Jana Pawła II",
    "Mikołaja Kopernika",
    "św. Łukasza",
    "Ludwika Rydygiera",
    "Stefana Kardynała Wyszyńskiego",
    "Marii Skłodowskiej-Curie",
    "św. Jadwigi Śląskiej",
    "Józefa Babińskiego",
    "Tytusa Chałubińskiego",
    "Karola Marcinkowskiego",
    "Tadeusza Kościuszki",
    "Janusza Korczaka",
    "św. Wojciecha",
    "Jana Śniadeckiego",
    "Józefa Strusia",
    "Władysława Biegańskiego",
)

_BRANDS = (
    "Medicus",
    "Salus",
    "Vita",
    "Medica",
    "Sanus",
    "Hipokrates",
    "Eskulap",
    "Panaceum",
    "Novamed",
    "Optimum",
    "Familia",
    "Remedium",
    "Zdrowie",
    "Rodzinna",
    "Arnika",
    "Omega",
    "Pro-Med",
    "Nova",
    "Viamed",
    "Dobre Zdrowie",
)


def feminine_surname(surname: str) -> str:
    """Kowalski → Kowalska, Zawadzki → Zawadzka, Konieczny → Konieczna; Nowak stays Nowak."""
    if surname.endswith(("ski", "cki", "dzki")) or surname.endswith("y"):
        return surname[:-1] + "a"
    return surname


# --------------------------------------------------------------------------------------------
# Entity kinds


@dataclass(frozen=True)
class _Kind:
    """One pattern of entity: its type, weight, names and how many units it has."""

    key: str
    entity_type: str
    weight: float
    min_units: int = 0
    max_units: int = 0
    unit_chance: float = 1.0  # the chance that an entity of this kind has any units at all
    founding_bodies: tuple[str, ...] = ()
    has_register_book: bool = True


# Practices dominate (about 70 % of those who report), then podmioty lecznicze; the rest are the
# few institutions of other types. Weights are per mille.
_KINDS: tuple[_Kind, ...] = (
    _Kind("doctor_practice", EntityType.DOCTOR_PRACTICE, 430, 1, 1, unit_chance=0.1),
    _Kind("dentist_practice", EntityType.DENTIST_PRACTICE, 170, 1, 1, unit_chance=0.1),
    _Kind("nurse_practice", EntityType.NURSE_PRACTICE, 110, 1, 1, unit_chance=0.05),
    _Kind("private_clinic", EntityType.HEALTHCARE_PROVIDER, 165, 1, 3),
    _Kind("private_hospital", EntityType.HEALTHCARE_PROVIDER, 12, 2, 5),
    _Kind("county_spzoz", EntityType.HEALTHCARE_PROVIDER, 40, 2, 6, founding_bodies=("32",)),
    _Kind("municipal", EntityType.HEALTHCARE_PROVIDER, 25, 1, 3, founding_bodies=("33", "34")),
    _Kind(
        "voivodeship_hospital", EntityType.HEALTHCARE_PROVIDER, 10, 4, 8, founding_bodies=("31",)
    ),
    _Kind("clinical_hospital", EntityType.HEALTHCARE_PROVIDER, 3, 4, 8, founding_bodies=("80",)),
    _Kind("ministry_spzoz", EntityType.HEALTHCARE_PROVIDER, 3, 2, 5, founding_bodies=("12", "14")),
    _Kind("administration", EntityType.PUBLIC_ADMINISTRATION, 15, has_register_book=False),
    _Kind("medical_university", EntityType.MEDICAL_UNIVERSITY, 2, has_register_book=False),
    _Kind("medical_chamber", EntityType.MEDICAL_CHAMBER, 3, has_register_book=False),
    _Kind("nurses_chamber", EntityType.NURSES_CHAMBER, 3, has_register_book=False),
    _Kind("pharmacists_chamber", EntityType.PHARMACISTS_CHAMBER, 2, has_register_book=False),
    _Kind("kidl", EntityType.LAB_DIAGNOSTICIANS_CHAMBER, 1, has_register_book=False),
    _Kind("nfz", EntityType.NATIONAL_HEALTH_FUND, 2, has_register_book=False),
    _Kind("blood_centre", EntityType.BLOOD_CENTRE, 4, 1, 3, founding_bodies=("11",)),
)
_KIND_WEIGHTS = [kind.weight for kind in _KINDS]

# Adjectives of the voivodeships in the masculine, for „Mazowiecki Oddział Wojewódzki NFZ”.
_VOIVODESHIP_ADJECTIVES: dict[str, str] = {
    "02": "Dolnośląski",
    "04": "Kujawsko-Pomorski",
    "06": "Lubelski",
    "08": "Lubuski",
    "10": "Łódzki",
    "12": "Małopolski",
    "14": "Mazowiecki",
    "16": "Opolski",
    "18": "Podkarpacki",
    "20": "Podlaski",
    "22": "Pomorski",
    "24": "Śląski",
    "26": "Świętokrzyski",
    "28": "Warmińsko-Mazurski",
    "30": "Wielkopolski",
    "32": "Zachodniopomorski",
}
# Cities with a medical university (the generator puts universities and clinical hospitals there).
_UNIVERSITY_CITIES = (
    "Białystok",
    "Bydgoszcz",
    "Gdańsk",
    "Katowice",
    "Kraków",
    "Lublin",
    "Łódź",
    "Olsztyn",
    "Poznań",
    "Rzeszów",
    "Szczecin",
    "Warszawa",
    "Wrocław",
    "Kielce",
    "Zielona Góra",
    "Opole",
)

# Unit names by kind of medical activity (kod resortowy part VI).
_HOSPITAL_UNITS = ("Szpital", "Szpital Specjalistyczny", "Szpital Rehabilitacyjny")
_INPATIENT_UNITS = (
    "Zakład Opiekuńczo-Leczniczy",
    "Zakład Pielęgnacyjno-Opiekuńczy",
    "Hospicjum Stacjonarne",
)
_OUTPATIENT_UNITS = (
    "Przychodnia Specjalistyczna",
    "Przychodnia Podstawowej Opieki Zdrowotnej",
    "Przychodnia Rejonowa",
    "Pracownia Diagnostyki Obrazowej",
    "Laboratorium Analityczne",
    "Centrum Zdrowia Psychicznego",
    "Ośrodek Rehabilitacji Dziennej",
)
_PRIMARY_CARE_UNITS = (
    "Przychodnia Podstawowej Opieki Zdrowotnej",
    "Przychodnia Rejonowa",
    "Ośrodek Zdrowia",
)
ACTIVITY_HOSPITAL = "1"
ACTIVITY_INPATIENT = "2"
ACTIVITY_OUTPATIENT = "3"

# Cells (komórki organizacyjne) with their part-VIII specialty codes. Long-term inpatient care
# uses codes of the MZ-29A list; the others are a plausible spread, not an official table.
_HOSPITAL_WARDS = (
    ("Oddział chorób wewnętrznych", "4000"),
    ("Oddział kardiologiczny", "4100"),
    ("Oddział pediatryczny", "4401"),
    ("Oddział położniczo-ginekologiczny", "4450"),
    ("Oddział chirurgiczny ogólny", "4500"),
    ("Oddział anestezjologii i intensywnej terapii", "4260"),
    ("Oddział neurologiczny", "4220"),
    ("Oddział rehabilitacyjny", "4300"),
)
_LONG_TERM_CELLS = {
    "Zakład Opiekuńczo-Leczniczy": ("Zakład opiekuńczo-leczniczy", "5160"),
    "Zakład Pielęgnacyjno-Opiekuńczy": ("Zakład pielęgnacyjno-opiekuńczy", "5170"),
    "Hospicjum Stacjonarne": ("Hospicjum stacjonarne", "5180"),
}
_CLINIC_CELLS = (
    ("Poradnia chorób wewnętrznych", "1000"),
    ("Poradnia kardiologiczna", "1100"),
    ("Poradnia dermatologiczna", "1200"),
    ("Poradnia okulistyczna", "1600"),
    ("Poradnia zdrowia psychicznego", "1700"),
    ("Poradnia ginekologiczno-położnicza", "1450"),
)
_CELLS_BY_UNIT_NAME = {
    "Przychodnia Podstawowej Opieki Zdrowotnej": (("Gabinet lekarza POZ", "0010"),),
    "Przychodnia Rejonowa": (("Gabinet lekarza POZ", "0010"),),
    "Ośrodek Zdrowia": (("Gabinet lekarza POZ", "0010"),),
    "Pracownia Diagnostyki Obrazowej": (("Pracownia rentgenodiagnostyki", "7210"),),
    "Laboratorium Analityczne": (("Medyczne laboratorium diagnostyczne", "7100"),),
    "Centrum Zdrowia Psychicznego": (("Poradnia zdrowia psychicznego", "1700"),),
    "Ośrodek Rehabilitacji Dziennej": (("Ośrodek rehabilitacji dziennej", "1310"),),
    "Oddział Terenowy": (("Dział pobierania krwi", "7910"),),
}
# Part IV of kod resortowy for professional practices (domain: codes 93–99).
_PRACTICE_FORMS = ("93", "94", "95", "96", "97", "98", "99")
_PRACTICE_FORM_WEIGHTS = (8, 6, 2, 1, 15, 48, 20)
# The share of each kind's entities that has a contract with NFZ.
_NFZ_SHARE = {
    "doctor_practice": 0.3,
    "dentist_practice": 0.35,
    "nurse_practice": 0.6,
    "private_clinic": 0.6,
    "private_hospital": 0.5,
    "county_spzoz": 1.0,
    "municipal": 1.0,
    "voivodeship_hospital": 1.0,
    "clinical_hospital": 1.0,
    "ministry_spzoz": 1.0,
    "blood_centre": 0.0,
}


# --------------------------------------------------------------------------------------------
# Generation


@dataclass(frozen=True)
class GenerationSummary:
    """What one run of the generator wrote."""

    entities_created: int
    units_created: int
    entities_skipped: int
    entities_by_type: dict[str, int] = field(default_factory=dict)


@dataclass
class _Draft:
    entity: Entity
    units: list[OrganisationalUnit]
    cells: list[list[OrganisationalCell]] = field(default_factory=list)


class _Generator:
    """One sequential random stream; each call to draft() makes the next entity and its units."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        # The attributes added to the registry later (NFZ contracts, practice codes, cells) come
        # from a stream of their own, so that a seed still gives the same entities and units.
        self.attributes = random.Random(f"attributes-{seed}")
        self.regons: set[str] = set()
        self.nips: set[str] = set()
        self.books: set[str] = set()
        self.unique_names: set[str] = set()
        self.voivodeships = list(_VOIVODESHIP_WEIGHTS)
        self.voivodeship_weights = list(_VOIVODESHIP_WEIGHTS.values())

    # Identifiers --------------------------------------------------------------------------

    def regon9(self) -> str:
        while True:
            body = f"{self.random.randrange(1, 10**8):08d}"
            number = body + regon_check_digit(body)
            if number not in self.regons:
                self.regons.add(number)
                return number

    def nip(self) -> str:
        while True:
            # The first three digits name a tax office; those start at 1, never 0.
            body = f"{self.random.randrange(10**8, 10**9):09d}"
            check = nip_check_digit(body)
            if check is not None and body + check not in self.nips:
                self.nips.add(body + check)
                return body + check

    def register_book(self) -> str:
        while True:
            number = f"{self.random.randrange(1, 10**9):012d}"
            if number not in self.books:
                self.books.add(number)
                return number

    # Places -------------------------------------------------------------------------------

    def voivodeship(self) -> str:
        return self.random.choices(self.voivodeships, self.voivodeship_weights)[0]

    def place(self, voivodeship: str, *, cities: float, towns: float, villages: float) -> Place:
        city_places, town_places, village_places = PLACES[voivodeship]
        group = self.random.choices(
            [city_places, town_places, village_places], [cities, towns, villages]
        )[0]
        return self.random.choice(group)

    def big_city(self, voivodeship: str) -> Place:
        """The seat of the voivodeship, where its institutions sit."""
        cities = PLACES[voivodeship][0]
        seat = VOIVODESHIP_SEATS[voivodeship]
        return next((city for city in cities if city.name == seat), cities[0])

    def address(self, place: Place) -> dict[str, str]:
        prefix = self.random.choice(place.postal_prefixes)
        postal_code = prefix + "".join(
            str(self.random.randrange(10)) for _ in range(6 - len(prefix))
        )
        if place.is_village:
            street = ""
            flat = ""
        else:
            street = self.random.choice(_STREETS)
            flat = str(self.random.randrange(1, 40)) if self.random.random() < 0.2 else ""
        building = str(self.random.randrange(1, 120))
        if self.random.random() < 0.1:
            building += self.random.choice("abc")
        return {
            "street": street,
            "building_number": building,
            "flat_number": flat,
            "postal_code": postal_code,
            "city": place.name,
            "teryt": place.teryt,
        }

    def person(self, *, female_share: float = 0.55) -> str:
        if self.random.random() < female_share:
            first = self.random.choice(_FEMALE_NAMES)
            last = feminine_surname(self.random.choice(_SURNAMES))
        else:
            first = self.random.choice(_MALE_NAMES)
            last = self.random.choice(_SURNAMES)
        return f"{first} {last}"

    # Entities -----------------------------------------------------------------------------

    def draft(self) -> _Draft:
        while True:
            kind = self.random.choices(_KINDS, _KIND_WEIGHTS)[0]
            voivodeship = self.voivodeship()
            named = self.name(kind, voivodeship)
            if named is None:
                # A one-of-a-kind institution (the national chamber, a voivodeship's NFZ branch)
                # that already exists: draw again rather than duplicate it.
                continue
            name, place = named
            break
        regon = self.regon9()
        is_practice = kind.key.endswith("_practice")
        entity = Entity(
            entity_type=kind.entity_type,
            name=name,
            regon=regon,
            nip=self.nip(),
            register_book_number=self.register_book() if kind.has_register_book else "",
            founding_body_code=self.founding_body(kind, place, name),
            email="" if is_practice else self.email(regon),
            is_active=self.random.random() > 0.01,
            **self.address(place),
        )
        if kind.key == "municipal" and entity.teryt[6] == "4" and self.random.random() < 0.5:
            # A commune-level body of an urban-rural commune is registered under the whole
            # commune (kind 3) rather than its town part.
            entity.teryt = entity.teryt[:6] + "3"
        units = self.units(kind, entity, voivodeship)
        self.add_attributes(kind, entity)
        return _Draft(entity, units, [self.cells(unit) for unit in units])

    def add_attributes(self, kind: _Kind, entity: Entity) -> None:
        a = self.attributes
        if kind.key.endswith("_practice"):
            entity.legal_form_code = a.choices(_PRACTICE_FORMS, _PRACTICE_FORM_WEIGHTS)[0]
        entity.nfz_contract = a.random() < _NFZ_SHARE.get(kind.key, 0.0)

    def cells(self, unit: OrganisationalUnit) -> list[OrganisationalCell]:
        """The unit's cells: wards for a hospital, its kind of care for the rest."""
        a = self.attributes
        long_term = next((n for n in _LONG_TERM_CELLS if unit.name.startswith(n)), None)
        by_name = next((n for n in _CELLS_BY_UNIT_NAME if unit.name.startswith(n)), None)
        if unit.activity_code == ACTIVITY_HOSPITAL:
            chosen = a.sample(_HOSPITAL_WARDS, a.randint(2, 6))
        elif long_term is not None:
            chosen = [_LONG_TERM_CELLS[long_term]]
        elif by_name is not None:
            chosen = list(_CELLS_BY_UNIT_NAME[by_name])
        else:
            chosen = a.sample(_CLINIC_CELLS, a.randint(1, 3))
        return [
            OrganisationalCell(
                name=name,
                cell_code=f"{number:03d}",
                specialty_code=code,
                is_active=unit.is_active,
            )
            for number, (name, code) in enumerate(chosen, start=1)
        ]

    def founding_body(self, kind: _Kind, place: Place, name: str) -> str:
        """Part III of kod resortowy: who founded a public entity (none for businesses)."""
        if not kind.founding_bodies:
            return ""
        if kind.key == "municipal":
            return "34" if place.is_city_county else "33"
        if kind.key == "ministry_spzoz":
            return "12" if "Wojskowa" in name else "14"  # defence or interior ministry
        return self.random.choice(kind.founding_bodies)

    def email(self, regon: str) -> str:
        # Reserved .example domains (RFC 2606): generated data must never mail a real address.
        return f"sekretariat@podmiot-{regon}.example"

    def once(self, name: str, place: Place) -> tuple[str, Place] | None:
        """The name and place of an institution that exists only once, or None if it exists."""
        if name in self.unique_names:
            return None
        self.unique_names.add(name)
        return name, place

    def name(self, kind: _Kind, voivodeship: str) -> tuple[str, Place] | None:
        r = self.random
        key = kind.key
        if key == "doctor_practice":
            place = self.place(voivodeship, cities=5, towns=4, villages=1)
            pattern = r.choice(
                (
                    "Praktyka Lekarska lek. {p}",
                    "Indywidualna Praktyka Lekarska lek. {p}",
                    "Specjalistyczna Praktyka Lekarska lek. med. {p}",
                    "Gabinet Lekarski lek. {p}",
                )
            )
            return pattern.format(p=self.person()), place
        if key == "dentist_practice":
            place = self.place(voivodeship, cities=6, towns=4, villages=0.5)
            pattern = r.choice(
                (
                    "Praktyka Lekarza Dentysty lek. dent. {p}",
                    "Gabinet Stomatologiczny lek. dent. {p}",
                    "Indywidualna Praktyka Stomatologiczna lek. dent. {p}",
                )
            )
            return pattern.format(p=self.person(female_share=0.7)), place
        if key == "nurse_practice":
            place = self.place(voivodeship, cities=4, towns=4, villages=2)
            pattern = r.choice(
                (
                    "Indywidualna Praktyka Pielęgniarska {p}",
                    "Praktyka Pielęgniarki {p}",
                    "Indywidualna Praktyka Położnej {p}",
                )
            )
            return pattern.format(p=self.person(female_share=1.0)), place
        if key == "private_clinic":
            place = self.place(voivodeship, cities=6, towns=4, villages=1)
            brand = r.choice(_BRANDS)
            surname = r.choice(_SURNAMES)
            pattern = r.choice(
                (
                    "Centrum Medyczne {b} Sp. z o.o.",
                    "Przychodnia {b} s.c.",
                    "Niepubliczny Zakład Opieki Zdrowotnej „{b}”",
                    "Przychodnia Lekarska {b} Sp. z o.o.",
                    "{b} Centrum Zdrowia Sp. z o.o.",
                    "Przychodnia Rodzinna „{b}” {s} i Wspólnicy Sp. j.",
                    "Laboratorium Diagnostyczne {b} Sp. z o.o.",
                    "Centrum Rehabilitacji {b} Sp. z o.o.",
                )
            )
            return pattern.format(b=brand, s=surname), place
        if key == "private_hospital":
            place = self.place(voivodeship, cities=8, towns=2, villages=0)
            pattern = r.choice(
                (
                    "Szpital {b} Sp. z o.o.",
                    "Centrum Medyczne {b} Sp. z o.o.",
                    "Powiatowe Centrum Zdrowia {b} Sp. z o.o.",
                )
            )
            return pattern.format(b=r.choice(_BRANDS)), place
        if key == "county_spzoz":
            place = self.place(voivodeship, cities=1, towns=6, villages=0)
            pattern = r.choice(
                (
                    "Samodzielny Publiczny Zakład Opieki Zdrowotnej {w}",
                    "Samodzielny Publiczny Zespół Zakładów Opieki Zdrowotnej {w}",
                    "Szpital Powiatowy {w}",
                    "Zespół Opieki Zdrowotnej {w}",
                )
            )
            return pattern.format(w=place.in_place), place
        if key == "municipal":
            place = self.place(voivodeship, cities=2, towns=3, villages=4)
            if place.is_village:
                name = f"Gminny Ośrodek Zdrowia {place.in_place}"
            elif place.is_city_county:
                name = f"Miejskie Centrum Medyczne {place.in_place}"
            else:
                name = f"Samodzielny Publiczny Zakład Opieki Zdrowotnej {place.in_place}"
            return self.once(name, place)
        if key == "voivodeship_hospital":
            place = self.place(voivodeship, cities=3, towns=1, villages=0)
            pattern = r.choice(
                (
                    "Szpital Wojewódzki im. {p} {w}",
                    "Wojewódzki Szpital Specjalistyczny im. {p} {w}",
                    "Wojewódzki Szpital Zespolony {w}",
                    "Wojewódzki Szpital Neuropsychiatryczny {w}",
                )
            )
            name = pattern.format(p=r.choice(_PATRONS), w=place.in_place)
            return self.once(name, place)
        if key == "clinical_hospital":
            place = self.big_city(voivodeship)
            if place.name not in _UNIVERSITY_CITIES:
                return None
            number = r.randrange(1, 6)
            name = f"Uniwersytecki Szpital Kliniczny nr {number} {place.in_place}"
            return self.once(name, place)
        if key == "ministry_spzoz":
            place = self.place(voivodeship, cities=1, towns=0, villages=0)
            name = r.choice(
                (
                    "Samodzielny Publiczny Zakład Opieki Zdrowotnej Ministerstwa Spraw "
                    "Wewnętrznych i Administracji {w}",
                    "Wojskowa Specjalistyczna Przychodnia Lekarska SPZOZ {w}",
                )
            ).format(w=place.in_place)
            return self.once(name, place)
        if key == "administration":
            place = self.place(voivodeship, cities=1, towns=3, villages=0)
            name = f"Starostwo Powiatowe {place.in_place}"
            return self.once(name, place)
        if key == "medical_university":
            place = self.big_city(voivodeship)
            if place.name not in _UNIVERSITY_CITIES:
                return None
            return self.once(f"Uniwersytet Medyczny {place.in_place}", place)
        if key in ("medical_chamber", "nurses_chamber", "pharmacists_chamber", "blood_centre"):
            place = self.big_city(voivodeship)
            label = {
                "medical_chamber": "Okręgowa Izba Lekarska",
                "nurses_chamber": "Okręgowa Izba Pielęgniarek i Położnych",
                "pharmacists_chamber": "Okręgowa Izba Aptekarska",
                "blood_centre": "Regionalne Centrum Krwiodawstwa i Krwiolecznictwa",
            }[key]
            name = f"{label} {place.in_place}"
            return self.once(name, place)
        if key == "kidl":
            place = self.big_city("14")
            return self.once("Krajowa Izba Diagnostów Laboratoryjnych", place)
        if key == "nfz":
            place = self.big_city(voivodeship)
            name = (
                f"Narodowy Fundusz Zdrowia – {_VOIVODESHIP_ADJECTIVES[voivodeship]} "
                f"Oddział Wojewódzki {place.in_place}"
            )
            return self.once(name, place)
        raise AssertionError(f"unknown kind {key}")

    # Units --------------------------------------------------------------------------------

    def units(self, kind: _Kind, entity: Entity, voivodeship: str) -> list[OrganisationalUnit]:
        if kind.max_units == 0 or self.random.random() >= kind.unit_chance:
            return []
        count = self.random.randint(kind.min_units, kind.max_units)
        plan = self.unit_plan(kind, count)
        units = []
        seen: Counter[str] = Counter()
        for number, (unit_name, activity) in enumerate(plan, start=1):
            if number == 1 or self.random.random() < 0.6:
                # Most units share the entity's address (one campus).
                address = {f: getattr(entity, f) for f in _ADDRESS_FIELDS}
                suffix = ""
            else:
                place = self.place(voivodeship, cities=2, towns=5, villages=2)
                address = self.address(place)
                suffix = f" {place.in_place}" if place.name != entity.city else ""
            seen[unit_name + suffix] += 1
            if seen[unit_name + suffix] > 1:
                suffix += f" nr {seen[unit_name + suffix]}"
            regon14 = ""
            if self.random.random() < 0.85:
                body = entity.regon + f"{number:04d}"
                regon14 = body + regon_check_digit(body)
            units.append(
                OrganisationalUnit(
                    entity=entity,
                    name=unit_name + suffix,
                    regon14=regon14,
                    unit_code=f"{number:03d}",
                    activity_code=activity,
                    is_active=entity.is_active,
                    **address,
                )
            )
        return units

    def unit_plan(self, kind: _Kind, count: int) -> list[tuple[str, str]]:
        """Unit names and activity codes; hospitals come first, as in their statutes."""
        r = self.random
        outpatient = [(r.choice(_OUTPATIENT_UNITS), ACTIVITY_OUTPATIENT) for _ in range(count)]
        if kind.key in ("doctor_practice", "dentist_practice", "nurse_practice"):
            return [("Gabinet", ACTIVITY_OUTPATIENT)]
        if kind.key == "blood_centre":
            return [("Oddział Terenowy", ACTIVITY_OUTPATIENT) for _ in range(count)]
        if kind.key == "municipal":
            outpatient = [
                (r.choice(_PRIMARY_CARE_UNITS), ACTIVITY_OUTPATIENT) for _ in range(count)
            ]
        if kind.key in ("private_clinic", "municipal"):
            if count > 1 and r.random() < 0.2:
                outpatient[-1] = (r.choice(_INPATIENT_UNITS), ACTIVITY_INPATIENT)
            return outpatient
        # Hospitals: one or two hospital units, an inpatient long-term unit, then clinics.
        plan = [(r.choice(_HOSPITAL_UNITS[:2]), ACTIVITY_HOSPITAL)]
        if count >= 4 and r.random() < 0.4:
            plan.append(("Szpital Rehabilitacyjny", ACTIVITY_HOSPITAL))
        if count >= 3 and r.random() < 0.6:
            plan.append((r.choice(_INPATIENT_UNITS), ACTIVITY_INPATIENT))
        plan.extend(outpatient[: count - len(plan)])
        return plan


_ADDRESS_FIELDS = ("street", "building_number", "flat_number", "postal_code", "city", "teryt")
_LOOKUP_CHUNK = 500  # below SQLite's historical limit of 999 parameters per statement
_BATCH_SIZE = 1000


def generate_registry(entities: int, *, seed: int = 0) -> GenerationSummary:
    """Create a synthetic registry of `entities` entities with their organisational units.

    Deterministic for a seed. Entities whose REGON, register-book number or any unit's REGON-14
    is already in the database are skipped with all their units (counted in
    `entities_skipped`), so running the same seed twice adds nothing, and a larger count with
    the same seed adds only the new entities. Everything is written in one transaction.
    """
    if entities < 0:
        raise ValueError("entities must not be negative")
    generator = _Generator(seed)
    drafts = [generator.draft() for _ in range(entities)]
    taken = _existing_identifiers(drafts)
    fresh = [
        draft
        for draft in drafts
        if draft.entity.regon not in taken.regons
        and draft.entity.register_book_number not in taken.books
        and not any(unit.regon14 in taken.regon14s for unit in draft.units)
    ]
    with transaction.atomic():
        created = Entity.objects.bulk_create(
            [draft.entity for draft in fresh], batch_size=_BATCH_SIZE
        )
        if created and created[0].pk is None:
            # Backends that cannot return keys from a bulk insert: read them back by REGON.
            ids = _ids_by_regon([entity.regon for entity in created])
            for entity in created:
                entity.pk = ids[entity.regon]
        units = []
        for draft in fresh:
            for unit in draft.units:
                unit.entity = draft.entity  # re-assign so the unit picks up the new entity id
                units.append(unit)
        OrganisationalUnit.objects.bulk_create(units, batch_size=_BATCH_SIZE)
        if units and units[0].pk is None:
            ids = _unit_ids([draft.entity.pk for draft in fresh])
            for unit in units:
                unit.pk = ids[unit.entity_id, unit.unit_code]
        cells = []
        for draft in fresh:
            for unit, unit_cells in zip(draft.units, draft.cells, strict=True):
                for cell in unit_cells:
                    cell.unit = unit
                    cells.append(cell)
        OrganisationalCell.objects.bulk_create(cells, batch_size=_BATCH_SIZE)
    by_type = Counter(str(draft.entity.entity_type) for draft in fresh)
    return GenerationSummary(
        entities_created=len(fresh),
        units_created=len(units),
        entities_skipped=len(drafts) - len(fresh),
        entities_by_type=dict(sorted(by_type.items())),
    )


@dataclass
class _Taken:
    regons: set[str]
    books: set[str]
    regon14s: set[str]


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + _LOOKUP_CHUNK] for i in range(0, len(values), _LOOKUP_CHUNK)]


def _existing_identifiers(drafts: list[_Draft]) -> _Taken:
    regons = [d.entity.regon for d in drafts]
    books = [d.entity.register_book_number for d in drafts if d.entity.register_book_number]
    regon14s = [u.regon14 for d in drafts for u in d.units if u.regon14]
    taken = _Taken(set(), set(), set())
    if not Entity.objects.exists():
        return taken  # an empty registry: skip the look-ups, the common case for the demo
    for chunk in _chunks(regons):
        taken.regons.update(Entity.objects.filter(regon__in=chunk).values_list("regon", flat=True))
    for chunk in _chunks(books):
        taken.books.update(
            Entity.objects.filter(register_book_number__in=chunk).values_list(
                "register_book_number", flat=True
            )
        )
    for chunk in _chunks(regon14s):
        taken.regon14s.update(
            OrganisationalUnit.objects.filter(regon14__in=chunk).values_list("regon14", flat=True)
        )
    return taken


def _ids_by_regon(regons: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(regons):
        ids.update(Entity.objects.filter(regon__in=chunk).values_list("regon", "pk"))
    return ids


def _unit_ids(entity_ids: list[int]) -> dict[tuple[int, str], int]:
    ids: dict[tuple[int, str], int] = {}
    for start in range(0, len(entity_ids), _LOOKUP_CHUNK):
        chunk = entity_ids[start : start + _LOOKUP_CHUNK]
        for pk, entity_id, code in OrganisationalUnit.objects.filter(
            entity_id__in=chunk
        ).values_list("pk", "entity_id", "unit_code"):
            ids[entity_id, code] = pk
    return ids


def entities_with_units(min_units: int = 2) -> QuerySet[Entity]:
    """Active entities with at least `min_units` organisational units, by REGON."""
    return (
        Entity.objects.filter(is_active=True)
        .annotate(unit_count=Count("units"))
        .filter(unit_count__gte=min_units)
        .order_by("regon")
    )


def sample_entity_with_units(
    min_units: int = 2, *, entity_type: str | None = None, exclude: tuple[int, ...] = ()
) -> Entity | None:
    """One active entity with several units, the same one every time for the same registry.

    The demo uses it to pick a hospital whose clerks report per unit; pass the ids already
    picked in `exclude` to get another one.
    """
    entities = entities_with_units(min_units).exclude(pk__in=exclude)
    if entity_type:
        entities = entities.filter(entity_type=entity_type)
    return entities.first()
