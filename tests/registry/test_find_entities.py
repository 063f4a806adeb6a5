import cast
import pytest

from ssoz.registry.services import find_entities


@pytest.fixture
def hospital(db):
    return cast.make_entity(units=2, register_book_number="000000012345")


def test_an_entity_is_found_by_its_regon(hospital):
    assert list(find_entities(regon=hospital.regon)) == [hospital]


def test_an_entity_is_found_by_the_fourteen_digit_regon_of_one_of_its_units(hospital):
    unit = hospital.units.order_by("unit_code").last()

    assert list(find_entities(regon=unit.regon14)) == [hospital]


def test_an_entity_is_found_by_its_register_book_number_without_the_leading_zeros(hospital):
    assert list(find_entities(register_book="12345")) == [hospital]
    assert list(find_entities(register_book="000000012345")) == [hospital]


def test_an_inactive_entity_is_not_offered(hospital):
    hospital.is_active = False
    hospital.save()

    assert not find_entities(regon=hospital.regon).exists()
    assert not find_entities(register_book="12345").exists()


@pytest.mark.parametrize(
    "query",
    [
        {"regon": "12345"},
        {"regon": "12345678a"},
        {"register_book": "12-345"},
        {"regon": "", "register_book": ""},
    ],
)
def test_malformed_input_finds_nothing(hospital, query):
    assert not find_entities(**query).exists()


def test_an_unknown_regon_finds_nothing(hospital):
    assert not find_entities(regon=cast.valid_regon9()).exists()


def test_entities_found_are_listed_by_name(db):
    zeta = cast.make_entity(name="Zakład Opiekuńczy", register_book_number="000000000777")
    alfa = cast.make_entity(name="Centrum Medyczne Alfa", register_book_number="000000000777")

    assert list(find_entities(register_book="777")) == [alfa, zeta]
