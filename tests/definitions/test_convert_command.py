"""manage.py convert_definition turns a YAML definition into a workbook and back."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

DEFINITION = """\
# MZ-88 as a statistician writes it: comments, flow mappings, Polish letters.
format: ssoz-form/1
code: MZ-88
version: "2025"
title:
  pl: Sprawozdanie o pracujących w podmiotach wykonujących działalność leczniczą
  en: Report on persons working in entities performing medical activity
kind: periodic
period: year
levels: [entity, unit]
entity_types: [podmiot_leczniczy, praktyka_lekarska]
accounts: [non_financial]
deadline: {month: 3, day: 11, years_after_period: 1}
header:
  - entity.name
  - entity.regon
  - unit.name
intro:
  pl: |
    Stan w dniu 31 XII.
    Wypełnij wszystkie działy.
  en: As of 31 December.
sections:
  - code: A1
    title: {pl: "Dział A1. Cyberbezpieczeństwo", en: "Section A1. Cybersecurity"}
    fields:
      - code: A1_Q1
        type: single_choice
        label: {pl: "Czy podmiot ma zespół ds. cyberbezpieczeństwa?", en: "A security team?"}
        required: true
        choices:
          - {code: "0", label: {pl: "0 – brak", en: "0 – none"}, score: 0}
          - {code: "1", label: {pl: "częściowo", en: "partly"}, score: 0.5}
          - {code: "nd", label: {pl: "nie dotyczy", en: "not applicable"}}
      - code: A1_Q2
        type: date
        label: {pl: Data audytu, en: Audit date}
        min: 2020-01-01
        required: false
  - code: D1
    title: {pl: "Dział 1. Pracujący", en: "Section 1. Staff"}
    table:
      columns:
        - {code: K1, label: {pl: "Ogółem", en: "Total"}, type: integer, total: "K2:K3"}
        - {code: K2, label: {pl: "Umowa o pracę", en: "Employment contract"}, type: integer}
        - {code: K3, label: {pl: "Umowa cywilnoprawna", en: "Civil-law contract"}, type: integer}
        - code: K4
          label: {pl: "w tym kobiety", en: "of which women"}
          type: integer
          of_which: K1
        - {code: K5, label: {pl: "Etaty", en: "FTE"}, type: decimal, precision: 2}
      rows:
        - {code: W01, label: {pl: "Ogółem (w. 02–04)", en: "Total (rows 02–04)"}, total: "W02:W04"}
        - {code: W02, label: {pl: "Lekarze", en: "Physicians"}}
        - code: W03
          label: {pl: "w tym specjaliści", en: "of which specialists"}
          of_which: W02
          indent: 1
        - {code: W04, label: {pl: "Lekarze dentyści", en: "Dentists"}, blocked: [K5]}
      min: 0
      required: false
rules:
  - id: R01
    severity: error
    expression: "D1.W01.K5 <= D1.W01.K1"
    message:
      pl: "Etaty ({D1.W01.K5}) nie mogą przekraczać liczby osób ({D1.W01.K1})."
      en: "FTE ({D1.W01.K5}) cannot exceed persons ({D1.W01.K1})."
    missing: skip_if_any_blank
    fields: [D1.W01.K5]
