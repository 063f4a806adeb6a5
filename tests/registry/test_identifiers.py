"""Properties of the identifier validators (REGON, NIP, TERYT, register book).

The oracle below restates the checksums of domain.md 4.1–4.2 independently of python-stdnum,
so the properties check our validators against the published rule, not against themselves.
"""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from ssoz.registry.identifiers import (
    nip_check_digit,
    normalise_register_book,
    regon_check_digit,
    validate_nip,
    validate_register_book,
    validate_regon,
    validate_regon9,
    validate_regon14,
    validate_teryt,
)

REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
VOIVODESHIPS = [f"{code:02d}" for code in range(2, 33, 2)]

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
regon9_bodies = st.text(alphabet="0123456789", min_size=8, max_size=8).filter(
    lambda body: body != "00000000"
)
nip_bodies = st.text(alphabet="0123456789", min_size=9, max_size=9)


def is_valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def weighted_sum(number: str, weights: tuple[int, ...]) -> int:
    return sum(weight * int(digit) for weight, digit in zip(weights, number, strict=False))


@st.composite
def valid_regon9s(draw) -> str:
    body = draw(regon9_bodies)
    return body + regon_check_digit(body)


@st.composite
def valid_nips(draw) -> str:
    body = draw(nip_bodies)
    check = nip_check_digit(body)
    assume(check is not None)
    return body + check


@given(valid_regon9s())
def test_a_regon_completed_with_its_check_digit_is_valid(regon):
    assert is_valid(validate_regon9, regon)
    assert is_valid(validate_regon, regon)


@given(regon9_bodies)
def test_the_regon_check_digit_follows_the_published_weights(body):
    assert regon_check_digit(body) == str(weighted_sum(body, REGON9_WEIGHTS) % 11 % 10)


@given(valid_regon9s(), st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_of_a_regon_always_makes_it_invalid(regon, shift):
    changed = regon[:8] + str((int(regon[8]) + shift) % 10)
    assert not is_valid(validate_regon9, changed)


@given(valid_regon9s(), st.integers(min_value=0, max_value=7), st.integers(1, 9))
def test_a_single_digit_typo_in_a_regon_is_caught_unless_the_sum_moves_between_0_and_10(
    regon, position, shift
):
    # A typo changes the weighted sum mod 11 (every weight is prime to 11), so it is caught,
    # except when the sum moves between 0 and 10: the rule „10 counts as 0” hides that case.
    changed = regon[:position] + str((int(regon[position]) + shift) % 10) + regon[position + 1 :]
    assume(changed != "000000000")
    before = weighted_sum(regon, REGON9_WEIGHTS) % 11
    after = weighted_sum(changed, REGON9_WEIGHTS) % 11
    assert is_valid(validate_regon9, changed) == ({before, after} == {0, 10})


@pytest.mark.parametrize("value", ["000000000", "00000000000000", "000-000-000"])
def test_an_all_zero_regon_is_rejected_although_its_checksum_adds_up(value):
    with pytest.raises(ValidationError) as error:
        validate_regon(value)
    assert error.value.code in ("regon_zero", "regon_length")
    with pytest.raises(ValidationError, match="samych zer"):
        (validate_regon9 if len(value.replace("-", "")) == 9 else validate_regon14)(value)


@given(valid_regon9s(), st.integers(min_value=1, max_value=9999))
def test_a_local_unit_regon_built_on_a_valid_entity_regon_is_valid(regon, local):
    body = regon + f"{local:04d}"
    regon14 = body + regon_check_digit(body)
    assert is_valid(validate_regon14, regon14)
    assert is_valid(validate_regon, regon14)
    assert not is_valid(validate_regon9, regon14)


@given(valid_regon9s(), st.integers(min_value=1, max_value=9), st.integers(1, 9999))
def test_a_local_unit_regon_on_a_broken_entity_regon_is_invalid(regon, shift, local):
    broken = regon[:8] + str((int(regon[8]) + shift) % 10)
    body = broken + f"{local:04d}"
    assert not is_valid(validate_regon14, body + regon_check_digit(body))


@given(valid_regon9s())
def test_spaces_and_dashes_in_a_regon_are_ignored(regon):
    assert is_valid(validate_regon9, f"{regon[:3]}-{regon[3:6]} {regon[6:]}")


@pytest.mark.parametrize("value", ["", "12345678", "1234567890", "12345678a", "abcdefghi"])
def test_a_regon_of_the_wrong_length_or_with_letters_is_rejected(value):
    assert not is_valid(validate_regon9, value)
    assert not is_valid(validate_regon, value)


@given(valid_nips())
def test_a_nip_completed_with_its_check_digit_is_valid_also_with_dashes(nip):
    assert is_valid(validate_nip, nip)
    assert is_valid(validate_nip, f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    assert is_valid(validate_nip, f"{nip[:3]} {nip[3:5]} {nip[5:7]} {nip[7:]}")


@given(valid_nips(), st.integers(min_value=0, max_value=9), st.integers(1, 9))
def test_any_single_digit_typo_in_a_nip_is_caught(nip, position, shift):
    # Every NIP weight, the check digit's −1 included, is prime to 11, and a NIP whose sum
    # gives 10 is never issued, so no single changed digit can keep the checksum.
    changed = nip[:position] + str((int(nip[position]) + shift) % 10) + nip[position + 1 :]
    assert not is_valid(validate_nip, changed)


@given(nip_bodies)
def test_a_nip_body_whose_sum_gives_10_has_no_check_digit(body):
    remainder = weighted_sum(body, NIP_WEIGHTS) % 11
    if remainder == 10:
        assert nip_check_digit(body) is None
    else:
        assert nip_check_digit(body) == str(remainder)


@given(st.sampled_from(VOIVODESHIPS), st.integers(1, 99), st.integers(1, 99), digits)
def test_a_teryt_code_is_valid_for_an_even_voivodeship_and_a_known_commune_kind(
    voivodeship, county, commune, kind
):
    code = f"{voivodeship}{county:02d}{commune:02d}{kind}"
    assert is_valid(validate_teryt, code) == (kind in "1234589")


@given(st.integers(0, 99).filter(lambda n: f"{n:02d}" not in VOIVODESHIPS))
def test_a_teryt_code_with_an_unknown_voivodeship_is_rejected(voivodeship):
    with pytest.raises(ValidationError, match="Nieznany kod województwa"):
        validate_teryt(f"{voivodeship:02d}65011")


@pytest.mark.parametrize("value", ["146501", "14650111", "14-65-01-1", "146501a"])
def test_a_teryt_code_must_be_seven_digits_written_together(value):
    assert not is_valid(validate_teryt, value)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_register_book_numbers_are_padded_to_twelve_digits(number):
    assert is_valid(validate_register_book, str(number))
    assert normalise_register_book(str(number)) == f"{number:012d}"


@pytest.mark.parametrize("value", ["", "1234567890123", "12a45"])
def test_a_register_book_number_is_one_to_twelve_digits(value):
    assert not is_valid(validate_register_book, value)
