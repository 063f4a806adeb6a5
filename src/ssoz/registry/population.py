"""The population of voivodeships and counties (ludność), read from a CSV export of GUS's Bank
Danych Lokalnych (BDL), for the results' rates per 10,000 inhabitants; and a made-up sample
of it for the demo.

The file is BDL's vertical layout (docs/registry.md): semicolons, a header naming the
columns, one value a line:

    "Kod";"Nazwa";"Płeć";"Rok";"Wartosc";"Jednostka miary";"Atrybut";
    "1400000";"MAZOWIECKIE";"ogółem";"2024";"5514699";"osoba";"";

`Kod`, `Rok` and `Wartosc` (or `Wartość`) are needed; `Nazwa`, `Jednostka miary` (then
„osoba”) and `Atrybut` are read if present; any other column is a dimension (sex, age) of
which only the „ogółem” lines are taken. `Kod` is a TERYT code: 2 digits for a voivodeship,
4 for a county, or BDL's 7 digits with zeros for the levels below (1400000, 1465000); lines of
the country, of communes or of BDL's own 12-digit unit ids are not population of a
voivodeship or county and are refused or skipped as said below.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Subquery
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from ssoz.registry.models import Population
from ssoz.registry.teryt import Voivodeship

# A TERYT level by its number of digits.
VOIVODESHIP_LEVEL = 2
COUNTY_LEVEL = 4
# BDL's export of every county and commune for a few years is well under a megabyte a year;
# a larger file is not a population table, and is refused before it is parsed.
MAX_BYTES = 5 * 1024 * 1024
# The problems listed for one file; the rest are counted.
MAX_PROBLEMS = 50

_REQUIRED = ("kod", "rok", "wartosc")
_KNOWN = (*_REQUIRED, "nazwa", "jednostka miary", "atrybut")
_ALL = "ogolem"


class PopulationFileError(Exception):
    """A population file that cannot be imported: every problem found, in Polish, by line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ParsedPopulation:
    """A file's figures by (TERYT code, year), with their names, and what was left out."""

    figures: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    skipped: int


