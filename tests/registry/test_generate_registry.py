import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ssoz.registry.models import Entity, EntityType, OrganisationalUnit
from ssoz.registry.synthetic import (
    PLACES,
    entities_with_units,
    feminine_surname,
    generate_registry,
    preposition_w,
    sample_entity_with_units,
)
from ssoz.registry.teryt import Voivodeship

PRACTICES = {
    EntityType.DOCTOR_PRACTICE,
    EntityType.DENTIST_PRACTICE,
    EntityType.NURSE_PRACTICE,
}


def snapshot() -> list[tuple]:
    return list(
        Entity.objects.order_by("regon").values_list(
            "regon", "name", "nip", "register_book_number", "teryt", "postal_code", "street"
        )
    ) + list(
        OrganisationalUnit.objects.order_by("regon14", "entity__regon", "unit_code").values_list(
            "entity__regon", "unit_code", "name", "regon14", "activity_code", "teryt"
        )
    )


@pytest.fixture
def big_registry(db):
    """Enough entities for the proportions to show (one generation, a second or so)."""
    generate_registry(2000, seed=11)


def test_it_creates_the_requested_number_of_entities_with_their_units(db):
    summary = generate_registry(120, seed=1)

    assert summary.entities_created == Entity.objects.count() == 120
    assert summary.units_created == OrganisationalUnit.objects.count() > 0
    assert summary.entities_skipped == 0
    assert sum(summary.entities_by_type.values()) == 120


def test_the_same_seed_gives_the_same_registry(db):
    generate_registry(80, seed=5)
    first = snapshot()
    Entity.objects.all().delete()

    generate_registry(80, seed=5)

    assert snapshot() == first


def test_another_seed_gives_another_registry(db):
    generate_registry(30, seed=5)
    first = {regon for regon, *_ in snapshot()[:30]}
    Entity.objects.all().delete()

    generate_registry(30, seed=6)

    assert not first & set(Entity.objects.values_list("regon", flat=True))


def test_running_the_same_seed_again_adds_nothing_and_reports_the_skipped_entities(db):
    generate_registry(50, seed=2)
    before = snapshot()

    summary = generate_registry(50, seed=2)

    assert summary.entities_created == summary.units_created == 0
    assert summary.entities_skipped == 50
    assert snapshot() == before


def test_a_larger_count_with_the_same_seed_only_adds_the_new_entities(db):
    generate_registry(40, seed=3)
    first = set(Entity.objects.values_list("regon", flat=True))

    summary = generate_registry(100, seed=3)

    assert summary.entities_skipped == 40
    assert summary.entities_created == 60
    assert first < set(Entity.objects.values_list("regon", flat=True))


def test_an_entity_whose_register_book_number_is_taken_is_skipped(db):
    generate_registry(10, seed=4)
    taken = Entity.objects.exclude(register_book_number="").order_by("regon").first()
    book = taken.register_book_number
    # The same book under another REGON: the generator must not create a second owner.
    Entity.objects.all().delete()
    Entity.objects.create(
        entity_type=EntityType.HEALTHCARE_PROVIDER,
        name="Szpital spoza generatora",
        regon="123456785",
        register_book_number=book,
        city="Lublin",
        teryt="0663011",
    )

    summary = generate_registry(10, seed=4)

    assert summary.entities_skipped == 1
    assert Entity.objects.filter(register_book_number=book).count() == 1


def test_every_generated_entity_and_unit_passes_model_validation(db):
    generate_registry(150, seed=8)

    for entity in Entity.objects.all():
        entity.full_clean()
    for unit in OrganisationalUnit.objects.select_related("entity"):
        unit.full_clean()
        if unit.regon14:
            assert unit.regon14[:9] == unit.entity.regon


def test_register_book_numbers_are_unique_twelve_digit_numbers(big_registry):
    books = list(
        Entity.objects.exclude(register_book_number="").values_list(
            "register_book_number", flat=True
        )
    )
    assert all(re.fullmatch(r"\d{12}", book) for book in books)
    assert len(books) == len(set(books))
    assert len(set(Entity.objects.values_list("nip", flat=True))) == Entity.objects.count()


def test_entities_are_spread_over_all_sixteen_voivodeships(big_registry):
    found = set(Entity.objects.values_list("voivodeship", flat=True))
    assert found == set(Voivodeship.values)


def test_most_entities_are_practices_and_most_practices_have_no_units(big_registry):
    types = Counter(Entity.objects.values_list("entity_type", flat=True))
    practices = sum(count for entity_type, count in types.items() if entity_type in PRACTICES)
    assert practices > 0.6 * Entity.objects.count()
    assert types[EntityType.HEALTHCARE_PROVIDER] > 0.15 * Entity.objects.count()

    practices_with_counts = entities_with_units(min_units=0).filter(entity_type__in=PRACTICES)
    practice_units = Counter(entity.unit_count for entity in practices_with_counts)
    assert practice_units[0] > 0.8 * sum(practice_units.values())
    assert max(practice_units) <= 1


def test_every_podmiot_leczniczy_has_one_to_eight_units_numbered_from_001(big_registry):
    providers = entities_with_units(min_units=0).filter(entity_type=EntityType.HEALTHCARE_PROVIDER)
    counts = Counter(entity.unit_count for entity in providers)
    assert min(counts) >= 1
    assert max(counts) <= 8
    assert max(counts) >= 6  # the big hospitals are there
    for entity in providers.filter(unit_count__gte=3)[:50]:
        codes = list(entity.units.order_by("unit_code").values_list("unit_code", flat=True))
        assert codes == [f"{n:03d}" for n in range(1, len(codes) + 1)]


