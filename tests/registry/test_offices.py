import re

from ssoz.registry.models import VoivodeshipOffice
from ssoz.registry.offices import VOIVODESHIP_OFFICES, ensure_voivodeship_offices
from ssoz.registry.synthetic import PLACES
from ssoz.registry.teryt import VOIVODESHIP_SEATS, Voivodeship


def test_every_install_has_the_sixteen_offices_from_the_data_migration(db):
    offices = VoivodeshipOffice.objects.all()

    assert sorted(offices.values_list("voivodeship", flat=True)) == sorted(Voivodeship.values)
    assert all(office.department == "Wydział Zdrowia" for office in offices)


def test_each_office_is_named_after_its_voivodeship_and_sits_in_its_seat(db):
    for office in VoivodeshipOffice.objects.all():
        adjective = Voivodeship(office.voivodeship).label  # „dolnośląskie”
        assert office.name.lower().startswith(adjective[:-2]), office.name
        assert " Urząd Wojewódzki " in office.name
        assert office.city == VOIVODESHIP_SEATS[office.voivodeship]
        seat = next(p for p in PLACES[office.voivodeship][0] if p.name == office.city)
        assert office.name.endswith(seat.in_place), office.name


def test_office_names_use_the_right_preposition_and_case(db):
    names = dict(VoivodeshipOffice.objects.values_list("voivodeship", "name"))

    assert names["02"] == "Dolnośląski Urząd Wojewódzki we Wrocławiu"
    assert names["08"] == "Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim"
    assert names["14"] == "Mazowiecki Urząd Wojewódzki w Warszawie"
    assert names["20"] == "Podlaski Urząd Wojewódzki w Białymstoku"
    assert names["28"] == "Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie"


def test_addresses_have_postal_codes_and_no_e_mail_is_guessed(db):
    for office in VoivodeshipOffice.objects.all():
        assert re.fullmatch(r"\d{2}-\d{3}", office.postal_code)
        assert office.street
        assert office.email == ""
        assert office.fax == ""
        assert office.address_lines[-1] == f"{office.postal_code} {office.city}"


def test_ensuring_the_offices_again_leaves_edited_ones_alone(db):
    office = VoivodeshipOffice.objects.get(voivodeship="06")
    office.department = "Wydział Polityki Społecznej"
    office.email = "statystyka@lublin.example"
    office.save()

    created = ensure_voivodeship_offices()

    assert created == 0
    office.refresh_from_db()
    assert office.department == "Wydział Polityki Społecznej"
    assert office.email == "statystyka@lublin.example"


def test_a_deleted_office_is_recreated_from_the_seed_data(db):
    VoivodeshipOffice.objects.filter(voivodeship__in=["16", "32"]).delete()

    assert ensure_voivodeship_offices() == 2
    assert VoivodeshipOffice.objects.get(voivodeship="16").street == "ul. Piastowska 14"
    assert VoivodeshipOffice.objects.count() == len(VOIVODESHIP_OFFICES) == 16