def _plain(text: str) -> str:
    """A header or a dimension's value as compared: lower case, no diacritics, no spaces
    around (BDL writes both „Wartosc” and „Wartość”)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower().replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _decode(data: bytes) -> str:
    # BDL writes UTF-8; a file saved again by Polish Excel is in Windows-1250.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace")


def _teryt(code: str) -> tuple[str | None, str | None]:
    """The voivodeship's or county's TERYT code in `code`, or None and why not (None and
    None: a line of another level, skipped)."""
    if not code.isdigit():
        return None, _("kod „%(code)s” nie jest kodem TERYT") % {"code": code}
    if len(code) == 12:
        return None, _(
            "kod „%(code)s” to identyfikator jednostki BDL, nie kod TERYT: wyeksportuj tabelę "
            "z kodami terytorialnymi (7 cyfr)"
        ) % {"code": code}
    if len(code) == 7:
        if code[4:] != "000" or code == "0000000":
            return None, None  # a commune, or the country
        code = code[:2] if code[2:4] == "00" else code[:4]
    if len(code) not in (VOIVODESHIP_LEVEL, COUNTY_LEVEL):
        return None, _(
            "kod „%(code)s” ma złą liczbę cyfr (%(digits)d): kod województwa ma 2, "
            "powiatu 4, kod BDL 7"
        ) % {"code": code, "digits": len(code)}
    if code[:2] not in Voivodeship.values:
        return None, _("kod „%(code)s”: nie ma województwa o kodzie %(voivodeship)s") % {
            "code": code,
            "voivodeship": code[:2],
        }
    if len(code) == COUNTY_LEVEL and code[2:] == "00":
        return None, _("kod „%(code)s” nie jest kodem powiatu") % {"code": code}
    return code, None


def parse_population(data: bytes) -> ParsedPopulation:
    """The figures of a BDL population file, or the problems of each bad line (never an
    exception): a file larger than `MAX_BYTES` is refused before it is read."""
    parsed = ParsedPopulation()
    if len(data) > MAX_BYTES:
        parsed.problems.append(
            _("Plik ma %(size)d kB; plik z ludnością może mieć najwyżej %(limit)d kB.")
            % {"size": len(data) // 1024, "limit": MAX_BYTES // 1024}
        )
        return parsed
    reader = csv.reader(io.StringIO(_decode(data), newline=""), delimiter=";")
    header = next(reader, None)
    columns = {_plain(name): index for index, name in enumerate(header or []) if name.strip()}
    if missing := [name for name in _REQUIRED if name not in columns]:
        parsed.problems.append(
            _(
                "Nagłówek pliku nie ma kolumn: %(missing)s. Potrzebny jest eksport BDL w układzie "
                "pionowym, z kolumnami Kod, Rok i Wartosc."
            )
            % {"missing": ", ".join(missing)}
        )
        return parsed
    dimensions = [index for name, index in columns.items() if name not in _KNOWN]
    lines_of: dict[tuple[str, int], int] = {}
    too_many = 0
    for line in reader:
        if not any(cell.strip() for cell in line):
            continue
        number = reader.line_num
        figure, problem = _figure(line, columns, dimensions)
        if problem is None and figure is not None and figure[:2] in lines_of:
            problem = _("%(code)s za rok %(year)d jest już w wierszu %(line)d") % {
                "code": figure[0],
                "year": figure[1],
                "line": lines_of[figure[:2]],
            }
        if problem is not None:
            if len(parsed.problems) < MAX_PROBLEMS:
                parsed.problems.append(
                    _("Wiersz %(line)d: %(problem)s.") % {"line": number, "problem": problem}
                )
            else:
                too_many += 1
        elif figure is None:
            parsed.skipped += 1
        else:
            code, year, population, name = figure
            lines_of[code, year] = number
            parsed.figures[code, year] = (population, name)
    if too_many:
        parsed.problems.append(_("…i błędnych wierszy więcej: %(count)d.") % {"count": too_many})
    if not parsed.problems and not parsed.figures:
        parsed.problems.append(_("Plik nie ma ludności ogółem żadnego województwa ani powiatu."))
    return parsed


def _figure(
    line: list[str], columns: dict[str, int], dimensions: list[int]
) -> tuple[tuple[str, int, int, str] | None, str | None]:
    """One line's (TERYT code, year, population, name), or None for a line of another level
    or another dimension than „ogółem”, or why the line is wrong."""

    def cell(index: int | None) -> str:
        return line[index].strip() if index is not None and index < len(line) else ""

    if any(_plain(cell(index)) != _ALL for index in dimensions):
        return None, None
    code, problem = _teryt(cell(columns["kod"]))
    if code is None:
        return None, problem
    year_text = cell(columns["rok"])
    if not re.fullmatch(r"\d{4}", year_text) or not 1990 <= int(year_text) <= 2100:
        return None, _("rok „%(year)s” nie jest rokiem (1990–2100)") % {"year": year_text[:20]}
    unit = _plain(cell(columns.get("jednostka miary")))
    if unit and unit != "osoba":
        return None, _("jednostka „%(unit)s”: ludność podaje się w osobach") % {"unit": unit[:20]}
    value = re.sub(r"[\s\u00a0\u202f]", "", cell(columns["wartosc"]))
    if not re.fullmatch(r"\d{1,9}", value) or int(value) == 0:
        return None, _(
            "wartość „%(value)s” nie jest liczbą ludności (liczba całkowita, większa od 0)"
        ) % {"value": cell(columns["wartosc"])[:20]}
    return (code, int(year_text), int(value), cell(columns.get("nazwa"))[:200]), None


@transaction.atomic
def import_population(data: bytes) -> ImportSummary:
    """Store a BDL population file's figures, replacing those of the same unit and year, so
    that importing a file again changes nothing; a file with any bad line stores nothing
    (`PopulationFileError`)."""
    parsed = parse_population(data)
    if parsed.problems:
        raise PopulationFileError(parsed.problems)
    years = {year for _code, year in parsed.figures}
    known = set(Population.objects.filter(year__in=years).values_list("teryt", "year"))
    Population.objects.bulk_create(
        [
            Population(teryt=code, year=year, population=population, name=name)
            for (code, year), (population, name) in parsed.figures.items()
        ],
        update_conflicts=True,
        unique_fields=["teryt", "year"],
        update_fields=["population", "name"],
        batch_size=1000,
    )
    updated = len(known & set(parsed.figures))
    return ImportSummary(len(parsed.figures) - updated, updated, parsed.skipped)


def populations(level: int, year: int) -> tuple[int | None, dict[str, int]]:
    """The population of every unit of a TERYT level (`VOIVODESHIP_LEVEL`, `COUNTY_LEVEL`)
    in `year`, or in the latest earlier year that has any, with that year; (None, {}) when
    there is none. One query."""
    of_level = Population.objects.annotate(digits=Length("teryt")).filter(digits=level)
    latest = of_level.filter(year__lte=year).order_by("-year").values("year")[:1]
    rows = (
        of_level.filter(year=Subquery(latest)).order_by().values_list("teryt", "year", "population")
    )
    found: dict[str, int] = {}
    chosen = None
    for code, in_year, population in rows:
        found[code] = population
        chosen = in_year
    return chosen, found


# --- The demo's sample ----------------------------------------------------------------------

# Generated by `manage.py generate_population_sample`, loaded by the demo.
SAMPLE = Path(__file__).with_name("fixtures") / "population-sample.csv"
SAMPLE_YEAR = 2024


def sample_csv(year: int) -> str:
    """A made-up population table in BDL's layout for the voivodeships and the counties of
    the synthetic registry (`registry.synthetic`), the same for a given year: each
    voivodeship's population is about its real one (the generator's weights), shared among
    its counties, the cities with county rights taking the larger shares."""
    from ssoz.registry.synthetic import _VOIVODESHIP_WEIGHTS, PLACES

    rng = random.Random(f"population-{year}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["Kod", "Nazwa", "Płeć", "Rok", "Wartosc", "Jednostka miary", "Atrybut"])
    for voivodeship in sorted(PLACES):
        total = round(_VOIVODESHIP_WEIGHTS[voivodeship] * 1_000_000) + rng.randint(-40_000, 40_000)
        name = str(Voivodeship(voivodeship).label).upper()
        writer.writerow([f"{voivodeship}00000", name, "ogółem", year, total, "osoba", ""])
        cities, towns, _villages = PLACES[voivodeship]
        counties = [(place.teryt[:4], f"Powiat m. {place.name}", 4.0) for place in cities]
        counties += [(place.teryt[:4], f"Powiat {place.name}", 1.0) for place in towns]
        weights = [weight * rng.uniform(0.6, 1.6) for _code, _name, weight in counties]
        shares = [round(total * weight / sum(weights)) for weight in weights]
        shares[-1] = total - sum(shares[:-1])
        for (code, county, _weight), population in sorted(zip(counties, shares, strict=True)):
            writer.writerow([f"{code}000", county, "ogółem", year, population, "osoba", ""])
    return buffer.getvalue()
