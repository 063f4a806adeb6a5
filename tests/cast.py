"""The cast of the test suite.

Alice is a clerk (reporter) of the Mazovian hospital; Bob is her colleague at the same hospital;
Fiona, another colleague, is authorised for financial reports, which Alice is not; Piotr's
account at the hospital may fill only the MZ/Szp-11B card. Charlie is a clerk of a Silesian
clinic and must never see Alice's things. Wanda is the regional
administrator of Mazowieckie, Olaf of Śląskie; Celina is the central administrator. Anna is
an analyst at the Ministry: she reads the results of the whole country and changes nothing.
"""

import itertools

from stdnum.pl import nip as nip_module
from stdnum.pl import regon as regon_module

from ssoz.accounts.models import RegistrationApplication, Role, User
from ssoz.registry.models import Entity, EntityType, OrganisationalUnit, VoivodeshipOffice

PASSWORD = "Korytarz-Szpitalny-2026"
_serial = itertools.count(10_000_001)


def valid_regon9() -> str:
    body = f"{next(_serial):08d}"[-8:]
    return body + regon_module.calc_check_digit(body)


def valid_regon14(regon9: str, local: int) -> str:
    body = regon9 + f"{local:04d}"
    return body + regon_module.calc_check_digit(body)


def valid_nip() -> str:
    while True:
        body = f"{next(_serial):09d}"[-9:]
        for digit in "0123456789":
            if nip_module.is_valid(body + digit):
                return body + digit


def make_office(voivodeship: str = "14", **fields) -> VoivodeshipOffice:
    defaults = {
        "name": "Mazowiecki Urząd Wojewódzki w Warszawie",
        "department": "Wydział Zdrowia",
        "street": "pl. Bankowy 3/5",
        "postal_code": "00-950",
        "city": "Warszawa",
        "email": "statystyka@example.gov.pl",
    }
    defaults.update(fields)
    office, _ = VoivodeshipOffice.objects.update_or_create(
        voivodeship=voivodeship, defaults=defaults
    )
    return office


def make_entity(
    *,
    name: str = "Szpital Bródnowski SPZOZ",
    teryt: str = "1465011",
    city: str = "Warszawa",
    entity_type: str = EntityType.HEALTHCARE_PROVIDER,
    units: int = 0,
    **fields,
) -> Entity:
    regon = fields.pop("regon", None) or valid_regon9()
    entity = Entity.objects.create(
        entity_type=entity_type,
        name=name,
        regon=regon,
        nip=fields.pop("nip", None) or valid_nip(),
        register_book_number=fields.pop("register_book_number", f"{next(_serial):012d}"),
        street=fields.pop("street", "ul. Kondratowicza"),
        building_number=fields.pop("building_number", "8"),
        postal_code=fields.pop("postal_code", "03-242"),
        city=city,
        teryt=teryt,
        **fields,
    )
    for number in range(1, units + 1):
        OrganisationalUnit.objects.create(
            entity=entity,
            name=f"{name} – jednostka {number}",
            regon14=valid_regon14(regon, number),
            unit_code=f"{number:03d}",
            activity_code="1",
            city=city,
            teryt=teryt,
        )
    entity.refresh_from_db()
    return entity


def make_user(
    username: str,
    *,
    role: str = Role.REPORTER,
    entity: Entity | None = None,
    voivodeship: str = "",
    is_active: bool = True,
    password: str = PASSWORD,
    **fields,
) -> User:
    user = User(
        username=username,
        email=fields.pop("email", f"{username}@example.org"),
        first_name=fields.pop("first_name", username.capitalize()),
        last_name=fields.pop("last_name", "Testowa"),
        role=role,
        entity=entity,
        voivodeship=voivodeship,
        is_active=is_active,
        **fields,
    )
    user.set_password(password)
    user.save()
    return user


def make_applicant(username: str, entity: Entity) -> RegistrationApplication:
    user = make_user(username, entity=entity, is_active=False)
    return RegistrationApplication.objects.create(user=user, entity=entity)


def log_in(client, user: User) -> None:
    client.force_login(user, backend="ssoz.accounts.backends.LoginOrEmailBackend")
