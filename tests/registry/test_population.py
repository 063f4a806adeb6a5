"""`manage.py import_population FILE`: the population of voivodeships and counties from a CSV
export of GUS's Bank Danych Lokalnych; a bad line is named in Polish, nothing is half
imported, and a second import of the same file changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ssoz.registry.models import Population
from ssoz.registry.population import (
    MAX_BYTES,
    SAMPLE,
    SAMPLE_YEAR,
    PopulationFileError,
    import_population,
    parse_population,
    populations,
    sample_csv,
)
from ssoz.registry.synthetic import PLACES

HEADER = '"Kod";"Nazwa";"Płeć";"Rok";"Wartosc";"Jednostka miary";"Atrybut";\n'
GOOD = HEADER + (
    '"0000000";"POLSKA";"ogółem";"2024";"37489087";"osoba";"";\n'
    '"1400000";"MAZOWIECKIE";"ogółem";"2024";"5514699";"osoba";"";\n'
    '"1400000";"MAZOWIECKIE";"mężczyźni";"2024";"2630000";"osoba";"";\n'
    '"1465000";"Powiat m.st. Warszawa";"ogółem";"2024";"1 862 345";"osoba";"";\n'
    '"1465011";"Warszawa";"ogółem";"2024";"1862345";"osoba";"";\n'
    '"2400000";"ŚLĄSKIE";"ogółem";"2024";"4320000";"osoba";"";\n'
)


def run(tmp_path, content: bytes | str) -> tuple[str, str]:
    path = tmp_path / "ludnosc.csv"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out, err = StringIO(), StringIO()
    call_command("import_population", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_bdl_export_gives_the_voivodeships_and_counties_in_total(db, tmp_path):
    out, _err = run(tmp_path, GOOD)
    stored = {(p.teryt, p.year): p.population for p in Population.objects.all()}
    assert stored == {("14", 2024): 5514699, ("1465", 2024): 1862345, ("24", 2024): 4320000}
    assert Population.objects.get(teryt="14").name == "MAZOWIECKIE"
    # The country, the commune and the men are not what the rates divide by.
    assert "3 added, 0 replaced, 3 lines of other levels or dimensions skipped" in out


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    run(tmp_path, GOOD)
    out, _err = run(tmp_path, GOOD)
    assert "0 added, 3 replaced" in out
    assert Population.objects.count() == 3


def test_a_new_edition_replaces_the_figures_of_its_units_and_years(db, tmp_path):
    run(tmp_path, GOOD)
    run(tmp_path, HEADER + '"1400000";"MAZOWIECKIE";"ogółem";"2024";"5520000";"osoba";"";\n')
    assert Population.objects.get(teryt="14", year=2024).population == 5520000
    assert Population.objects.count() == 3


@pytest.mark.parametrize(
    "line, problem",
    [
        (
            '"14ab";"X";"ogółem";"2024";"1";"osoba";"";',
            "Wiersz 2: kod „14ab” nie jest kodem TERYT.",
        ),
        ('"99";"X";"ogółem";"2024";"1";"osoba";"";', "nie ma województwa o kodzie 99"),
        ('"140";"X";"ogółem";"2024";"1";"osoba";"";', "kod „140” ma złą liczbę cyfr (3)"),
        ('"1400";"X";"ogółem";"2024";"1";"osoba";"";', "kod „1400” nie jest kodem powiatu"),
        ('"071400000000";"X";"ogółem";"2024";"1";"osoba";"";', "identyfikator jednostki BDL"),
        ('"14";"X";"ogółem";"24";"1";"osoba";"";', "rok „24” nie jest rokiem"),
        ('"14";"X";"ogółem";"2024";"5,5";"osoba";"";', "wartość „5,5” nie jest liczbą ludności"),
        ('"14";"X";"ogółem";"2024";"-";"osoba";"";', "wartość „-” nie jest liczbą ludności"),
        ('"14";"X";"ogółem";"2024";"5";"%";"";', "jednostka „%”: ludność podaje się w osobach"),
    ],
)
def test_a_bad_line_is_named_in_polish_and_nothing_is_imported(db, tmp_path, line, problem):
    content = HEADER + '"2400000";"ŚLĄSKIE";"ogółem";"2024";"4320000";"osoba";"";\n' + line
    with pytest.raises(CommandError, match="nic nie wczytano"):
        run(tmp_path, content)
    parsed = parse_population((HEADER + line + "\n").encode())
    assert any(problem in text for text in parsed.problems), parsed.problems
    assert not Population.objects.exists()


def test_every_bad_line_is_listed_by_the_command(db, tmp_path):
    content = GOOD + '"14xx";"X";"ogółem";"2024";"1";"osoba";"";\n"24";"X";"ogółem";"20x";"1";;;\n'
    path = tmp_path / "ludnosc.csv"
    path.write_text(content, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_population", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Wiersz 8: kod „14xx”")
    assert lines[1].startswith("Wiersz 9: rok „20x”")


def test_a_unit_twice_in_a_year_is_a_problem(db):
    line = '"1400000";"MAZOWIECKIE";"ogółem";"2024";"5514699";"osoba";"";\n'
    parsed = parse_population((HEADER + line + line).encode())
    assert parsed.problems == ["Wiersz 3: 14 za rok 2024 jest już w wierszu 2."]


def test_a_file_without_the_columns_is_refused(db, tmp_path):
    parsed = parse_population(b'"Kod";"Nazwa";"ogolem;2024;[osoba]";\n"1400000";"MAZ";5;\n')
    assert "Nagłówek pliku nie ma kolumn: rok, wartosc." in parsed.problems[0]


def test_an_oversized_file_is_refused_before_it_is_parsed(db, tmp_path):
    content = (GOOD + "x" * MAX_BYTES).encode()
    with pytest.raises(PopulationFileError) as refused:
        import_population(content)
    assert refused.value.problems[0].startswith("Plik ma ")
    with pytest.raises(CommandError):
        run(tmp_path, content)


def test_a_file_saved_again_by_polish_excel_is_read(db):
    content = GOOD.encode("cp1250")
    summary = import_population(content)
    assert summary.created == 3
    assert Population.objects.get(teryt="24").name == "ŚLĄSKIE"


def test_a_missing_file_is_a_message_not_a_traceback(db, tmp_path):
    with pytest.raises(CommandError, match="Nie można odczytać pliku"):
        call_command("import_population", str(tmp_path / "nie-ma.csv"))


def test_the_rates_read_the_years_population_or_the_latest_before(db):
    for year, people in ((2021, 100), (2023, 200), (2025, 300)):
        Population.objects.create(teryt="14", year=year, population=people)
        Population.objects.create(teryt="1465", year=year, population=people // 10)
    assert populations(2, 2024) == (2023, {"14": 200})
    assert populations(4, 2025) == (2025, {"1465": 30})
    assert populations(2, 2020) == (None, {})


def test_the_sample_in_the_repository_is_the_generators_and_loads(db):
    assert SAMPLE.read_text(encoding="utf-8") == sample_csv(SAMPLE_YEAR)
    summary = import_population(SAMPLE.read_bytes())
    counties = {place.teryt[:4] for cities, towns, _ in PLACES.values() for place in cities + towns}
    stored = set(Population.objects.values_list("teryt", flat=True))
    assert stored == counties | set(PLACES)
    assert summary.created == len(stored)
    # Each voivodeship's counties add up to it.
    for voivodeship in PLACES:
        rows = Population.objects.filter(teryt__startswith=voivodeship)
        total = rows.get(teryt=voivodeship).population
        assert sum(p.population for p in rows.exclude(teryt=voivodeship)) == total
