"""The 16 voivodeship offices whose administrators activate accounts and approve reports.

Every install gets them from the data migration 0002_voivodeship_offices, which calls
`ensure_voivodeship_offices` with the historical model. After that they belong to the
administrators: they are edited in the Django admin and never overwritten from here.

Street addresses and postal codes are the offices' main seats, checked against the offices' own
pages where found and against public listings that agree with each other. Department names
differ between offices (in Bydgoszcz „Wydział Zdrowia – Kujawsko-Pomorskie Centrum Zdrowia
Publicznego”, in Łódź „Wydział Zdrowia, Rodziny i Polityki Społecznej”) and the statistics
section may sit at another address, so every office starts with the common „Wydział Zdrowia”
until an administrator corrects it. E-mail addresses and fax numbers of the statistics sections
are left blank: they are not guessed.
"""

from typing import Any, NamedTuple

DEFAULT_DEPARTMENT = "Wydział Zdrowia"


class OfficeData(NamedTuple):
    voivodeship: str
    name: str
    street: str
    postal_code: str
    city: str


VOIVODESHIP_OFFICES: tuple[OfficeData, ...] = (
    OfficeData(
        "02",
        "Dolnośląski Urząd Wojewódzki we Wrocławiu",
        "pl. Powstańców Warszawy 1",
        "50-153",
        "Wrocław",
    ),
    OfficeData(
        "04",
        "Kujawsko-Pomorski Urząd Wojewódzki w Bydgoszczy",
        "ul. Jagiellońska 3",
        "85-950",
        "Bydgoszcz",
    ),
    OfficeData("06", "Lubelski Urząd Wojewódzki w Lublinie", "ul. Spokojna 4", "20-914", "Lublin"),
    OfficeData(
        "08",
        "Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim",
        "ul. Jagiellończyka 8",
        "66-400",
        "Gorzów Wielkopolski",
    ),
    OfficeData("10", "Łódzki Urząd Wojewódzki w Łodzi", "ul. Piotrkowska 104", "90-926", "Łódź"),
    OfficeData(
        "12", "Małopolski Urząd Wojewódzki w Krakowie", "ul. Basztowa 22", "31-156", "Kraków"
    ),
    OfficeData(
        "14", "Mazowiecki Urząd Wojewódzki w Warszawie", "pl. Bankowy 3/5", "00-950", "Warszawa"
    ),
    OfficeData("16", "Opolski Urząd Wojewódzki w Opolu", "ul. Piastowska 14", "45-082", "Opole"),
    OfficeData(
        "18",
        "Podkarpacki Urząd Wojewódzki w Rzeszowie",
        "ul. Grunwaldzka 15",
        "35-959",
        "Rzeszów",
    ),
    OfficeData(
        "20",
        "Podlaski Urząd Wojewódzki w Białymstoku",
        "ul. Mickiewicza 3",
        "15-213",
        "Białystok",
    ),
    OfficeData(
        "22", "Pomorski Urząd Wojewódzki w Gdańsku", "ul. Okopowa 21/27", "80-810", "Gdańsk"
    ),
    OfficeData(
        "24", "Śląski Urząd Wojewódzki w Katowicach", "ul. Jagiellońska 25", "40-032", "Katowice"
    ),
    OfficeData(
        "26",
        "Świętokrzyski Urząd Wojewódzki w Kielcach",
        "al. IX Wieków Kielc 3",
        "25-516",
        "Kielce",
    ),
    OfficeData(
        "28",
        "Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie",
        "al. Marszałka Józefa Piłsudskiego 7/9",
        "10-575",
        "Olsztyn",
    ),
    OfficeData(
        "30",
        "Wielkopolski Urząd Wojewódzki w Poznaniu",
        "al. Niepodległości 16/18",
        "61-713",
        "Poznań",
    ),
    OfficeData(
        "32",
        "Zachodniopomorski Urząd Wojewódzki w Szczecinie",
        "Wały Chrobrego 4",
        "70-502",
        "Szczecin",
    ),
)


def ensure_voivodeship_offices(model: Any = None) -> int:
    """Create the offices that are missing and return how many were created.

    Existing offices are left as they are, whatever was edited in them. `model` is the
    historical VoivodeshipOffice when a migration calls this; the current model otherwise.
    """
    if model is None:
        from ssoz.registry.models import VoivodeshipOffice

        model = VoivodeshipOffice
    existing = set(model.objects.values_list("voivodeship", flat=True))
    missing = [
        model(
            voivodeship=office.voivodeship,
            name=office.name,
            department=DEFAULT_DEPARTMENT,
            street=office.street,
            postal_code=office.postal_code,
            city=office.city,
        )
        for office in VOIVODESHIP_OFFICES
        if office.voivodeship not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)