"""


def convert(source: Path, target: Path) -> str:
    out = io.StringIO()
    call_command("convert_definition", str(source), str(target), stdout=out)
    return out.getvalue()


@pytest.fixture
def definition(tmp_path: Path) -> Path:
    path = tmp_path / "mz-88.yaml"
    path.write_text(DEFINITION, encoding="utf-8")
    return path


def test_yaml_to_a_workbook_and_back_gives_yaml_that_loads_to_the_same_definition(
    definition: Path, tmp_path: Path
):
    workbook = tmp_path / "mz-88.xlsx"
    again = tmp_path / "mz-88-again.yaml"
    assert "mz-88.xlsx" in convert(definition, workbook)
    convert(workbook, again)
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == yaml.safe_load(DEFINITION)


def test_the_workbook_written_by_the_command_starts_with_the_instructions(
    definition: Path, tmp_path: Path
):
    workbook = tmp_path / "mz-88.xlsx"
    convert(definition, workbook)
    sheets = openpyxl.load_workbook(workbook).sheetnames
    assert sheets[0] == "instrukcja"
    assert set(sheets[1:]) == {
        "form",
        "sections",
        "fields",
        "choices",
        "columns",
        "rows",
        "rules",
        "reads",
    }


def test_the_yaml_written_is_readable_block_style_unicode_and_in_the_documented_order(
    definition: Path, tmp_path: Path
):
    workbook = tmp_path / "mz-88.xlsx"
    again = tmp_path / "mz-88-again.yaml"
    convert(definition, workbook)
    convert(workbook, again)
    text = again.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["format: ssoz-form/1", "code: MZ-88", "version: '2025'"]
    assert "Cyberbezpieczeństwo" in text and "\\u" not in text
    assert "levels: [entity, unit]" in lines
    assert "deadline: {month: 3, day: 11, years_after_period: 1}" in lines
    assert "  pl: |" in lines  # the multi-line intro stays a literal block
    k2 = "        - {code: K2, label: {pl: Umowa o pracę, en: Employment contract}, type: integer}"
    assert k2 in lines  # a short item stays on one line, as in docs/form-format.md
    assert max(len(line) for line in lines if line.lstrip().startswith("- {")) <= 100
    assert "        min: 2020-01-01" in lines  # a date, not the text "2020-01-01"


def test_the_yaml_written_passes_the_loader(definition: Path, tmp_path: Path):
    loader = pytest.importorskip("ssoz.definitions.loader")
    workbook = tmp_path / "mz-88.xlsx"
    again = tmp_path / "mz-88-again.yaml"
    convert(definition, workbook)
    convert(workbook, again)
    parsed = loader.parse_definition(again.read_text(encoding="utf-8"), filename=again.name)
    assert parsed["sections"][0]["fields"][1]["min"] == "2020-01-01"


SHIPPED = sorted((Path(__file__).resolve().parents[2] / "definitions").glob("*/*.yaml"))


@pytest.mark.skipif(not SHIPPED, reason="no shipped definitions")
@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_shipped_definition_survives_the_round_trip_through_a_workbook(
    shipped: Path, tmp_path: Path
):
    workbook = tmp_path / "form.xlsx"
    again = tmp_path / "form.yaml"
    convert(shipped, workbook)
    convert(workbook, again)
    original = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == original


def test_converting_yaml_to_yaml_rewrites_it_in_the_canonical_layout(
    definition: Path, tmp_path: Path
):
    tidy = tmp_path / "tidy.yml"
    convert(definition, tidy)
    text = tidy.read_text(encoding="utf-8")
    assert not text.startswith("#")
    assert yaml.safe_load(text) == yaml.safe_load(DEFINITION)


def test_an_unknown_extension_is_refused(definition: Path, tmp_path: Path):
    with pytest.raises(CommandError, match=r"Nieznane rozszerzenie.*\.csv"):
        convert(definition, tmp_path / "mz-88.csv")


def test_a_missing_source_file_is_reported(tmp_path: Path):
    with pytest.raises(CommandError, match="Nie można odczytać pliku"):
        convert(tmp_path / "nothing.yaml", tmp_path / "nothing.xlsx")


def test_a_file_is_not_converted_onto_itself(definition: Path):
    with pytest.raises(CommandError, match="ten sam plik"):
        convert(definition, definition)


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: MZ-88\ntitle: {pl: a, en: b\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Błąd składni YAML") as caught:
        convert(broken, tmp_path / "broken.xlsx")
    assert "line 3" in str(caught.value)


def test_a_definition_the_workbook_cannot_hold_is_refused_naming_the_key(
    definition: Path, tmp_path: Path
):
    definition.write_text(DEFINITION + "colour: red\n", encoding="utf-8")
    with pytest.raises(CommandError, match="klucz colour: nieznany klucz"):
        convert(definition, tmp_path / "mz-88.xlsx")


def test_a_broken_workbook_is_reported_with_sheet_row_and_column(definition: Path, tmp_path: Path):
    path = tmp_path / "mz-88.xlsx"
    convert(definition, path)
    workbook = openpyxl.load_workbook(path)
    fields = workbook["fields"]
    type_column = [cell.value for cell in fields[1]].index("type") + 1
    fields.cell(row=3, column=type_column).value = "liczba"
    workbook.save(path)
    with pytest.raises(CommandError) as caught:
        convert(path, tmp_path / "back.yaml")
    message = str(caught.value)
    assert "Arkusz fields, wiersz 3, kolumna type: nieznany typ pola «liczba»" in message
    assert "Sheet fields, row 3, column type: unknown field type «liczba»" in message
    assert not (tmp_path / "back.yaml").exists()


def test_a_file_that_is_not_a_workbook_is_reported(tmp_path: Path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError, match="nie jest skoroszytem XLSX"):
        convert(fake, tmp_path / "fake.yaml")