def test_unit_names_match_their_kind_of_activity(big_registry):
    for name, activity in OrganisationalUnit.objects.values_list("name", "activity_code"):
        assert activity in ("1", "2", "3")
        if name.startswith("Szpital"):
            assert activity == "1", name
        if name.startswith(("Zakład Opiekuńczo", "Zakład Pielęgnacyjno", "Hospicjum")):
            assert activity == "2", name
        if name.startswith("Przychodnia"):
            assert activity == "3", name


def test_teryt_and_postal_codes_have_the_right_shape(big_registry):
    kinds = set()
    for teryt, postal_code in Entity.objects.values_list("teryt", "postal_code"):
        assert re.fullmatch(r"\d{7}", teryt)
        assert teryt[:2] in Voivodeship.values
        assert teryt[6] in "12345"
        assert re.fullmatch(r"\d{2}-\d{3}", postal_code)
        kinds.add(teryt[6])
    assert kinds == set("12345")


def test_public_entities_have_a_founding_body_code_and_private_ones_none(big_registry):
    public = Entity.objects.filter(
        name__regex=r"^(Samodzielny Publiczny|Szpital Wojewódzki|Szpital Powiatowy|Gminny)"
    )
    assert public.exists()
    assert not public.filter(founding_body_code="").exists()
    assert set(public.values_list("founding_body_code", flat=True)) <= {
        "14",  # the interior ministry's SPZOZ
        "31",
        "32",
        "33",
    }
    interior = Entity.objects.filter(name__contains="Ministerstwa Spraw Wewnętrznych")
    assert set(interior.values_list("founding_body_code", flat=True)) <= {"14"}
    military = Entity.objects.filter(name__startswith="Wojskowa")
    assert set(military.values_list("founding_body_code", flat=True)) <= {"12"}
    private = Entity.objects.filter(name__contains="Sp. z o.o.")
    assert not private.exclude(founding_body_code="").exists()
    assert not Entity.objects.filter(entity_type__in=PRACTICES).exclude(founding_body_code="")


def test_names_look_polish(big_registry):
    names = list(Entity.objects.values_list("name", flat=True))
    assert any(name.startswith("Szpital Wojewódzki im. ") for name in names)
    assert any(
        name.startswith("Samodzielny Publiczny Zakład Opieki Zdrowotnej w") for name in names
    )
    assert any(name.startswith("Centrum Medyczne ") for name in names)
    assert any(name.startswith("Praktyka Lekarska lek. ") for name in names)
    for name in names:
        for preposition, word in re.findall(r" (w|we) (\S+)", name):
            assert preposition == preposition_w(word), name


def test_generated_e_mail_addresses_use_a_reserved_domain(big_registry):
    emails = Entity.objects.exclude(email="").values_list("email", flat=True)
    assert emails
    assert all(email.endswith(".example") for email in emails)


@pytest.mark.parametrize(
    ("locative", "preposition"),
    [
        ("Wrocławiu", "we"),
        ("Włocławku", "we"),
        ("Wrześni", "we"),
        ("Warszawie", "w"),
        ("Wałbrzychu", "w"),
        ("Lublinie", "w"),
        ("Białymstoku", "w"),
    ],
)
def test_the_preposition_before_a_place_follows_polish_usage(locative, preposition):
    assert preposition_w(locative) == preposition


@pytest.mark.parametrize(
    ("surname", "feminine"),
    [("Kowalski", "Kowalska"), ("Zawadzki", "Zawadzka"), ("Konieczny", "Konieczna"),
     ("Nowak", "Nowak"), ("Wróbel", "Wróbel")],
)  # fmt: skip
def test_surnames_take_the_feminine_form(surname, feminine):
    assert feminine_surname(surname) == feminine


def test_every_place_lies_in_its_voivodeship():
    for voivodeship, groups in PLACES.items():
        for group in groups:
            assert group
            for place in group:
                assert place.teryt[:2] == voivodeship
                assert re.fullmatch(r"\d{2}-\d?", place.postal_prefixes[0][:4])


def test_sample_entity_with_units_picks_the_same_entity_with_enough_units(db):
    generate_registry(300, seed=9)

    entity = sample_entity_with_units(3, entity_type=EntityType.HEALTHCARE_PROVIDER)

    assert entity is not None
    assert entity.units.count() >= 3
    assert entity.entity_type == EntityType.HEALTHCARE_PROVIDER
    assert sample_entity_with_units(3, entity_type=EntityType.HEALTHCARE_PROVIDER) == entity
    other = sample_entity_with_units(3, exclude=(entity.pk,))
    assert other is not None and other != entity


def test_sample_entity_with_units_is_none_when_no_entity_has_enough(db):
    generate_registry(5, seed=1)
    assert sample_entity_with_units(9) is None


def test_the_command_prints_what_it_created(db):
    out = call_command_output("generate_registry", "--entities", "40", "--seed", "1")

    assert "Utworzone podmioty: 40" in out
    assert "Podmiotów w rejestrze: 40." in out
    assert "Podmiot leczniczy" in out


def test_the_command_says_when_it_skipped_existing_entities(db):
    call_command_output("generate_registry", "--entities", "10", "--seed", "1")

    out = call_command_output("generate_registry", "--entities", "10", "--seed", "1")

    assert "Utworzone podmioty: 0" in out
    assert "Pominięte podmioty (ich REGON lub numer księgi już są w rejestrze): 10." in out


def test_the_command_refuses_a_negative_count(db):
    with pytest.raises(CommandError):
        call_command("generate_registry", "--entities", "-1")


def call_command_output(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
