"""Polish identifiers (REGON, NIP, PESEL, TERYT) as Django validators over python-stdnum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, pesel, regon


def compact_digits(value: str) -> str:
    """Strip the spaces and dashes people type inside identifiers."""
    return re.sub(r"[\s\-]", "", value or "")


def validate_regon9(value: str) -> None:
    number = compact_digits(value)
    if len(number) != 9 or not number.isdigit():
        raise ValidationError(_("REGON podmiotu ma 9 cyfr."), code="regon_length")
    _check_regon(number)


def validate_regon14(value: str) -> None:
    number = compact_digits(value)
    if len(number) != 14 or not number.isdigit():
        raise ValidationError(_("REGON jednostki lokalnej ma 14 cyfr."), code="regon_length")
    _check_regon(number)


def validate_regon(value: str) -> None:
    """Accept either a 9-digit REGON of an entity or a 14-digit REGON of a local unit."""
    number = compact_digits(value)
    if not number.isdigit() or len(number) not in (9, 14):
        raise ValidationError(_("REGON ma 9 albo 14 cyfr."), code="regon_length")
    _check_regon(number)


def _check_regon(number: str) -> None:
    if set(number) == {"0"}:
        raise ValidationError(_("REGON nie może składać się z samych zer."), code="regon_zero")
    try:
        regon.validate(number)
    except StdnumError:
        raise ValidationError(
            _("REGON %(value)s ma błędną cyfrę kontrolną. Sprawdź, czy nie ma literówki."),
            code="regon_checksum",
            params={"value": number},
        ) from None


def validate_nip(value: str) -> None:
    number = compact_digits(value)
    if len(number) != 10 or not number.isdigit():
        raise ValidationError(_("NIP ma 10 cyfr."), code="nip_length")
    try:
        nip.validate(number)
    except StdnumError:
        raise ValidationError(
            _("NIP %(value)s ma błędną cyfrę kontrolną."),
            code="nip_checksum",
            params={"value": number},
        ) from None


def validate_pesel(value: str) -> None:
    number = compact_digits(value)
    try:
        pesel.validate(number)
    except StdnumError:
        raise ValidationError(_("Błędny numer PESEL."), code="pesel") from None


def validate_teryt(value: str) -> None:
    """A TERC code of a commune: voivodeship, county, commune (2+2+2) and its kind (1)."""
    if not re.fullmatch(r"\d{7}", value or ""):
        raise ValidationError(_("Kod TERYT gminy ma 7 cyfr."), code="teryt_format")
    if value[:2] not in {f"{code:02d}" for code in range(2, 33, 2)}:
        raise ValidationError(
            _("Nieznany kod województwa w kodzie TERYT."), code="teryt_voivodeship"
        )
    if value[6] not in "1234589":
        raise ValidationError(_("Nieznany rodzaj gminy w kodzie TERYT."), code="teryt_kind")


def validate_register_book(value: str) -> None:
    """The RPWDL register-book number (numer księgi rejestrowej), part I of kod resortowy."""
    number = compact_digits(value)
    if not number.isdigit() or not 1 <= len(number) <= 12:
        raise ValidationError(
            _("Numer księgi rejestrowej składa się z najwyżej 12 cyfr."), code="register_book"
        )


def validate_specialty_code(value: str) -> None:
    """Part VIII of kod resortowy: the specialty of an organisational cell, four digits."""
    if not re.fullmatch(r"\d{4}", value or ""):
        raise ValidationError(
            _("Kod specjalności komórki (część VIII) ma 4 cyfry."), code="specialty_code"
        )


def normalise_register_book(value: str) -> str:
    """Register-book numbers are shown zero-padded to 12 digits, e.g. 000000012345."""
    return compact_digits(value).zfill(12)


def regon_check_digit(body: str) -> str:
    """The check digit for the first 8 (or 13) digits of a REGON, for generators."""
    return regon.calc_check_digit(body)


def nip_check_digit(body: str) -> str | None:
    """The check digit for the first 9 digits of a NIP, or None where none exists (never issued)."""
    return next((d for d in "0123456789" if nip.is_valid(body + d)), None)
