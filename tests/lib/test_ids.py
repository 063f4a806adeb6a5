"""Ids from outside are parsed bounded: never an exception, whatever the text."""

from hypothesis import given
from hypothesis import strategies as st

from ssoz.lib.ids import MAX_ID_DIGITS, IdConverter, parse_id, parse_int


def test_a_row_id_is_one_to_eighteen_ascii_digits():
    assert parse_id("42") == 42
    assert parse_id(" 7 ") == 7
    assert parse_id("9" * MAX_ID_DIGITS) == int("9" * MAX_ID_DIGITS)
    for not_an_id in ("", "0", "-1", "9" * (MAX_ID_DIGITS + 1), "9" * 25_000, "²", "٣", "1e3"):
        assert parse_id(not_an_id) is None, not_an_id
    assert parse_id(10**30) is None
    assert parse_id(True) is None
    assert parse_id(None) is None


def test_a_whole_number_must_lie_within_its_bounds():
    assert parse_int("2023", minimum=2000, maximum=2100) == 2023
    assert parse_int("1999", minimum=2000, maximum=2100) is None
    assert parse_int("9" * 25_000, minimum=0, maximum=10) is None


def test_the_url_converter_refuses_what_is_not_an_id():
    converter = IdConverter()
    assert converter.to_python("12") == 12
    try:
        converter.to_python("0")
    except ValueError:
        pass
    else:
        raise AssertionError("0 is not an id")


@given(st.one_of(st.text(), st.integers(), st.none(), st.floats(), st.booleans()))
def test_parsing_never_raises(value):
    number = parse_id(value)
    assert number is None or 0 < number < 10**MAX_ID_DIGITS
    parse_int(value, minimum=-5, maximum=5)


def test_a_separator_character_around_an_id_is_stripped_as_any_whitespace():
    """str.strip() removes the separators \\x1c–\\x1f, which int() refuses around a number."""
    assert parse_id("0\x1f") is None
    assert parse_id("7\x1f") == 7
    assert parse_int("3\x1c", minimum=-5, maximum=5) == 3
