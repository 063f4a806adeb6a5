"""Import of an RPWDL-style CSV export into the registry, and the matching export.

RPWDL (Rejestr Podmiotów Wykonujących Działalność Leczniczą) is the source of our entities and
their organisational units. The exact columns of its exports are not verified (domain.md 4.6), so
nothing here names a column: a mapping (JSON, see docs/registry.md and rpwdl_mapping.json) says
which header holds which of our fields. One CSV row is one organisational unit with its entity's
columns repeated; a row with no unit columns filled describes the entity alone.

Transactions: the whole file runs in one transaction, with a savepoint per entity. A database
conflict on one entity (a REGON-14 already used elsewhere, say) rolls back that entity and its
units only, and is reported; an interrupted import leaves nothing half-written; and --dry-run is
the same run rolled back at the end, so it reports exactly what a real run would do. On SQLite
this holds the write lock for the length of the import (seconds for tens of thousands of rows);
for an administrators' upload that is acceptable.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ssoz.registry.identifiers import (
    compact_digits,
    normalise_register_book,
    validate_nip,
    validate_register_book,
    validate_regon9,
    validate_regon14,
    validate_teryt,
)
from ssoz.registry.models import Entity, EntityType, OrganisationalUnit

DEFAULT_MAPPING_PATH = Path(__file__).with_name("rpwdl_mapping.json")

ADDRESS_FIELDS = ("street", "building_number", "flat_number", "postal_code", "city")
ENTITY_FIELDS = (
    "regon",
    "name",
    "nip",
    "register_book_number",
    "entity_type",
    "founding_body_code",
    "legal_form_code",
    "address",
    *ADDRESS_FIELDS,
    "teryt",
    "email",
    "phone",
    "end_date",
)
UNIT_FIELDS = (
    "unit_code",
    "unit_name",
    "unit_regon14",
    "unit_activity_code",
    "unit_address",
    *(f"unit_{name}" for name in ADDRESS_FIELDS),
    "unit_teryt",
)
KNOWN_FIELDS = ENTITY_FIELDS + UNIT_FIELDS

_LOOKUP_CHUNK = 500  # below SQLite's historical limit of 999 parameters per statement


class MappingError(ValueError):
    """A column mapping that cannot be used; the message is for the administrator."""


class ImportFileError(ValueError):
    """A file that cannot be imported at all (unreadable, or required columns missing)."""


# --------------------------------------------------------------------------------------------
# The mapping


def loose(text: str) -> str:
    """A header or label compared loosely: case, spaces and underscores ignored, diacritics kept."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("_", " ")
    return " ".join(text.split()).strip(" \"'").casefold()


