"""Identifiers from the outside world (addresses, posted forms, uploaded files, JSON), parsed
in one place and bounded, so that no value reaches a query or `int()` unchecked.

A row id is 1 to 18 ASCII digits: within a signed 64-bit integer on SQLite and PostgreSQL
alike. Anything else is simply not an id (None), never an exception: `int()` of 25,000 digits
raises, SQLite overflows on 10^30, and `str.isdigit()` accepts "²", which `int()` refuses.
"""

import re

MAX_ID_DIGITS = 18
_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")


def parse_id(value: object) -> int | None:
    """A positive row id from a text or number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 10**MAX_ID_DIGITS else None
    if not isinstance(value, str):
        return None
    # The stripped text is converted: str.strip() removes characters (the separators
    # \x1c–\x1f) that int() does not accept around a number.
    text = value.strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number > 0 else None


def parse_int(value: object, *, minimum: int, maximum: int) -> int | None:
    """A whole number within [minimum, maximum] (a year, a page, a version), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


class IdConverter:
    """`<id:name>` in URL patterns: an id as `parse_id` accepts it; anything longer is a 404."""

    regex = rf"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django answers 404: the pattern does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)
