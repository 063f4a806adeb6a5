"""Helpers for the registry tests: CSV files written into tmp_path, never committed data files."""

import csv
from collections.abc import Callable
from pathlib import Path

import cast
import pytest

# The headers of the default mapping (src/ssoz/registry/rpwdl_mapping.json) that most tests use.
HEADER = [
    "Numer księgi rejestrowej",
    "Nazwa podmiotu",
    "REGON",
    "NIP",
    "Ulica",
    "Numer domu",
    "Kod pocztowy",
    "Miejscowość",
    "Identyfikator terytorialny",
    "Kod resortowy jednostki organizacyjnej",
    "Nazwa jednostki organizacyjnej",
    "REGON jednostki organizacyjnej",
    "Kod rodzaju działalności leczniczej",
]

WriteCsv = Callable[..., Path]


def _hospital_rows(regon: str | None = None, *, units: int = 2, **entity: str) -> list[dict]:
    """Rows of a Lublin hospital with `units` units (one row each), under the default headers."""
    regon = regon or cast.valid_regon9()
    base = {
        "Numer księgi rejestrowej": entity.pop("book", "12345"),
        "Nazwa podmiotu": entity.pop("name", "Szpital Wojewódzki im. Jana Pawła II w Lublinie"),
        "REGON": regon,
        "NIP": entity.pop("nip", cast.valid_nip()),
        "Ulica": entity.pop("street", "ul. Spokojna"),
        "Numer domu": entity.pop("building", "2"),
        "Kod pocztowy": entity.pop("postal_code", "20-074"),
        "Miejscowość": entity.pop("city", "Lublin"),
        "Identyfikator terytorialny": entity.pop("teryt", "0663011"),
    }
    assert not entity, f"unknown keys {entity}"
    names = ["Szpital", "Przychodnia Specjalistyczna", "Zakład Opiekuńczo-Leczniczy"]
    activities = ["1", "3", "2"]
    return [
        {
            **base,
            "Kod resortowy jednostki organizacyjnej": f"{number:03d}",
            "Nazwa jednostki organizacyjnej": names[(number - 1) % 3],
            "REGON jednostki organizacyjnej": cast.valid_regon14(regon, number),
            "Kod rodzaju działalności leczniczej": activities[(number - 1) % 3],
        }
        for number in range(1, units + 1)
    ]


@pytest.fixture
def hospital_rows() -> Callable[..., list[dict]]:
    """Make the rows of a hospital: hospital_rows(regon=None, units=2, name=…, city=…)."""
    return _hospital_rows


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write rows (dicts keyed by header) as a CSV file and return its path."""
    counter = iter(range(1, 1000))

    def write(
        rows: list[dict],
        *,
        header: list[str] | None = None,
        encoding: str = "utf-8",
        delimiter: str = ";",
        name: str | None = None,
    ) -> Path:
        header = header or (list(rows[0]) if rows else HEADER)
        path = tmp_path / (name or f"rpwdl-{next(counter)}.csv")
        with open(path, "w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(column, "") for column in header])
        return path

    return write