@dataclass(frozen=True)
class ColumnMapping:
    """Which CSV headers hold which of our fields, and how entity types are written."""

    columns: dict[str, tuple[str, ...]]
    default_entity_type: str = EntityType.HEALTHCARE_PROVIDER
    entity_types: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise MappingError(_("Mapowanie musi być obiektem JSON z kluczem „columns”."))
        columns: dict[str, tuple[str, ...]] = {}
        for key, headers in data["columns"].items():
            if key not in KNOWN_FIELDS:
                raise MappingError(
                    _("Nieznane pole „%(field)s” w mapowaniu. Dozwolone pola: %(fields)s.")
                    % {"field": key, "fields": ", ".join(KNOWN_FIELDS)}
                )
            if isinstance(headers, str):
                headers = [headers]
            if not isinstance(headers, list) or not all(
                isinstance(h, str) and h.strip() for h in headers
            ):
                raise MappingError(
                    _("Pole „%(field)s”: podaj nazwę kolumny albo listę nazw.") % {"field": key}
                )
            if headers:
                columns[key] = tuple(headers)
        missing = [key for key in ("regon", "name", "teryt") if key not in columns]
        if "city" not in columns and "address" not in columns:
            missing.append("city")
        if missing:
            raise MappingError(
                _("Mapowanie nie wskazuje kolumn dla wymaganych pól: %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
        default_type = data.get("default_entity_type", EntityType.HEALTHCARE_PROVIDER)
        if default_type not in EntityType.values:
            raise MappingError(
                _("Nieznany domyślny typ jednostki „%(value)s”.") % {"value": default_type}
            )
        entity_types = {}
        for label, value in (data.get("entity_types") or {}).items():
            if value not in EntityType.values:
                raise MappingError(
                    _("Nieznany typ jednostki „%(value)s” dla „%(label)s”.")
                    % {"value": value, "label": label}
                )
            entity_types[loose(label)] = value
        return cls(
            columns=columns,
            default_entity_type=default_type,
            entity_types=entity_types,
            description=str(data.get("description", "")),
        )

    def entity_type_for(self, label: str) -> str | None:
        """Our entity type for a value in the file: a mapped label, our code or our label."""
        key = loose(label)
        if key in self.entity_types:
            return self.entity_types[key]
        for value, name in EntityType.choices:
            if key in (loose(value), loose(str(name))):
                return value
        return None


def load_mapping(source: ColumnMapping | dict | str | Path | None = None) -> ColumnMapping:
    """The default mapping, or one given as a ColumnMapping, a dict or a path to a JSON file."""
    if isinstance(source, ColumnMapping):
        return source
    if isinstance(source, dict):
        return ColumnMapping.from_dict(source)
    path = Path(source) if source is not None else DEFAULT_MAPPING_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise MappingError(
            _("Nie można odczytać pliku mapowania %(path)s: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from None
    except json.JSONDecodeError as error:
        raise MappingError(
            _("Plik mapowania %(path)s nie jest poprawnym JSON-em (wiersz %(line)d): %(error)s")
            % {"path": path, "line": error.lineno, "error": error.msg}
        ) from None
    return ColumnMapping.from_dict(data)


# --------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class RowProblem:
    """A rejected row: its line in the file (the header is line 1) and why, in Polish."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Wiersz %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    """What an import did, or with dry_run what it would have done."""

    dry_run: bool = False
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    entities_created: int = 0
    entities_updated: int = 0
    entities_unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # file-level: nothing was imported

    @property
    def rows_rejected(self) -> int:
        return len({problem.line for problem in self.problems})

    @property
    def changed(self) -> bool:
        return any(
            (self.entities_created, self.entities_updated, self.units_created, self.units_updated)
        )

    @property
    def ok(self) -> bool:
        return not self.errors

    def reject(self, line: int, message: str) -> None:
        self.problems.append(RowProblem(line, message))

    def summary_lines(self) -> list[str]:
        if self.errors:
            return [_("Pliku nie zaimportowano."), *self.errors]
        lines = [
            _("Wiersze danych: %(rows)d, odrzucone: %(rejected)d.")
            % {"rows": self.rows, "rejected": self.rows_rejected},
            _("Podmioty – nowe: %(created)d, zmienione: %(updated)d, bez zmian: %(unchanged)d.")
            % {
                "created": self.entities_created,
                "updated": self.entities_updated,
                "unchanged": self.entities_unchanged,
            },
            _(
                "Jednostki organizacyjne – nowe: %(created)d, zmienione: %(updated)d, "
                "bez zmian: %(unchanged)d."
            )
            % {
                "created": self.units_created,
                "updated": self.units_updated,
                "unchanged": self.units_unchanged,
            },
        ]
        if not self.changed:
            lines.append(_("Nic się nie zmieniło: rejestr już zgadza się z plikiem."))
        if self.dry_run:
            lines.append(_("To była próba (--dry-run): niczego nie zapisano."))
        return lines


# --------------------------------------------------------------------------------------------
# Reading the file


def _read_text(file: Any, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read in.

    Without an explicit encoding: a UTF-8 or UTF-16 byte-order mark decides; otherwise UTF-8
    if the bytes are valid UTF-8, else Windows-1250 (what Excel writes on Polish Windows).
    """
    if isinstance(file, (str, Path)):
        raw: bytes | str = Path(file).read_bytes()
    elif isinstance(file, (bytes, bytearray)):
        raw = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        raw = file.read()
    if isinstance(raw, str):
        return raw.lstrip("\ufeff"), "text"
    if encoding:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ImportFileError(
                _("Nie można odczytać pliku w kodowaniu %(encoding)s: %(error)s")
                % {"encoding": encoding, "error": error}
            ) from None
        return text.lstrip("\ufeff"), encoding
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1250"), "cp1250"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Nie rozpoznano kodowania pliku (ani UTF-8, ani Windows-1250). Podaj je jawnie.")
        ) from None


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (; , or tab)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {
        delimiter: len(next(csv.reader([first_line], delimiter=delimiter), []))
        for delimiter in (";", ",", "\t")
    }
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else ";"


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """Each non-empty CSV record with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for values in reader:
        if any(value.strip() for value in values):
            yield start, values
        start = reader.line_num + 1


# --------------------------------------------------------------------------------------------
# Parsing rows

_POSTAL_CODE = re.compile(r"(?<!\d)(\d{2})\s*-?\s*(\d{3})(?!\d)")
_STREET_NUMBER = re.compile(
    r"^(?P<street>.*?)\s*(?P<building>\d+\s*[A-Za-z]?)"
    r"(?:\s*(?:/|m\.|lok\.|lokal)\s*(?P<flat>\w+))?$"
)
_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"^(?P<d>\d{1,2})[.\-/](?P<m>\d{1,2})[.\-/](?P<y>\d{4})"),
)


def normalise_postal_code(value: str) -> str:
    """00950, 00 950, 00-950 → 00-950; raises ValidationError otherwise."""
    digits = compact_digits(value)
    if not re.fullmatch(r"\d{5}", digits):
        raise ValidationError(_("Kod pocztowy ma postać NN-NNN, a podano „%s”.") % value)
    return f"{digits[:2]}-{digits[2:]}"


def parse_address(text: str) -> dict[str, str]:
    """Split „ul. Szpitalna 12/3, 00-950 Warszawa” (either order) into our address fields."""
    text = " ".join(text.split())
    match = _POSTAL_CODE.search(text)
    if not match:
        raise ValidationError(_("W adresie „%s” brak kodu pocztowego.") % text)
    postal_code = f"{match.group(1)}-{match.group(2)}"
    before, after = text[: match.start()].strip(" ,"), text[match.end() :].strip(" ,")
    if after and "," in after:
        city, street_part = (part.strip() for part in after.split(",", 1))
    elif after:
        city, street_part = after, before
    else:
        city, street_part = "", before
    if "," in street_part and not city:
        street_part, city = (part.strip() for part in street_part.rsplit(",", 1))
    if not city:
        raise ValidationError(_("W adresie „%s” brak miejscowości.") % text)
    numbers = _STREET_NUMBER.match(street_part)
    if not numbers:
        raise ValidationError(_("W adresie „%s” brak numeru domu.") % text)
    street = numbers.group("street").strip(" ,")
    if street == city:
        street = ""  # a village without streets: „Brzezie 36, 21-240 Brzezie”
    return {
        "street": street,
        "building_number": numbers.group("building").replace(" ", ""),
        "flat_number": numbers.group("flat") or "",
        "postal_code": postal_code,
        "city": city,
    }


def _parse_date(value: str) -> date:
    for pattern in _DATE_FORMATS:
        match = pattern.match(value.strip())
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise ValidationError(_("Nieczytelna data „%s” (oczekiwano RRRR-MM-DD).") % value)


@dataclass
class _UnitRow:
    unit_code: str
    values: dict[str, str]  # model field → value
    own_address: bool  # False: the address was copied from the entity


@dataclass
class _Row:
    line: int
    regon: str
    entity: dict[str, Any]  # model field → value, only for columns in the file
    entity_type: str | None
    unit: _UnitRow | None


class _RowParser:
    def __init__(self, mapping: ColumnMapping, header: list[str]) -> None:
        self.mapping = mapping
        positions = {}
        for index, name in enumerate(header):
            positions.setdefault(loose(name), index)
        self.index: dict[str, int] = {}
        for key, aliases in mapping.columns.items():
            for alias in aliases:
                if loose(alias) in positions:
                    self.index[key] = positions[loose(alias)]
                    break
        missing = [key for key in ("regon", "name", "teryt") if key not in self.index]
        if "city" not in self.index and "address" not in self.index:
            missing.append("city")
        if missing:
            raise ImportFileError(
                _("W nagłówku pliku brak wymaganych kolumn: %(columns)s.")
                % {
                    "columns": "; ".join(
                        " / ".join(f"„{alias}”" for alias in mapping.columns[key])
                        for key in missing
                        if key in mapping.columns
                    )
                }
            )
        self.has_unit_columns = "unit_code" in self.index

    def has(self, key: str) -> bool:
        return key in self.index

    def parse(self, line: int, values: list[str]) -> _Row | list[str]:
        """The row's data, or the list of reasons (Polish) why it is rejected."""
        errors: list[str] = []

        def cell(key: str) -> str:
            position = self.index.get(key)
            if position is None or position >= len(values):
                return ""
            return " ".join(values[position].split())

        def check(validator: Any, value: str) -> None:
            try:
                validator(value)
            except ValidationError as error:
                errors.extend(str(message) for message in error.messages)

        entity: dict[str, Any] = {}
        regon = compact_digits(cell("regon"))
        if not regon:
            errors.append(_("Brak numeru REGON podmiotu."))
        else:
            check(validate_regon9, regon)
        entity["regon"] = regon

        name = cell("name")
        if not name:
            errors.append(_("Brak nazwy podmiotu."))
        elif len(name) > Entity._meta.get_field("name").max_length:
            errors.append(_("Nazwa podmiotu jest dłuższa niż 300 znaków."))
        entity["name"] = name

        if self.has("nip"):
            nip = compact_digits(cell("nip"))
            if nip:
                check(validate_nip, nip)
            entity["nip"] = nip
        if self.has("register_book_number"):
            book = compact_digits(cell("register_book_number"))
            if book:
                check(validate_register_book, book)
                book = normalise_register_book(book)
            entity["register_book_number"] = book
        if self.has("founding_body_code"):
            code = cell("founding_body_code")
            if code and not re.fullmatch(r"\d{2}", code):
                errors.append(_("Kod podmiotu tworzącego ma 2 cyfry, a podano „%s”.") % code)
            entity["founding_body_code"] = code
        if self.has("legal_form_code"):
            code = cell("legal_form_code")
            if code and not re.fullmatch(r"\d{1,3}", code):
                errors.append(
                    _("Kod formy organizacyjno-prawnej ma 1–3 cyfry, a podano „%s”.") % code
                )
            entity["legal_form_code"] = code

        entity.update(self.address(cell, errors, prefix=""))
        teryt = compact_digits(cell("teryt"))
        if not teryt:
            errors.append(_("Brak identyfikatora terytorialnego (TERYT) podmiotu."))
        else:
            check(validate_teryt, teryt)
        entity["teryt"] = teryt

        if self.has("email"):
            email = cell("email")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(_("Nieprawidłowy adres e-mail „%s”.") % email)
            entity["email"] = email
        if self.has("phone"):
            phone = cell("phone")
            if len(phone) > Entity._meta.get_field("phone").max_length:
                errors.append(_("Numer telefonu jest za długi."))
            entity["phone"] = phone
        if self.has("end_date"):
            ended = cell("end_date")
            is_active = True
            if ended:
                try:
                    is_active = _parse_date(ended) > timezone.localdate()
                except ValidationError as error:
                    errors.extend(error.messages)
            entity["is_active"] = is_active

        entity_type = None
        if self.has("entity_type") and cell("entity_type"):
            entity_type = self.mapping.entity_type_for(cell("entity_type"))
            if entity_type is None:
                errors.append(_("Nieznany typ jednostki „%s”.") % cell("entity_type"))

        unit = self.unit(cell, check, errors, entity) if self.has_unit_columns else None
        if errors:
            return errors
        return _Row(line, regon, entity, entity_type, unit)

    def address(self, cell: Any, errors: list[str], *, prefix: str) -> dict[str, str]:
        """The address fields from split columns, or parsed from the combined column."""
        split = {name: cell(prefix + name) for name in ADDRESS_FIELDS}
        if not split["city"] and cell(prefix + "address"):
            try:
                split = parse_address(cell(prefix + "address"))
            except ValidationError as error:
                errors.extend(error.messages)
                return {}
        if not split["city"]:
            if not prefix:
                errors.append(_("Brak miejscowości w adresie podmiotu."))
            return {} if prefix else split
        if split["postal_code"]:
            try:
                split["postal_code"] = normalise_postal_code(split["postal_code"])
            except ValidationError as error:
                errors.extend(error.messages)
        for name, value in split.items():
            limit = Entity._meta.get_field(name).max_length
            if len(value) > limit:
                errors.append(
                    _("Pole „%(field)s” jest dłuższe niż %(limit)d znaków.")
                    % {"field": Entity._meta.get_field(name).verbose_name, "limit": limit}
                )
        if not prefix:
            # Only the address columns the file has are the file's to set.
            present = {name for name in ADDRESS_FIELDS if self.has(name)}
            if self.has("address"):
                present = set(ADDRESS_FIELDS)
            return {name: value for name, value in split.items() if name in present}
        return split

    def unit(
        self, cell: Any, check: Any, errors: list[str], entity: dict[str, Any]
    ) -> _UnitRow | None:
        unit_keys = [key for key in UNIT_FIELDS if self.has(key)]
        if not any(cell(key) for key in unit_keys):
            return None  # an entity row without a unit
        raw_code = cell("unit_code")
        code = compact_digits(raw_code)
        book_and_code = re.fullmatch(r"(\d{1,12})[-/. ](\d{1,3})", raw_code)
        if re.fullmatch(r"\d{1,3}", code):
            code = code.zfill(3)
        elif book_and_code and normalise_register_book(book_and_code[1]) == entity.get(
            "register_book_number"
        ):
            code = book_and_code[2].zfill(3)  # written with the register book: 000000012345-01
        elif not raw_code:
            errors.append(_("Brak kodu jednostki organizacyjnej (część V kodu resortowego)."))
        else:
            errors.append(
                _("Kod jednostki organizacyjnej (część V) ma 1–3 cyfry, a podano „%s”.") % raw_code
            )
        values: dict[str, str] = {}
        name = cell("unit_name")
        if not name:
            errors.append(_("Brak nazwy jednostki organizacyjnej."))
        elif len(name) > OrganisationalUnit._meta.get_field("name").max_length:
            errors.append(_("Nazwa jednostki jest dłuższa niż 300 znaków."))
        values["name"] = name
        if self.has("unit_regon14"):
            regon14 = compact_digits(cell("unit_regon14"))
            if regon14:
                check(validate_regon14, regon14)
                if entity.get("regon") and not regon14.startswith(entity["regon"]):
                    errors.append(
                        _("REGON jednostki %(regon14)s nie należy do podmiotu %(regon)s.")
                        % {"regon14": regon14, "regon": entity["regon"]}
                    )
            values["regon14"] = regon14
        if self.has("unit_activity_code"):
            activity = compact_digits(cell("unit_activity_code"))
            if activity and not re.fullmatch(r"\d{1,2}", activity):
                errors.append(
                    _("Kod rodzaju działalności (część VI) ma 1–2 cyfry, a podano „%s”.")
                    % cell("unit_activity_code")
                )
            values["activity_code"] = activity
        own = self.address(cell, errors, prefix="unit_")
        teryt = compact_digits(cell("unit_teryt"))
        if teryt:
            check(validate_teryt, teryt)
        if own:
            values.update(own)
            values["teryt"] = teryt or entity.get("teryt", "")
        else:
            # No address of its own in the file: the unit sits at the entity's seat.
            values.update({name: entity.get(name, "") for name in ADDRESS_FIELDS})
            values["teryt"] = teryt or entity.get("teryt", "")
        return _UnitRow(code, values, own_address=bool(own) or bool(teryt))


# --------------------------------------------------------------------------------------------
# The import


@dataclass
class _EntityGroup:
    """The accepted rows of one entity (by REGON), in file order."""

    first: _Row
    lines: list[int] = field(default_factory=list)
    units: dict[str, _UnitRow] = field(default_factory=dict)
    unit_lines: dict[str, int] = field(default_factory=dict)


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [key for key in a if a[key] != b.get(key)]


def _verbose(model: type, names: Iterable[str]) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)


def import_rpwdl_csv(
    file: Any,
    mapping: ColumnMapping | dict | str | Path | None = None,
    dry_run: bool = False,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ImportReport:
    """Import an RPWDL-style CSV export: upsert entities by REGON, units by (entity, unit code).

    `file` is a path, the file's bytes, or an open file (an upload). Bad rows are reported in
    `report.problems` with their line numbers and skipped; a file that cannot be read at all, or
    lacks required columns, is reported in `report.errors` and nothing is imported. The import
    never deletes anything: entities and units missing from the file are left as they are.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        column_mapping = load_mapping(mapping)
        text, report.encoding = _read_text(file, encoding)
        report.delimiter = delimiter or _sniff_delimiter(text)
        records = _records(text, report.delimiter)
        _header_line, header = next(records, (0, []))
        if not header:
            raise ImportFileError(_("Plik jest pusty."))
        parser = _RowParser(column_mapping, header)
    except (MappingError, ImportFileError) as error:
        report.errors.append(str(error))
        return report
    except OSError as error:
        report.errors.append(
            _("Nie można odczytać pliku: %(error)s") % {"error": error.strerror or error}
        )
        return report

    groups: dict[str, _EntityGroup] = {}
    for line, values in records:
        report.rows += 1
        row = parser.parse(line, values)
        if isinstance(row, list):
            report.reject(line, " ".join(row))
            continue
        _add_to_group(groups, row, report)

    with transaction.atomic():
        _write(groups, column_mapping, parser, report)
        if dry_run:
            transaction.set_rollback(True)
    report.problems.sort(key=lambda problem: problem.line)
    return report


def _add_to_group(groups: dict[str, _EntityGroup], row: _Row, report: ImportReport) -> None:
    group = groups.get(row.regon)
    if group is None:
        group = groups[row.regon] = _EntityGroup(first=row)
    else:
        differing = _differences(row.entity, group.first.entity)
        if row.entity_type != group.first.entity_type:
            differing.append("entity_type")
        if differing:
            report.reject(
                row.line,
                _(
                    "Dane podmiotu REGON %(regon)s różnią się od wiersza %(line)d (%(fields)s); "
                    "wiersz pominięto."
                )
                % {
                    "regon": row.regon,
                    "line": group.first.line,
                    "fields": _verbose(Entity, differing),
                },
            )
            return
    if row.unit is not None:
        code = row.unit.unit_code
        known = group.units.get(code)
        if known is not None and known.values != row.unit.values:
            report.reject(
                row.line,
                _(
                    "Jednostka %(code)s podmiotu REGON %(regon)s jest już w wierszu %(line)d "
                    "z innymi danymi; wiersz pominięto."
                )
                % {"code": code, "regon": row.regon, "line": group.unit_lines[code]},
            )
            return
        regon14 = row.unit.values.get("regon14")
        twin = next(
            (
                other
                for other, unit in group.units.items()
                if regon14 and other != code and unit.values.get("regon14") == regon14
            ),
            None,
        )
        if twin is not None:
            report.reject(
                row.line,
                _("REGON jednostki %(regon14)s ma już jednostka %(code)s (wiersz %(line)d).")
                % {"regon14": regon14, "code": twin, "line": group.unit_lines[twin]},
            )
            return
        if known is None:
            group.units[code] = row.unit
            group.unit_lines[code] = row.line
    group.lines.append(row.line)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _LOOKUP_CHUNK):
        yield values[start : start + _LOOKUP_CHUNK]


def _write(
    groups: dict[str, _EntityGroup],
    mapping: ColumnMapping,
    parser: _RowParser,
    report: ImportReport,
) -> None:
    # Load what the file touches up front: a query per entity would dominate the run time.
    regons = list(groups)
    existing: dict[str, Entity] = {}
    for chunk in _chunks(regons):
        existing.update((e.regon, e) for e in Entity.objects.filter(regon__in=chunk))
    units_by_entity: dict[int, dict[str, OrganisationalUnit]] = {}
    entity_ids = [entity.pk for entity in existing.values()]
    for start in range(0, len(entity_ids), _LOOKUP_CHUNK):
        for unit in OrganisationalUnit.objects.filter(
            entity_id__in=entity_ids[start : start + _LOOKUP_CHUNK]
        ):
            units_by_entity.setdefault(unit.entity_id, {})[unit.unit_code] = unit
    books = [g.first.entity.get("register_book_number") for g in groups.values()]
    book_owner: dict[str, str] = {}
    for chunk in _chunks([book for book in books if book]):
        book_owner.update(
            Entity.objects.filter(register_book_number__in=chunk).values_list(
                "register_book_number", "regon"
            )
        )

    for regon, group in groups.items():
        book = group.first.entity.get("register_book_number")
        owner = book_owner.get(book) if book else None
        if owner is not None and owner != regon:
            for line in group.lines:
                report.reject(
                    line,
                    _("Numer księgi rejestrowej %(book)s ma już podmiot o REGON %(owner)s.")
                    % {"book": book, "owner": owner},
                )
            continue
        try:
            with transaction.atomic():
                counts = _write_entity(group, existing.get(regon), units_by_entity, mapping, parser)
        except IntegrityError as error:
            reason = _conflict_reason(error)
            for line in group.lines:
                report.reject(
                    line,
                    _("Nie zapisano podmiotu REGON %(regon)s: konflikt z rejestrem (%(reason)s).")
                    % {"regon": regon, "reason": reason},
                )
            continue
        if book:
            book_owner[book] = regon
        report.entities_created += counts["entity_created"]
        report.entities_updated += counts["entity_updated"]
        report.entities_unchanged += counts["entity_unchanged"]
        report.units_created += counts["units_created"]
        report.units_updated += counts["units_updated"]
        report.units_unchanged += counts["units_unchanged"]


def _conflict_reason(error: IntegrityError) -> str:
    """The model's own message for a known constraint, else the database's first line."""
    text = str(error)
    if "regon14" in text:
        return _("Jednostka o tym numerze REGON już jest w rejestrze.")
    if "unit_code" in text:
        return _("Podmiot ma już jednostkę o tym kodzie (część V).")
    return text.splitlines()[0] if text else error.__class__.__name__


def _write_entity(
    group: _EntityGroup,
    entity: Entity | None,
    units_by_entity: dict[int, dict[str, OrganisationalUnit]],
    mapping: ColumnMapping,
    parser: _RowParser,
) -> dict[str, int]:
    counts = dict.fromkeys(
        (
            "entity_created",
            "entity_updated",
            "entity_unchanged",
            "units_created",
            "units_updated",
            "units_unchanged",
        ),
        0,
    )
    data = dict(group.first.entity)
    if group.first.entity_type is not None:
        data["entity_type"] = group.first.entity_type
    if entity is None:
        data.setdefault("entity_type", mapping.default_entity_type)
        entity = Entity.objects.create(**data)
        counts["entity_created"] = 1
        known_units: dict[str, OrganisationalUnit] = {}
    else:
        changed = [name for name, value in data.items() if getattr(entity, name) != value]
        if changed:
            for name in changed:
                setattr(entity, name, data[name])
            entity.save(update_fields=[*changed, "updated_at"])
            counts["entity_updated"] = 1
        else:
            counts["entity_unchanged"] = 1
        known_units = units_by_entity.get(entity.pk, {})

    new_units = []
    for code, unit_row in group.units.items():
        unit = known_units.get(code)
        if unit is None:
            new_units.append(OrganisationalUnit(entity=entity, unit_code=code, **unit_row.values))
            continue
        values = dict(unit_row.values)
        if not unit_row.own_address:
            # The file gives no address for the unit: keep the one the registry has.
            for name in (*ADDRESS_FIELDS, "teryt"):
                values.pop(name, None)
        changed = [name for name, value in values.items() if getattr(unit, name) != value]
        if changed:
            for name in changed:
                setattr(unit, name, values[name])
            unit.save(update_fields=changed)
            counts["units_updated"] += 1
        else:
            counts["units_unchanged"] += 1
    OrganisationalUnit.objects.bulk_create(new_units)
    counts["units_created"] = len(new_units)
    return counts


# --------------------------------------------------------------------------------------------
# The export (for tests, benchmarks and round trips)


def export_rpwdl_csv(
    entities: Iterable[Entity],
    target: str | Path | IO[str],
    *,
    mapping: ColumnMapping | dict | str | Path | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> int:
    """Write entities and their units as an RPWDL-style CSV under the mapping's first headers.

    One row per unit, with the entity's columns repeated; an entity without units gets one row.
    Returns the number of data rows. A path is written in `encoding`; an open text file as is.
    """
    column_mapping = load_mapping(mapping)
    keys = [
        key
        for key in KNOWN_FIELDS
        if key in column_mapping.columns and key not in ("address", "unit_address", "end_date")
    ]
    type_labels = {value: str(label) for value, label in EntityType.choices}

    def entity_values(entity: Entity) -> dict[str, str]:
        values = {name: getattr(entity, name) for name in ENTITY_FIELDS if hasattr(entity, name)}
        values["entity_type"] = type_labels.get(entity.entity_type, entity.entity_type)
        return values

    def unit_values(unit: OrganisationalUnit) -> dict[str, str]:
        values = {
            "unit_code": unit.unit_code,
            "unit_name": unit.name,
            "unit_regon14": unit.regon14,
            "unit_activity_code": unit.activity_code,
            "unit_teryt": unit.teryt,
        }
        values.update({f"unit_{name}": getattr(unit, name) for name in ADDRESS_FIELDS})
        return values

    def write(stream: IO[str]) -> int:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([column_mapping.columns[key][0] for key in keys])
        count = 0
        for entity in entities:
            base = entity_values(entity)
            units = list(entity.units.all()) or [None]
            for unit in units:
                row = {**base, **(unit_values(unit) if unit else {})}
                writer.writerow([row.get(key, "") for key in keys])
                count += 1
        return count

    if isinstance(target, (str, Path)):
        with open(target, "w", encoding=encoding, newline="") as stream:
            return write(stream)
    return write(target)
